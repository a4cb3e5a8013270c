package dev.stepwise.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.StepResult;
import dev.stepwise.core.run.StepStatus;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class PlanOnTemporalTest {
    static final Key<String> HOST = Key.of("Host", String.class);
    static final Key<Integer> MISSING = Key.of("Missing", Integer.class);
    static final Key<String> IMAGE = Key.of("ImageId", String.class);
    static final String QUEUE = "maintenance";

    TestWorkflowEnvironment env;

    @BeforeEach
    void setUp() {
        env = TestWorkflowEnvironment.newInstance();
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    /** A plan with a flaky READ_ONLY step (retried), a branch, a MUTATING step with an output, and a skipped arm. */
    static Plan patchPlan(AtomicInteger scans) {
        Step<Integer> scan = Step.readOnly("scan").output(MISSING).reads(HOST)
                .action(ctx -> {
                    if (scans.incrementAndGet() == 1) {
                        throw new IllegalStateException("scanner busy");
                    }
                    return 2;
                })
                .retry(r -> r.maxAttempts(3).delay(Duration.ofSeconds(1)))
                .build();
        Step<String> backup = Step.mutating("backup").output(IMAGE).reads(HOST)
                .action(ctx -> "ami-" + ctx.get(HOST) + "-" + ctx.runId().length()).build();
        return Plan.builder("patch-host").input(HOST)
                .require("host is named", ctx -> !ctx.get(HOST).isEmpty())
                .step(scan)
                .branch("anything missing?", ctx -> ctx.get(MISSING) > 0,
                        then -> then.step(backup),
                        otherwise -> otherwise.end("nothing to install"))
                .build();
    }

    private TemporalClient client() {
        return StepwiseTemporal.client(env.getWorkflowClient(), QUEUE);
    }

    @Test
    void run_simplePlan_givesTheSameRowsAndOutputsAsTheEmbeddedRunner() {
        AtomicInteger embeddedScans = new AtomicInteger();
        RunResult embedded = Runner.create().run(patchPlan(embeddedScans), Inputs.of(HOST, "db1"));

        AtomicInteger scans = new AtomicInteger();
        Plan plan = patchPlan(scans);
        StepwiseTemporal.worker(env.getWorkflowClient(), QUEUE).register(plan).start(env.getWorkerFactory());
        RunResult onTemporal = client().start(plan, Inputs.of(HOST, "db1"), "run-12345").await();

        assertThat(onTemporal.status()).isEqualTo(embedded.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(rows(onTemporal)).isEqualTo(rows(embedded));
        assertThat(onTemporal.output(MISSING)).isEqualTo(embedded.output(MISSING)).contains(2);
        assertThat(onTemporal.output(IMAGE)).contains("ami-db1-9");
        assertThat(onTemporal.step("scan").orElseThrow().attempts()).isEqualTo(2);
        assertThat(onTemporal.inputs()).isEqualTo(embedded.inputs());
        assertThat(onTemporal.fingerprint()).isEqualTo(plan.fingerprint());
        assertThat(scans).hasValue(2);
    }

    private static List<String> rows(RunResult r) {
        return r.steps().stream().map(s -> s.name() + "|" + s.kind() + "|" + s.status() + "|" + s.attempts() + "|"
                + (s.name().equals("backup") ? "" : s.output()) + "|" + s.note()).toList();
    }

    @Test
    void run_failingPrecondition_failsLikeTheEmbeddedRunner() {
        AtomicInteger scans = new AtomicInteger();
        Plan plan = patchPlan(scans);
        RunResult embedded = Runner.create().run(plan, Inputs.of(HOST, ""));
        StepwiseTemporal.worker(env.getWorkflowClient(), QUEUE).register(plan).start(env.getWorkerFactory());
        RunResult onTemporal = client().start(plan, Inputs.of(HOST, "")).await();
        assertThat(onTemporal.status()).isEqualTo(RunStatus.FAILED);
        assertThat(onTemporal.reason()).isEqualTo(embedded.reason());
        assertThat(onTemporal.steps().stream().map(StepResult::status).toList())
                .isEqualTo(embedded.steps().stream().map(StepResult::status).toList());
        assertThat(scans).hasValue(0);
    }

    @Test
    void start_planTheWorkerDoesNotKnow_isRefusedNamingThePlan() {
        StepwiseTemporal.worker(env.getWorkflowClient(), QUEUE).start(env.getWorkerFactory());
        TemporalRun run = client().start(patchPlan(new AtomicInteger()), Inputs.of(HOST, "db1"));
        assertThatThrownBy(run::await).isInstanceOf(TemporalRefusedException.class)
                .hasMessageContaining("Plan \"patch-host\" is not registered")
                .extracting(e -> ((TemporalRefusedException) e).reason()).isEqualTo(TemporalRefusedException.Reason.UNKNOWN);
    }

    @Test
    void start_planThatDiffersFromTheWorkers_isRefusedWithBothFingerprints() {
        Plan v1 = patchPlan(new AtomicInteger());
        Plan v2 = v1.toBuilder().step(Step.mutating("reboot").run(ctx -> { })).build();
        StepwiseTemporal.worker(env.getWorkflowClient(), QUEUE).register(v2).start(env.getWorkerFactory());
        TemporalRun run = client().start(v1, Inputs.of(HOST, "db1"));
        assertThatThrownBy(run::await).isInstanceOf(TemporalRefusedException.class)
                .hasMessageContaining(v1.fingerprint()).hasMessageContaining(v2.fingerprint())
                .hasMessageContaining("new name or version");
    }

    @Test
    void register_twoPlansUnderOneName_isRefused() {
        TemporalWorker worker = StepwiseTemporal.worker(env.getWorkflowClient(), QUEUE).register(patchPlan(new AtomicInteger()));
        assertThatThrownBy(() -> worker.register(patchPlan(new AtomicInteger())))
                .isInstanceOf(TemporalRefusedException.class)
                .hasMessageContaining("Plan \"patch-host\" is already registered");
    }

    @Test
    void start_secretInput_isRefusedBeforeAnythingIsSent() {
        Key<String> token = Key.secret("Token", String.class);
        Plan plan = Plan.builder("with-secret").input(token).step(Step.readOnly("look").reads(token).run(ctx -> { })).build();
        assertThatThrownBy(() -> client().start(plan, Inputs.of(token, "hunter2")))
                .isInstanceOf(TemporalRefusedException.class).hasMessageContaining("Token")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void mutatingStep_whoseAttemptIsLost_waitsForADecision_andRerunsWhenTold() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AtomicBoolean sawRerun = new AtomicBoolean();
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // the first attempt hangs past its activity's start-to-close timeout (the worker's step timeout, 2 s here):
        // Temporal reports it timed out, as when its worker dies, and cannot say whether it acted. Temporal's test
        // environment does not skip time while an activity runs, so these 2 s pass on the wall clock.
        Plan plan = Plan.builder("resize").step(Step.mutating("resize disk").run(ctx -> {
            if (calls.incrementAndGet() == 1) {
                firstStarted.countDown();
                release.await();
                return;
            }
            sawRerun.set(ctx.isRerun());
        })).build();
        StepwiseTemporal.worker(env.getWorkflowClient(), QUEUE).register(plan).stepTimeout(Duration.ofSeconds(2))
                .start(env.getWorkerFactory());
        TemporalRun run = client().start(plan, Inputs.empty(), "resize-1");
        assertThat(firstStarted.await(30, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 300 && awaiting(run).isEmpty(); i++) {
            Thread.sleep(100);
        }
        release.countDown();
        assertThat(run.awaitingDecision()).contains("resize disk");
        assertThat(run.awaitingReason()).contains("needs a human decision").contains("timed out");
        assertThat(calls).hasValue(1);

        run.rerun("resize disk", "alice");
        RunResult result = run.await();
        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(calls).hasValue(2);
        assertThat(sawRerun).isTrue();
    }

    @Test
    void rerunnableMutatingStep_whoseAttemptIsLost_runsAgainByItself_seeingIsRerun() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AtomicBoolean sawRerun = new AtomicBoolean();
        CountDownLatch release = new CountDownLatch(1);
        Plan plan = Plan.builder("backup").step(Step.mutating("create image")
                .rerunnable("looks for the image this run tagged before creating one").run(ctx -> {
                    if (calls.incrementAndGet() == 1) {
                        release.await();
                        return;
                    }
                    sawRerun.set(ctx.isRerun());
                })).build();
        StepwiseTemporal.worker(env.getWorkflowClient(), QUEUE).register(plan).stepTimeout(Duration.ofSeconds(2))
                .start(env.getWorkerFactory());
        RunResult result = client().start(plan, Inputs.empty(), "backup-1").await();
        release.countDown();
        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(calls).hasValue(2);
        assertThat(sawRerun).isTrue();
    }

    @Test
    void mutatingStep_whoseAttemptIsLost_isSkippedWhenTold() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        Plan plan = Plan.builder("resize2").step(Step.mutating("resize disk").run(ctx -> {
            calls.incrementAndGet();
            release.await();
        })).step(Step.readOnly("verify").run(ctx -> { })).build();
        StepwiseTemporal.worker(env.getWorkflowClient(), QUEUE).register(plan).stepTimeout(Duration.ofSeconds(2))
                .start(env.getWorkerFactory());
        TemporalRun run = client().start(plan, Inputs.empty(), "resize-2");
        for (int i = 0; i < 300 && awaiting(run).isEmpty(); i++) {
            Thread.sleep(100);
        }
        release.countDown();
        run.skip("resize disk", "bob");
        RunResult result = run.await();
        assertThat(result.step("resize disk").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
        assertThat(result.step("resize disk").orElseThrow().note()).contains("skipped by bob");
        assertThat(result.step("verify").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(calls).hasValue(1);
    }

    /** The step a run waits on; empty while no worker answers queries yet (a poll given to the dead worker). */
    static java.util.Optional<String> awaiting(TemporalRun run) {
        try {
            return run.awaitingDecision();
        } catch (io.temporal.client.WorkflowServiceException e) {
            return java.util.Optional.empty();
        }
    }

    @Test
    void cancel_duringAStep_cancelsTheActivity_andReportsWhereTheRunStopped() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean stoppedByCancellation = new AtomicBoolean();
        Plan plan = Plan.builder("long").step(Step.mutating("drain").run(ctx -> {
            started.countDown();
            try {
                for (int i = 0; i < 600; i++) {
                    ctx.sleep(Duration.ofMillis(100));
                }
            } catch (dev.stepwise.core.CancelledException e) {
                stoppedByCancellation.set(true);
                throw e;
            }
        })).step(Step.mutating("after").run(ctx -> { })).build();
        StepwiseTemporal.worker(env.getWorkflowClient(), QUEUE).register(plan).heartbeatEvery(Duration.ofMillis(200))
                .start(env.getWorkerFactory());
        TemporalRun run = client().start(plan, Inputs.empty());
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        run.cancel();
        RunResult result = run.await();
        assertThat(result.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(result.reason()).contains("cancelled during \"drain\"");
        assertThat(result.step("drain").orElseThrow().status()).isEqualTo(StepStatus.CANCELLED);
        assertThat(result.step("after").orElseThrow().status()).isEqualTo(StepStatus.NOT_REACHED);
        assertThat(stoppedByCancellation).isTrue();
    }

    @Test
    void decide_whenNoStepWaits_isRefused() {
        Plan plan = Plan.builder("quick").step(Step.mutating("touch").run(ctx -> { })).build();
        StepwiseTemporal.worker(env.getWorkflowClient(), QUEUE).register(plan).start(env.getWorkerFactory());
        TemporalRun run = client().start(plan, Inputs.empty());
        run.await();
        assertThatThrownBy(() -> run.rerun("touch", "alice")).isInstanceOf(TemporalRefusedException.class)
                .hasMessageContaining("does not wait for a decision");
    }
    /** A failing step that goes to a later step on failure (the drivers upgrade's stop → restore), as embedded. */
    static Plan goesToRestore() {
        return Plan.builder("stop-then-restore").input(HOST)
                .step(Step.mutating("stop").reads(HOST).onFailure(dev.stepwise.core.plan.OnFailure.goTo("restore"))
                        .run(ctx -> {
                            throw new IllegalStateException("stop refused on " + ctx.get(HOST));
                        }))
                .step(Step.mutating("upgrade").reads(HOST).run(ctx -> { }))
                .step(Step.mutating("restore").reads(HOST).run(ctx -> { }))
                .build();
    }

    @Test
    void stepThatGoesToAnotherOnFailure_runsThatStep_asTheEmbeddedRunnerDoes() {
        RunResult embedded = Runner.create().run(goesToRestore(), Inputs.of(HOST, "db1"));
        Plan plan = goesToRestore();
        StepwiseTemporal.worker(env.getWorkflowClient(), QUEUE).register(plan).start(env.getWorkerFactory());
        RunResult onTemporal = client().start(plan, Inputs.of(HOST, "db1"), "run-goto").await();
        assertThat(onTemporal.status()).isEqualTo(RunStatus.FAILED);
        assertThat(onTemporal.steps()).extracting(StepResult::name, StepResult::status, StepResult::note)
                .containsExactlyElementsOf(embedded.steps().stream()
                        .map(r -> org.assertj.core.groups.Tuple.tuple(r.name(), r.status(), r.note())).toList());
        assertThat(onTemporal.step("restore").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(onTemporal.reason()).isEqualTo(embedded.reason());
    }
}
