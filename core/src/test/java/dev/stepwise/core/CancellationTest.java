package dev.stepwise.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.retry.RetryPolicy;
import dev.stepwise.core.run.RunEvent;
import dev.stepwise.core.run.RunHandle;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.StepStatus;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CancellationTest {

    @Test
    void cancel_midRetry_stopsBeforeTheNextAttemptAndSaysWhere() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        AtomicReference<RunHandle> handle = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Plan plan = Plan.builder("cancel").step(Step.mutating("flaky")
                .retry(RetryPolicy.builder().maxAttempts(10).delay(Duration.ofHours(1)).build())
                .run(ctx -> {
                    attempts.incrementAndGet();
                    throw new IllegalStateException("still failing");
                })).step(Step.mutating("after").run(ctx -> { })).build();
        // The real clock: the retry waits an hour unless cancellation wakes it.
        Runner runner = Runner.create().withListener(e -> {
            if (e instanceof RunEvent.RetryScheduled) {
                started.countDown();
            }
        });
        handle.set(runner.start(plan, Inputs.empty()));
        started.await();
        handle.get().cancel("operator pressed stop");
        RunResult r = handle.get().await();

        assertThat(r.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(r.reason()).isEqualTo("cancelled during \"flaky\": operator pressed stop");
        assertThat(attempts).hasValue(1);
        assertThat(r.step("flaky").orElseThrow().status()).isEqualTo(StepStatus.CANCELLED);
        assertThat(r.step("after").orElseThrow().status()).isEqualTo(StepStatus.NOT_REACHED);
    }

    @Test
    void cancel_betweenSteps_stopsBeforeTheNextStep() throws Exception {
        CountDownLatch inFirst = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger secondRan = new AtomicInteger();
        Plan plan = Plan.builder("cancel2")
                .step(Step.mutating("first").run(ctx -> {
                    inFirst.countDown();
                    release.await();
                }))
                .step(Step.mutating("second").run(ctx -> secondRan.incrementAndGet()))
                .build();
        RunHandle h = Runner.create().start(plan, Inputs.empty());
        inFirst.await();
        h.cancel("change freeze");
        release.countDown();
        RunResult r = h.await();
        assertThat(r.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(r.reason()).isEqualTo("cancelled before \"second\": change freeze");
        assertThat(r.step("first").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(secondRan).hasValue(0);
    }

    @Test
    void cancel_duringAWaitInsideAStep_wakesTheWait() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        Plan plan = Plan.builder("cancel3").step(Step.mutating("poll").run(ctx -> {
            waiting.countDown();
            ctx.sleep(Duration.ofDays(1));
        })).build();
        RunHandle h = Runner.create().start(plan, Inputs.empty());
        waiting.await();
        h.cancel("enough");
        assertThat(h.await().status()).isEqualTo(RunStatus.CANCELLED);
    }
}
