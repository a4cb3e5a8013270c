package dev.stepwise.aws.patch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.Testbed;
import dev.stepwise.aws.testkit.FillInProxy;
import dev.stepwise.aws.testkit.MotoExtension;
import dev.stepwise.aws.testkit.Patch;
import dev.stepwise.core.notify.Notice;
import dev.stepwise.core.notify.Notifications;
import dev.stepwise.core.notify.Notifier;
import dev.stepwise.core.rollout.MaintenanceWindow;
import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/** Issue #18 item 6: notices that name what changes, for both stages. */
class PatchFidelityNoticeIT {
    @RegisterExtension
    static final MotoExtension MOTO = MotoExtension.create();

    private FillInProxy proxy;
    private AwsContext aws;

    @BeforeEach
    void setUp() {
        proxy = MOTO.proxy();
        aws = Testbed.context(proxy);
    }

    @AfterEach
    void tearDown() {
        aws.close();
    }

    private String instance(String env, String name, Patch... patches) {
        String id = aws.ec2().runInstances(r -> r.imageId(Testbed.LINUX_AMI).instanceType(InstanceType.T3_MEDIUM)
                .minCount(1).maxCount(1).tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE)
                        .tags(Tag.builder().key("Env").value(env).build(), Tag.builder().key("Name").value(name).build())
                        .build())).instances().get(0).instanceId();
        proxy.scenario().managedInstance(id, "Linux");
        proxy.scenario().patches(id, patches);
        return id;
    }

    private static Patch openssl() {
        return Patch.missing("openssl.x86_64").withTitle("openssl.x86_64:1:1.0.2k-24.amzn2").withSeverity("Important");
    }

    @Test
    void notices_nameTheInstancesPatchesWindowRebootsAndBackups_ofEachStage() {
        String dev = instance("dev", "db-dev-1", openssl());
        String prod = instance("prod", "db-prod-1", openssl());
        List<Notice> sent = new CopyOnWriteArrayList<>();
        Notifications dba = Notifications.builder(Notifier.of("dba list", sent::add)).audience("database owners").build();
        MaintenanceWindow saturday = MaintenanceWindow.weekly(DayOfWeek.SATURDAY, LocalTime.of(22, 0), Duration.ofHours(6),
                ZoneOffset.UTC);

        PatchRolloutResult r = PatchRollout.builder("notices", aws).nonProduction(PatchTargets.tagged(aws, "Env", "dev"))
                .production(PatchTargets.tagged(aws, "Env", "prod")).unpinnedProduction().soak(Duration.ofDays(7))
                .announceNonProduction(dba, a -> a.leadTime(Duration.ofHours(4)))
                .announceProduction(dba, a -> a.leadTime(Duration.ofHours(24)).required())
                .productionWindow(saturday)
                .build().run(Runner.create().withTimeSource(VirtualTimeSource.create()));

        assertThat(r.status()).as(r.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(sent).hasSize(2);
        Notice nonProd = sent.get(0);
        assertThat(nonProd.subject()).startsWith("Patching non-production: 1 instance(s), 1 patch(es)");
        assertThat(nonProd.body()).contains(dev + " (db-dev-1)", "openssl.x86_64 version 1:1.0.2k-24.amzn2 [Important]")
                .doesNotContain(prod);
        Notice production = sent.get(1);
        assertThat(production.subject()).startsWith("Patching production: 1 instance(s), 1 patch(es)")
                .contains(saturday.description());
        assertThat(production.body()).contains(prod + " (db-prod-1)", "Amazon Linux",
                "openssl.x86_64 version 1:1.0.2k-24.amzn2 [Important]", "only inside the window " + saturday.description(),
                "Reboots: each instance reboots once after its Install", "Backups: an AMI of each instance, without a reboot")
                .doesNotContain("not stated");
        assertThat(production.audience()).isEqualTo("database owners");
    }

    /** Lead's item 4: a dry run shows which notices would go to whom and when, sending none. */
    @Test
    void dryRun_previewsEachNotice_toWhomAndWhen_withoutSendingAndWithoutPatchesOnlyTheScanWillKnow() {
        String dev = instance("dev", "db-dev-2", openssl());
        String prod = instance("prod", "db-prod-2", openssl());
        List<Notice> sent = new CopyOnWriteArrayList<>();
        Notifications dba = Notifications.builder(Notifier.of("dba list", sent::add)).audience("database owners").build();
        VirtualTimeSource clock = VirtualTimeSource.create();
        java.time.Instant now = clock.now();

        PatchRolloutResult r = PatchRollout.builder("notices-dry", aws).nonProduction(PatchTargets.ids(aws, dev))
                .production(PatchTargets.ids(aws, prod)).unpinnedProduction().soak(Duration.ofDays(7))
                .announceNonProduction(dba, a -> a.leadTime(Duration.ofHours(4)))
                .announceProduction(dba, a -> a.leadTime(Duration.ofHours(24)).required())
                .build().dryRun(Runner.create().withTimeSource(clock));

        assertThat(sent).as("nothing is sent").isEmpty();
        assertThat(r.notices()).hasSize(2);
        assertThat(r.notices().get(0)).startsWith("non-production: would send \"Patching non-production: 1 instance(s), "
                + "1 patch(es)").contains("database owners", "dba list", now.toString(), dev + " (db-dev-2)",
                "openssl.x86_64 version 1:1.0.2k-24.amzn2").doesNotContain(prod);
        assertThat(r.notices().get(1)).startsWith("production (once the soak and the comparison passed, no earlier than "
                + now.plus(Duration.ofDays(7))).contains("database owners", prod + " (db-prod-2)", "known only after",
                "required").doesNotContain("openssl");
        assertThat(r.toString()).contains("Notices a live run would send (nothing was sent)");
        assertThat(r.toJson()).contains("\"notices\"");
    }
}
