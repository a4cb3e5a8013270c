package dev.stepwise.aws.patch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.Testbed;
import dev.stepwise.aws.ec2.Ec2Steps;
import dev.stepwise.aws.testkit.FillInProxy;
import dev.stepwise.aws.testkit.MotoExtension;
import dev.stepwise.aws.testkit.Patch;
import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * Issue #18 item 4: reboots. {@code NoReboot} leaves patches {@code InstalledPendingReboot} until a reboot and a scan
 * (reference §1 {@code RebootOption}; the fill-in proxy models it); the explicit reboot step makes them verifiable.
 */
class PatchFidelityRebootIT {
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

    private String instance(String env, Patch... patches) {
        String id = aws.ec2().runInstances(r -> r.imageId(Testbed.LINUX_AMI).instanceType(InstanceType.T3_MEDIUM)
                .minCount(1).maxCount(1).tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE)
                        .tags(Tag.builder().key("Env").value(env).build()).build())).instances().get(0).instanceId();
        proxy.scenario().managedInstance(id, "Linux");
        proxy.scenario().patches(id, patches);
        return id;
    }

    private static Patch kernel() {
        return Patch.missing("kernel.x86_64").withTitle("kernel.x86_64:0:4.14.336-257.562.amzn2");
    }

    private PatchRollout.Builder rollout() {
        return PatchRollout.builder("reboots", aws).nonProduction(PatchTargets.tagged(aws, "Env", "dev"))
                .production(PatchTargets.tagged(aws, "Env", "prod")).unpinnedProduction().soak(Duration.ZERO);
    }

    @Test
    void run_withNoRebootAndTheRebootStep_verifiesAfterTheRebootAndReachesProduction() {
        String dev = instance("dev", kernel());
        String prod = instance("prod", kernel());

        PatchRolloutResult r = rollout().rebootOption("NoReboot").rebootAfterInstall().amiBackup(false).build()
                .run(Runner.create().withTimeSource(VirtualTimeSource.create()));

        assertThat(r.status()).as(r.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(proxy.counts().count("RebootInstances")).isEqualTo(2);
        for (String id : List.of(dev, prod)) {
            assertThat(proxy.scenario().patchesOf(id)).singleElement()
                    .satisfies(p -> assertThat(p.state()).isEqualTo(Patch.State.INSTALLED));
        }
        assertThat(r.instance(PatchRollout.PRODUCTION, prod).orElseThrow().pendingReboot()).isFalse();
    }

    @Test
    void run_withSnapshotBackup_snapshotsEveryVolumeTaggedInTheCreatingCallAndMakesNoImage() {
        String dev = instance("dev", kernel());
        instance("prod", kernel());

        PatchRolloutResult r = rollout().snapshotBackup().build()
                .run(Runner.create().withTimeSource(VirtualTimeSource.create()));

        assertThat(r.status()).as(r.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(proxy.counts().count("CreateImage")).isZero();
        assertThat(proxy.counts().count("CreateSnapshots")).isEqualTo(2);
        String backup = r.instance(PatchRollout.NON_PRODUCTION, dev).orElseThrow().backupImage();
        assertThat(backup).startsWith("snap-");
        assertThat(aws.ec2().describeSnapshots(d -> d.ownerIds("self").filters(Filter.builder().name("tag-key")
                .values(Ec2Steps.RUN_TAG).build())).snapshots()).isNotEmpty()
                .allSatisfy(s -> assertThat(s.tags()).extracting(Tag::key).contains(Ec2Steps.RUN_TAG, Ec2Steps.STEP_TAG));
    }
}
