package dev.stepwise.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.retry.RetryPolicy;
import dev.stepwise.core.run.Cancellation;
import dev.stepwise.core.run.RunEvent;
import dev.stepwise.core.run.RunHandle;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.StepResult;
import dev.stepwise.core.run.StepStatus;
import dev.stepwise.core.run.TimeSource;
import dev.stepwise.core.run.VirtualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Hardening item 4: an attempt ends before the next one starts, and a run is never reported finished while an
 * action it started is still acting. Regression: an attempt that timed out was interrupted and the next one
 * started at once, so three MUTATING attempts that ignored their interrupt ran side by side and all finished
 * after the run had reported FAILED; and a huge step timeout overflowed after the action had started.
 */
class AttemptsHardeningTest {
    /** Bounds every wait of these tests, so none can hang. */
    private static final long BOUND_SECONDS = 20;

    /** Counts the executions of an action that are in progress, and the most there ever were at once. */
    static final class Overlap {
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger ended = new AtomicInteger();
        final AtomicInteger active = new AtomicInteger();
        final AtomicInteger highWater = new AtomicInteger();
        final AtomicReference<String> thread = new AtomicReference<>();

        void enter() {
            started.incrementAndGet();
            thread.set(Thread.currentThread().getName());
            highWater.accumulateAndGet(active.incrementAndGet(), Math::max);
        }

        void exit() {
            active.decrementAndGet();
            ended.incrementAndGet();
        }
    }

    /** Waits for {@code release} however often it is interrupted, as an action that ignores interrupts does. */
    private static void awaitIgnoringInterrupts(CountDownLatch release) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        while (release.getCount() > 0 && System.nanoTime() < until) {
            try {
                release.await(10, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ignored) {
                // this action does not stop when asked
            }
        }
    }

    private static boolean stillRunning(RunEvent e) {
        return e instanceof RunEvent.AttemptFailed f && f.failure().message().contains("attempt still running");
    }

    @Test
    void run_whenATimedOutAttemptIgnoresItsInterrupt_startsNoOtherAttemptAndReportsOnlyAfterItEnds() throws Exception {
        Overlap o = new Overlap();
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<RunHandle> handle = new AtomicReference<>();
        AtomicBoolean doneWhileActing = new AtomicBoolean(true);
        Plan plan = Plan.builder("overlap").step(Step.mutating("change")
                .retry(RetryPolicy.builder().maxAttempts(3).delay(Duration.ZERO)
                        .attemptTimeout(Duration.ofMillis(100)).build())
                .run(ctx -> {
                    o.enter();
                    try {
                        awaitIgnoringInterrupts(release);
                    } finally {
                        o.exit();
                    }
                })).build();
        Runner runner = Runner.create().withListener(e -> {
            if (stillRunning(e)) {
                RunHandle h = handle.get();
                doneWhileActing.set(h == null || h.isDone());
                release.countDown();
            }
        });
        handle.set(runner.start(plan, Inputs.empty()));
        RunResult r = handle.get().await(Duration.ofSeconds(BOUND_SECONDS)).orElseThrow();
        release.countDown();

        assertThat(o.highWater).as("attempts running at once").hasValue(1);
        assertThat(o.started).as("attempts started: no retry while one still runs").hasValue(1);
        assertThat(o.ended).as("the result came only after the action ended").hasValue(1);
        assertThat(doneWhileActing).as("reported done while the action was acting").isFalse();
        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        StepResult step = r.step("change").orElseThrow();
        assertThat(step.status()).isEqualTo(StepStatus.FAILED);
        assertThat(step.failure().type()).isEqualTo(StepTimeoutException.class.getName());
        assertThat(step.failure().message()).contains("attempt still running").contains(o.thread.get());
    }

    @Test
    void run_whenTimedOutAttemptsStopSoonAfterTheirInterrupt_retriesOneAtATime() throws Exception {
        Overlap o = new Overlap();
        Plan plan = Plan.builder("overlap2").step(Step.mutating("change")
                .retry(RetryPolicy.builder().maxAttempts(3).delay(Duration.ZERO)
                        .attemptTimeout(Duration.ofMillis(500)).build())
                .run(ctx -> {
                    o.enter();
                    try {
                        // notices its interrupt only at its next check, then finishes what it was doing
                        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
                        while (!Thread.currentThread().isInterrupted() && System.nanoTime() < until) {
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                        }
                    } finally {
                        o.exit();
                    }
                })).build();
        RunHandle h = Runner.create().start(plan, Inputs.empty());
        RunResult r = h.await(Duration.ofSeconds(BOUND_SECONDS * 4)).orElseThrow();

        assertThat(o.highWater).as("attempts running at once").hasValue(1);
        assertThat(o.started).hasValue(3);
        assertThat(o.ended).hasValue(3);
        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.step("change").orElseThrow().attempts()).isEqualTo(3);
        assertThat(r.step("change").orElseThrow().failure().type()).isEqualTo(StepTimeoutException.class.getName());
    }

    @Test
    void cancel_whileATimedOutAttemptStillRuns_endsCancelledNamingTheActionAndItsThread() throws Exception {
        Overlap o = new Overlap();
        CountDownLatch release = new CountDownLatch(1);
        Cancellation stop = Cancellation.create();
        Plan plan = Plan.builder("abandoned").step(Step.mutating("change")
                .retry(RetryPolicy.builder().maxAttempts(3).delay(Duration.ZERO)
                        .attemptTimeout(Duration.ofMillis(100)).build())
                .run(ctx -> {
                    o.enter();
                    try {
                        awaitIgnoringInterrupts(release);
                    } finally {
                        o.exit();
                    }
                })).step(Step.mutating("after").run(ctx -> o.enter())).build();
        Runner runner = Runner.create().withCancellation(stop).withListener(e -> {
            if (stillRunning(e)) {
                stop.cancel("operator pressed stop");
            }
        });
        try {
            RunResult r = runner.start(plan, Inputs.empty()).await(Duration.ofSeconds(BOUND_SECONDS)).orElseThrow();

            assertThat(o.active).as("the action still runs: the result must say so").hasValue(1);
            assertThat(r.status()).isEqualTo(RunStatus.CANCELLED);
            assertThat(r.isSuccess()).isFalse();
            assertThat(r.reason()).contains("operator pressed stop").contains("still running")
                    .contains("\"change\"").contains(o.thread.get());
            StepResult step = r.step("change").orElseThrow();
            assertThat(step.status()).isEqualTo(StepStatus.CANCELLED);
            assertThat(step.note()).contains("still running").contains(o.thread.get());
            assertThat(r.step("after").orElseThrow().status()).isEqualTo(StepStatus.NOT_REACHED);
        } finally {
            release.countDown();
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        while (o.ended.get() < 1 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertThat(o.ended).hasValue(1);
        assertThat(o.started).as("nothing else started").hasValue(1);
        assertThat(o.highWater).hasValue(1);
    }

    @Test
    void run_onAVirtualClock_runsAttemptsInlineOneAtATime() {
        Overlap o = new Overlap();
        VirtualTimeSource time = VirtualTimeSource.create();
        Plan plan = Plan.builder("virtual").step(Step.mutating("change")
                .retry(RetryPolicy.builder().maxAttempts(3).delay(Duration.ofSeconds(1))
                        .attemptTimeout(Duration.ofMinutes(1)).build())
                .run(ctx -> {
                    o.enter();
                    try {
                        ctx.sleep(Duration.ofMinutes(5));
                    } catch (StepTimeoutException ignored) {
                        // keeps acting past its deadline, then gives up
                        throw new IllegalStateException("gave up late");
                    } finally {
                        o.exit();
                    }
                })).build();
        RunResult r = Runner.create().withTimeSource(time).run(plan, Inputs.empty());

        assertThat(o.highWater).hasValue(1);
        assertThat(o.started).hasValue(3);
        assertThat(o.ended).hasValue(3);
        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    }

    @Test
    void run_whenTheStepTimeoutIsLongMaxSeconds_runsTheActionOnceWithoutOverflow() {
        AtomicInteger calls = new AtomicInteger();
        Throwable rejected = catchThrowable(() -> Plan.builder("huge").step(Step.mutating("change")
                .retry(RetryPolicy.builder().maxAttempts(3).delay(Duration.ZERO).build())
                .timeout(Duration.ofSeconds(Long.MAX_VALUE)).run(ctx -> calls.incrementAndGet())).build());
        if (rejected != null) {
            // a build-time maximum is as good: nothing can start with such a timeout
            assertThat(rejected).isInstanceOf(PlanValidationException.class);
            return;
        }
        Plan plan = Plan.builder("huge").step(Step.mutating("change")
                .retry(RetryPolicy.builder().maxAttempts(3).delay(Duration.ZERO).build())
                .timeout(Duration.ofSeconds(Long.MAX_VALUE)).run(ctx -> calls.incrementAndGet())).build();

        RunResult r = Runner.create().run(plan, Inputs.empty());

        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(calls).hasValue(1);
    }

    @Test
    void run_whenDeadlinesFallPastTheLastInstant_runsTheActionOnceWithoutOverflow() {
        AtomicInteger calls = new AtomicInteger();
        // the real clock, shifted to ten seconds before the largest instant: every deadline lies past it
        Instant base = Instant.MAX.minusSeconds(10);
        long origin = System.nanoTime();
        TimeSource farFuture = new TimeSource() {
            @Override
            public Instant now() {
                return base.plusNanos(System.nanoTime() - origin);
            }

            @Override
            public boolean await(CountDownLatch wakeUp, Duration duration) throws InterruptedException {
                return TimeSource.system().await(wakeUp, duration);
            }
        };
        Plan plan = Plan.builder("far").step(Step.mutating("change")
                .retry(RetryPolicy.builder().maxAttempts(3).delay(Duration.ZERO)
                        .attemptTimeout(Duration.ofMinutes(1)).build())
                .timeout(Duration.ofHours(1)).run(ctx -> calls.incrementAndGet())).build();

        RunResult r = Runner.create().withTimeSource(farFuture).run(plan, Inputs.empty());

        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(calls).hasValue(1);
    }

    @Test
    void sleep_whenTheWaitIsLongerThanNanosCanCount_doesNotOverflow() throws Exception {
        VirtualTimeSource time = VirtualTimeSource.startingAt(Instant.MAX.minusSeconds(5));
        assertThat(time.await(new CountDownLatch(1), Duration.ofSeconds(Long.MAX_VALUE))).isFalse();
        assertThat(time.now()).isEqualTo(Instant.MAX);
        CountDownLatch released = new CountDownLatch(0);
        assertThat(TimeSource.system().await(released, Duration.ofSeconds(Long.MAX_VALUE))).isTrue();
    }
}
