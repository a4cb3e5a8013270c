package dev.stepwise.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.AwsTimings;
import dev.stepwise.aws.patch.PatchRollout;
import dev.stepwise.aws.patch.Pin;
import dev.stepwise.aws.patch.PatchTargets;
import dev.stepwise.aws.testkit.FillInProxy;
import dev.stepwise.aws.testkit.MotoExtension;
import dev.stepwise.aws.testkit.Patch;
import dev.stepwise.aws.testkit.SentCommand;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.rollout.Approver;
import dev.stepwise.core.rollout.Checkpoint;
import dev.stepwise.core.rollout.CheckpointResult;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.RolloutProgress;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.rollout.Rollouts;
import dev.stepwise.core.rollout.TargetStatus;
import dev.stepwise.core.rollout.WaveStatus;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue #21 item 7: the staged patch rollout ({@code PatchRollout.toRollout()}, unchanged) runs on Temporal against
 * Moto behind the testkit's fill-in proxy: non-production is patched, the 7-day soak is a durable timer (skipped by
 * the test server), the rescan and the comparison gate run, and production installs only what non-production
 * verified. The production plan recalls the comparison gate's data from the checkpoints the rollout workflow hands
 * each production target ({@code StepContext.waveCheckpoints()}), so no worker needs a journal store: the halting and
 * the pinned tests run workers without one, and the first keeps the optional journal copy
 * ({@link TemporalWorker#journal}) only to read the rollout's status from it. Instances and patches are set up as
 * in aws's {@code PatchRolloutIT}.
 */
@Timeout(240)
class PatchRolloutOnTemporalIT {
    @RegisterExtension
    static final MotoExtension MOTO = MotoExtension.create();

    static final String WINDOWS_AMI = "ami-b7e93bce";
    static final String LINUX_AMI = "ami-0123456789abcdef0";
    static final String QUEUE = "patching";

    @TempDir
    Path dir;
    FillInProxy proxy;
    AwsContext aws;
    TestWorkflowEnvironment env;
    JournalStore store;

    @BeforeEach
    void setUp() {
        proxy = MOTO.proxy();
        aws = AwsContext.builder().region("us-east-1").endpointOverride(proxy.endpoint())
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .sdkMaxAttempts(2).timings(AwsTimings.allOf(Duration.ofMillis(1))).build();
        env = TestWorkflowEnvironment.newInstance();
        store = JournalStore.directory(dir);
    }

    @AfterEach
    void tearDown() {
        env.close();
        aws.close();
    }

    /** A running instance tagged Env={@code envTag}, managed by SSM as {@code platform}, with {@code patches}. */
    String instance(String platform, String envTag, Patch... patches) {
        String ami = platform.equals("Windows") ? WINDOWS_AMI : LINUX_AMI;
        String id = aws.ec2().runInstances(r -> r.imageId(ami).instanceType(InstanceType.T3_MEDIUM).minCount(1).maxCount(1)
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE)
                        .tags(Tag.builder().key("Env").value(envTag).build()).build())).instances().get(0).instanceId();
        proxy.scenario().managedInstance(id, platform);
        if (patches.length > 0) {
            proxy.scenario().patches(id, patches);
        }
        return id;
    }

    static Patch kb1() {
        return Patch.missing("KB5031356").withTitle("2023-10 Cumulative Update").withSeverity("Critical");
    }

    PatchRollout patching() {
        return PatchRollout.builder("monthly-patching", aws)
                .nonProduction(PatchTargets.tagged(aws, "Env", "dev"))
                .production(PatchTargets.tagged(aws, "Env", "prod"))
                .unpinnedProduction()
                .build();
    }

    List<SentCommand> installs() {
        return proxy.counts().sentCommands().stream()
                .filter(c -> c.parameters().get("Operation").equals(List.of("Install"))).toList();
    }

    /** Starts {@code rollout} on a worker that keeps no journal. */
    TemporalRollout start(Rollout rollout, String id) {
        StepwiseTemporal.worker(env.getWorkflowClient(), QUEUE).register(rollout).start(env.getWorkerFactory());
        return StepwiseTemporal.client(env.getWorkflowClient(), QUEUE).start(rollout, id);
    }

    /** Starts {@code rollout} on a worker that keeps a copy of its journal in {@link #store}, for status readers. */
    TemporalRollout startJournaled(Rollout rollout, String id) {
        StepwiseTemporal.worker(env.getWorkflowClient(), QUEUE).journal(store).register(rollout)
                .start(env.getWorkerFactory());
        return StepwiseTemporal.client(env.getWorkflowClient(), QUEUE).start(rollout, id);
    }

    /** Whether {@link #store}'s directory holds any journal. */
    boolean anyJournal() throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
            return files.findAny().isPresent();
        }
    }

    @Test
    void stagedPatchRollout_patchesNonProduction_soaks_thenProductionInstallsWhatWasVerified() {
        String dev1 = instance("Windows", "dev", kb1(), Patch.installed("KB5030214"));
        String dev2 = instance("Linux", "dev", Patch.missing("openssl.x86_64"));
        String prod1 = instance("Windows", "prod", kb1());
        String prod2 = instance("Linux", "prod", Patch.missing("openssl.x86_64"));

        Rollout rollout = patching().toRollout();
        TemporalRollout r = startJournaled(rollout, "patch-2026-11");
        RolloutResult result = r.await();

        assertThat(result.status()).as(result.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(result.waves()).extracting(w -> w.status()).containsOnly(WaveStatus.SUCCEEDED);
        assertThat(result.wave(PatchRollout.PRODUCTION).targets()).extracting(t -> t.target())
                .containsExactlyInAnyOrder(prod1, prod2);
        assertThat(result.targets()).allMatch(t -> t.status() == TargetStatus.SUCCEEDED);
        List<SentCommand> installs = installs();
        assertThat(installs).extracting(c -> c.instanceIds().get(0)).containsExactlyInAnyOrder(dev1, dev2, prod1, prod2);
        assertThat(installs.subList(0, 2)).extracting(c -> c.instanceIds().get(0)).containsExactlyInAnyOrder(dev1, dev2);
        CheckpointResult soak = result.wave(PatchRollout.NON_PRODUCTION_RESCAN).checkpoints().get(0);
        assertThat(soak.kind()).isEqualTo(Checkpoint.Kind.SOAK);
        assertThat(soak.duration()).isEqualTo(Duration.ofDays(7));
        CheckpointResult gate = result.wave(PatchRollout.PRODUCTION).checkpoints().get(0);
        assertThat(gate.kind()).isEqualTo(Checkpoint.Kind.GATE);
        assertThat(gate.outcome()).isEqualTo(CheckpointResult.Outcome.PASSED);
        assertThat(gate.data()).containsEntry("matches", true);
        // the journal copy reads as a finished rollout, as the embedded runner's would
        RolloutProgress fromJournal = Rollouts.status(store, "patch-2026-11");
        assertThat(fromJournal.state()).isEqualTo(RolloutProgress.State.SUCCEEDED);
        assertThat(fromJournal.rollout()).isEqualTo("monthly-patching");
    }

    @Test
    void stagedPatchRollout_whenProductionWouldInstallAnUntestedPatch_haltsBeforeAnyProductionInstall() throws Exception {
        String dev = instance("Windows", "dev", kb1());
        String prod = instance("Windows", "prod", kb1(), Patch.missing("KB5032000").withTitle("Out-of-band DNS fix")
                .withClassification("CriticalUpdates").withSeverity("Important"));

        RolloutResult result = start(patching().toRollout(), "patch-untested").await();

        assertThat(result.status()).isEqualTo(RolloutStatus.HALTED);
        assertThat(result.wave(PatchRollout.PRODUCTION).status()).isEqualTo(WaveStatus.HALTED);
        assertThat(result.wave(PatchRollout.PRODUCTION).checkpoints().get(0).outcome())
                .isEqualTo(CheckpointResult.Outcome.REJECTED);
        assertThat(installs()).extracting(c -> c.instanceIds()).containsExactly(List.of(dev));
        assertThat(proxy.counts().sentCommands()).filteredOn(c -> c.instanceIds().contains(prod))
                .extracting(c -> c.parameters().get("Operation")).containsOnly(List.of("Scan"));
        assertThat(anyJournal()).as("the worker kept no journal").isFalse();
    }

    /**
     * The trusted default on Temporal: production pinned to an S3 list of what non-production verified, and a person's
     * approval (a signal) before production. A patch released on production while the approval waits is not
     * installed: its Install carries the list. Neither the patch rollout nor the worker has a journal store: the
     * production targets recall the verified list from their wave's checkpoints.
     */
    @Test
    void pinnedToS3_withApprovalSignal_productionInstallsOnlyTheVerifiedList_notAPatchReleasedMeanwhile() throws Exception {
        Patch openssl = Patch.missing("openssl.x86_64").withTitle("openssl.x86_64:1:1.0.2k-24.amzn2");
        instance("Linux", "dev", openssl);
        String prod = instance("Linux", "prod", openssl);
        try (S3Client s3 = aws.configure(S3Client.builder()).credentialsProvider(aws.credentials()).forcePathStyle(true)
                .build()) {
            s3.createBucket(b -> b.bucket("patch-lists"));
            Rollout rollout = PatchRollout.builder("pinned-monthly", aws)
                    .nonProduction(PatchTargets.tagged(aws, "Env", "dev"))
                    .production(PatchTargets.tagged(aws, "Env", "prod"))
                    .pin(Pin.s3("patch-lists", "monthly/"))
                    .approveProduction(Approver.of(new CompletableFuture<>()), a -> a.timeout(Duration.ofDays(2)))
                    .build().toRollout();
            TemporalRollout r = start(rollout, "pinned-2026-11");

            RolloutProgress soaking = RolloutOnTemporalTest.until(r::status, p -> p.resumeAt() != null);
            assertThat(soaking.reason()).as(soaking.toString()).contains("soak");
            // the test server skips time only while a client awaits a result; polling status does not
            env.sleep(Duration.ofDays(7).plusHours(1));
            RolloutProgress asking = RolloutOnTemporalTest.until(r::status, p -> p.pendingApproval().isPresent());
            assertThat(asking.pendingApproval()).as(asking.toString()).isPresent();
            assertThat(installs()).extracting(c -> c.instanceIds().get(0)).doesNotContain(prod);
            proxy.scenario().releasePatch(prod, Patch.missing("curl.x86_64").withTitle("curl.x86_64:0:7.88.1-1.amzn2"));
            r.approve("alice", "CHG-7");
            RolloutResult result = r.await();

            assertThat(result.status()).as(result.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
            String key = "monthly/pinned-monthly/pinned-2026-11.yaml";
            assertThat(s3.getObjectAsBytes(g -> g.bucket("patch-lists").key(key)).asUtf8String())
                    .contains("openssl.x86_64:1:1.0.2k-24.amzn2").doesNotContain("curl");
            assertThat(installs()).filteredOn(c -> c.instanceIds().contains(prod)).singleElement()
                    .satisfies(c -> assertThat(c.parameters()).containsEntry("InstallOverrideList",
                            List.of("s3://patch-lists/" + key)));
            assertThat(proxy.scenario().patchesOf(prod)).extracting(Patch::kbId, Patch::state).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("openssl.x86_64", Patch.State.INSTALLED),
                    org.assertj.core.groups.Tuple.tuple("curl.x86_64", Patch.State.MISSING));
            java.util.Map<String, Object> recalled = result.wave(PatchRollout.PRODUCTION).target(prod).orElseThrow().run()
                    .outputs();
            assertThat(String.valueOf(recalled.get("pinned"))).as("production recalled the verified set without a journal")
                    .contains("openssl.x86_64").doesNotContain("curl");
            assertThat(recalled).containsEntry("installOverrideList", "s3://patch-lists/" + key);
            assertThat(anyJournal()).as("the worker kept no journal").isFalse();
        }
    }
}
