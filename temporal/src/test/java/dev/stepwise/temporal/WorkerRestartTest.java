package dev.stepwise.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.rollout.Checkpoint;
import dev.stepwise.core.rollout.CheckpointResult;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.RolloutProgress;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.rollout.TargetStatus;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker stopped mid-rollout and a new one started on the same task queue: the new worker replays the history,
 * so targets that finished are not run again and the soak ends when it was due, not a soak later.
 *
 * <p>Both workers run without sticky execution ({@link TemporalWorker#workerOptions}). A real Temporal service
 * sends a workflow task to the normal task queue when the sticky worker does not pick it up within its sticky
 * schedule-to-start timeout (5 s by default); the in-process test server does not: it keeps routing tasks to the
 * dead worker's sticky queue, where they wait forever and hold the time-skipping lock (temporalio/sdk-java v1.38.0,
 * temporal-test-server {@code TestWorkflowMutableStateImpl} and {@code StateMachines.scheduleWorkflowTask}: the
 * task queue is the sticky one whenever sticky attributes are set, and scheduling a task locks time skipping until
 * it completes). A worker omits sticky attributes when its sticky schedule-to-start timeout is zero (same version,
 * {@code ReplayWorkflowTaskHandler}).
 */
@Timeout(180)
class WorkerRestartTest {
    static final Key<String> HOST = Key.of("Host", String.class);
    static final String QUEUE = "restart";
    static final Duration WEEK = Duration.ofDays(7);
    static final WorkerOptions NOT_STICKY = WorkerOptions.newBuilder()
            .setStickyQueueScheduleToStartTimeout(Duration.ZERO).build();

    TestWorkflowEnvironment env;
    /** Runs per target, counted by the test, whichever worker ran them. */
    final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    /** Which worker ran each target. */
    final Map<String, String> ranOn = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() {
        env = TestWorkflowEnvironment.newInstance();
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    /** The same rollout, built afresh for each worker as a redeployed worker would: same names, same structure. */
    Rollout rollout(String worker) {
        return rollout(worker, false);
    }

    /** The rollout of {@link #rollout(String)} with a changed plan: same names, one more step. */
    Rollout changed(String worker) {
        return rollout(worker, true);
    }

    private Rollout rollout(String worker, boolean lookFirst) {
        Plan.Builder plan = Plan.builder("patch").input(HOST);
        if (lookFirst) {
            plan.step(Step.readOnly("look-first").reads(HOST).run(ctx -> ranOn.put("changed:" + ctx.get(HOST), worker)));
        }
        plan.step(Step.mutating("install").reads(HOST).run(ctx -> {
            runs.computeIfAbsent(ctx.get(HOST), h -> new AtomicInteger()).incrementAndGet();
            ranOn.put(ctx.get(HOST), worker);
        }));
        return Rollout.builder("restarted", plan.build()).inputs(t -> Inputs.of(HOST, t))
                .wave("dev", w -> w.targets("d1", "d2"))
                .soak(WEEK)
                .wave("prod", w -> w.targets("p1", "p2", "p3").maxConcurrency(2))
                .build();
    }

    @Test
    void workerStoppedDuringSoak_newWorkerFinishes_withoutRerunningTargets_orRestartingTheSoak() throws Exception {
        WorkerFactory first = WorkerFactory.newInstance(env.getWorkflowClient());
        TemporalWorker one = StepwiseTemporal.worker(env.getWorkflowClient(), QUEUE).workerOptions(NOT_STICKY)
                .register(rollout("one")).start(first);
        TemporalClient client = StepwiseTemporal.client(env.getWorkflowClient(), QUEUE);
        TemporalRollout r = client.start(rollout("client"), "restarted-1");

        RolloutProgress soaking = RolloutOnTemporalTest.until(r::status,
                p -> p.state() == RolloutProgress.State.WAITING);
        assertThat(soaking.reason()).contains("soak");
        Instant due = soaking.resumeAt();
        assertThat(due).isNotNull();
        assertThat(runs).containsOnlyKeys("d1", "d2");

        one.shutdownNow();
        first.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        env.sleep(Duration.ofDays(2));

        WorkerFactory second = WorkerFactory.newInstance(env.getWorkflowClient());
        StepwiseTemporal.worker(env.getWorkflowClient(), QUEUE).workerOptions(NOT_STICKY)
                .register(rollout("two")).start(second);
        try {
            // still soaking on the new worker, with the same end
            RolloutProgress later = r.status();
            assertThat(later.state()).isEqualTo(RolloutProgress.State.WAITING);
            assertThat(later.resumeAt()).isEqualTo(due);

            RolloutResult result = r.await();
            assertThat(result.status()).isEqualTo(RolloutStatus.SUCCEEDED);
            assertThat(result.targets()).hasSize(5).allMatch(t -> t.status() == TargetStatus.SUCCEEDED);
            assertThat(runs.values()).allMatch(c -> c.get() == 1);
            assertThat(runs).containsOnlyKeys("d1", "d2", "p1", "p2", "p3");
            assertThat(ranOn).containsEntry("d1", "one").containsEntry("d2", "one")
                    .containsEntry("p1", "two").containsEntry("p2", "two").containsEntry("p3", "two");
            CheckpointResult soak = result.wave("prod").checkpoints().get(0);
            assertThat(soak.kind()).isEqualTo(Checkpoint.Kind.SOAK);
            assertThat(soak.end()).isEqualTo(due);
            assertThat(soak.duration()).isEqualTo(WEEK);
        } finally {
            second.shutdownNow();
        }
    }

    @Test
    void newWorkerWithAChangedPlan_refusesToContinue_namingBothFingerprints_runsNothing_andTheOriginalPlanGoesOn() throws Exception {
        Rollout original = rollout("one");
        Rollout changed = changed("two");
        assertThat(changed.plan().fingerprint()).isNotEqualTo(original.plan().fingerprint());
        WorkerFactory first = WorkerFactory.newInstance(env.getWorkflowClient());
        TemporalWorker one = StepwiseTemporal.worker(env.getWorkflowClient(), QUEUE).workerOptions(NOT_STICKY)
                .register(original).start(first);
        TemporalRollout r = StepwiseTemporal.client(env.getWorkflowClient(), QUEUE).start(original, "changed-1");
        RolloutOnTemporalTest.until(r::status, p -> p.state() == RolloutProgress.State.WAITING);
        one.shutdownNow();
        first.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);

        WorkerFactory second = WorkerFactory.newInstance(env.getWorkflowClient());
        StepwiseTemporal.worker(env.getWorkflowClient(), QUEUE).workerOptions(NOT_STICKY).register(changed)
                .start(second);
        try {
            // the new worker cannot replay the history on the changed plan: it refuses, and the workflow waits (running
            // nothing) for a worker with the plan it started with; a status query says why
            assertThatThrownBy(r::status).isInstanceOfSatisfying(TemporalRefusedException.class,
                    e -> assertThat(e.reason()).isEqualTo(TemporalRefusedException.Reason.CHANGED))
                    .hasMessageContaining("Rollout \"restarted\" changed under a running workflow")
                    .hasMessageContaining(original.plan().fingerprint())
                    .hasMessageContaining(changed.plan().fingerprint());
            assertThat(runs).containsOnlyKeys("d1", "d2");
            assertThat(ranOn.keySet()).noneMatch(k -> k.startsWith("changed:"));
        } finally {
            second.shutdownNow();
        }
        second.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);

        // the plan it started with is deployed again: the rollout goes on where it stood
        WorkerFactory third = WorkerFactory.newInstance(env.getWorkflowClient());
        StepwiseTemporal.worker(env.getWorkflowClient(), QUEUE).workerOptions(NOT_STICKY).register(rollout("three"))
                .start(third);
        try {
            RolloutResult result = r.await();
            assertThat(result.status()).isEqualTo(RolloutStatus.SUCCEEDED);
            assertThat(runs.values()).allMatch(c -> c.get() == 1);
            assertThat(ranOn).containsEntry("d1", "one").containsEntry("p1", "three");
            assertThat(ranOn.keySet()).noneMatch(k -> k.startsWith("changed:"));
        } finally {
            third.shutdownNow();
        }
    }
    /** A plan whose MUTATING step's first attempt hangs past its 2 s timeout, so the run waits for a decision. */
    Plan resize(String version, java.util.concurrent.CountDownLatch release) {
        Plan.Builder b = Plan.builder("resize");
        if (version.equals("v2")) {
            b.step(Step.readOnly("check quota").run(ctx -> ranOn.put("changed:quota", version)));
        }
        return b.step(Step.mutating("resize disk").run(ctx -> {
            if (runs.computeIfAbsent("resize", k -> new AtomicInteger()).incrementAndGet() == 1) {
                release.await();
            }
            ranOn.put("resize", version);
        })).build();
    }

    @Test
    void runWaitingForADecision_metByAWorkerWithAChangedPlan_isRefusedNamingBothFingerprints() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Plan v1 = resize("v1", release);
        Plan v2 = resize("v2", release);
        WorkerFactory first = WorkerFactory.newInstance(env.getWorkflowClient());
        TemporalWorker one = StepwiseTemporal.worker(env.getWorkflowClient(), QUEUE).workerOptions(NOT_STICKY)
                .stepTimeout(Duration.ofSeconds(2)).register(v1).start(first);
        TemporalRun run = StepwiseTemporal.client(env.getWorkflowClient(), QUEUE).start(v1, Inputs.empty(), "resize-1");
        java.util.Optional<String> waiting = RolloutOnTemporalTest.until(run::awaitingDecision,
                java.util.Optional::isPresent);
        assertThat(waiting).contains("resize disk");
        release.countDown();
        one.shutdownNow();
        first.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);

        WorkerFactory second = WorkerFactory.newInstance(env.getWorkflowClient());
        StepwiseTemporal.worker(env.getWorkflowClient(), QUEUE).workerOptions(NOT_STICKY).register(v2).start(second);
        try {
            assertThatThrownBy(run::awaitingDecision).isInstanceOfSatisfying(TemporalRefusedException.class,
                    e -> assertThat(e.reason()).isEqualTo(TemporalRefusedException.Reason.CHANGED))
                    .hasMessageContaining("Plan \"resize\" changed under a running workflow")
                    .hasMessageContaining(v1.fingerprint()).hasMessageContaining(v2.fingerprint());
            assertThatThrownBy(() -> run.rerun("resize disk", "alice")).isInstanceOf(TemporalRefusedException.class);
            assertThat(runs.get("resize")).hasValue(1);
            assertThat(ranOn).doesNotContainKey("changed:quota");
        } finally {
            second.shutdownNow();
        }
    }
}
