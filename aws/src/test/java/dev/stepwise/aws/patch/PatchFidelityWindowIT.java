package dev.stepwise.aws.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.Testbed;
import dev.stepwise.aws.testkit.FillInProxy;
import dev.stepwise.aws.testkit.MotoExtension;
import dev.stepwise.aws.testkit.Patch;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.rollout.MaintenanceWindow;
import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/** Issue #18 item 5: maintenance windows per stage, Stepwise's own window checkpoint on the rollout's clock. */
class PatchFidelityWindowIT {
    @RegisterExtension
    static final MotoExtension MOTO = MotoExtension.create();
    /** 2026-01-01 is a Thursday; the first Saturday 22:00 UTC after it. */
    private static final Instant SATURDAY_22 = Instant.parse("2026-01-03T22:00:00Z");

    @TempDir
    Path dir;

    private FillInProxy proxy;
    private AwsContext aws;
    private VirtualTimeSource time;

    @BeforeEach
    void setUp() {
        proxy = MOTO.proxy();
        aws = Testbed.context(proxy);
        time = VirtualTimeSource.create();
    }

    @AfterEach
    void tearDown() {
        aws.close();
    }

    private String instance(String env) {
        String id = aws.ec2().runInstances(r -> r.imageId(Testbed.LINUX_AMI).instanceType(InstanceType.T3_MEDIUM)
                .minCount(1).maxCount(1).tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE)
                        .tags(Tag.builder().key("Env").value(env).build()).build())).instances().get(0).instanceId();
        proxy.scenario().managedInstance(id, "Linux");
        proxy.scenario().patches(id, Patch.missing("openssl.x86_64").withTitle("openssl.x86_64:1:1.0.2k-24.amzn2"));
        return id;
    }

    private PatchRollout.Builder rollout() {
        return PatchRollout.builder("windows", aws).nonProduction(PatchTargets.tagged(aws, "Env", "dev"))
                .production(PatchTargets.tagged(aws, "Env", "prod")).unpinnedProduction().soak(Duration.ZERO)
                .amiBackup(false).journal(JournalStore.directory(dir));
    }

    private long installsOn(String id) {
        return proxy.counts().sentCommands().stream().filter(c -> c.instanceIds().contains(id)
                && c.parameters().get("Operation").equals(List.of("Install"))).count();
    }

    @Test
    void run_whenProductionsWindowIsClosed_parksUntilItOpensThenInstalls() {
        instance("dev");
        String prod = instance("prod");
        PatchRollout r = rollout().productionWindow(MaintenanceWindow.weekly(DayOfWeek.SATURDAY, LocalTime.of(22, 0),
                Duration.ofHours(6), ZoneOffset.UTC)).build();
        Runner runner = Runner.create().withTimeSource(time).parkLongerThan(Duration.ofMinutes(5));

        PatchRolloutResult parked = r.run(runner);

        assertThat(parked.status()).as(parked.toString()).isEqualTo(RolloutStatus.WAITING);
        assertThat(parked.resumeAt()).hasValue(SATURDAY_22);
        assertThat(installsOn(prod)).isZero();

        time.advance(Duration.between(time.now(), SATURDAY_22));
        PatchRolloutResult done = r.resume(runner, parked.rolloutId());

        assertThat(done.status()).as(done.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(installsOn(prod)).isEqualTo(1);
    }

    @Test
    void run_whenAWindowNeverOpensAgain_isRefusedBeforeAnyCall() {
        instance("dev");
        instance("prod");
        PatchRollout r = rollout().productionWindow(MaintenanceWindow.between(Instant.parse("2025-12-01T00:00:00Z"),
                Instant.parse("2025-12-02T00:00:00Z"))).build();
        long before = proxy.counts().sentCommands().size();

        assertThatThrownBy(() -> r.run(Runner.create().withTimeSource(time)))
                .isInstanceOf(InvalidPatchSettingException.class)
                .hasMessageContaining("productionWindow")
                .hasMessageContaining("never opens after 2026-01-01T00:00:00Z");
        assertThat(proxy.counts().sentCommands()).hasSize((int) before);
    }
}
