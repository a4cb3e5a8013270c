package dev.stepwise.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.rollout.CheckpointResult;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.RolloutProgress;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.RolloutStatus;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A worker stopped mid-rollout, as a crash would, and a new one started: nothing done is done again. */
@Timeout(240)
class WorkerRestartTest {
    static final Key<String> HOST = Key.of("Host", String.class);

    @Test
    void workerKilledDuringSoak_newWorkerFinishes_withoutRepeatingTargetsOrTheSoak() throws Exception {
        Map<String, AtomicInteger> patched = new ConcurrentHashMap<>();
        Plan plan = Plan.builder("patch").input(HOST)
                .step(Step.mutating("install").reads(HOST).run(ctx ->
                        patched.computeIfAbsent(ctx.get(HOST), h -> new AtomicInteger()).incrementAndGet()))
                .build();
        Rollout rollout = Rollout.builder("restartable", plan).inputs(t -> Inputs.of(HOST, t))
                .wave("first", w -> w.targets("a", "b", "c").maxConcurrency(2))
                .soak(Duration.ofDays(7))
                .wave("second", w -> w.targets("d", "e"))
                .build();
        TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
        try {
            WorkerFactory first = WorkerFactory.newInstance(env.getWorkflowClient());
            StepwiseTemporal.worker(env.getWorkflowClient(), "fleet").register(rollout).start(first);
            TemporalRollout r = StepwiseTemporal.client(env.getWorkflowClient(), "fleet").start(rollout, "restart-1");
            RolloutProgress soaking = RolloutOnTemporalTest.until(r::status,
                    p -> p.state() == RolloutProgress.State.WAITING);
            assertThat(soaking.state()).isEqualTo(RolloutProgress.State.WAITING);
            assertThat(patched).containsOnlyKeys("a", "b", "c");
            // stopped at once, as a crash would: its polls are cancelled and its cached workflow is gone
            first.shutdownNow();
            first.awaitTermination(10, TimeUnit.SECONDS);

            WorkerFactory second = WorkerFactory.newInstance(env.getWorkflowClient());
            StepwiseTemporal.worker(env.getWorkflowClient(), "fleet").register(rollout).start(second);
            RolloutResult result = r.await();

            assertThat(result.status()).isEqualTo(RolloutStatus.SUCCEEDED);
            assertThat(patched).containsOnlyKeys("a", "b", "c", "d", "e");
            assertThat(patched.values()).allMatch(c -> c.get() == 1);
            CheckpointResult soak = result.wave("second").checkpoints().get(0);
            assertThat(soak.duration()).isEqualTo(Duration.ofDays(7));
            assertThat(soak.end()).isEqualTo(soaking.resumeAt());
            second.shutdownNow();
        } finally {
            env.close();
        }
    }
}
