package dev.stepwise.core.poll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.core.StepTimeoutException;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.retry.RetryPolicy;
import dev.stepwise.core.run.RunHandle;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.StepResult;
import dev.stepwise.core.run.StepStatus;
import dev.stepwise.core.run.VirtualTimeSource;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Poll.until inside real steps, run by a real Runner on a virtual clock: every wait is recorded, none is slept. */
class PollTest {
    private static final Key<String> OUT = Key.of("out", String.class);
    private static final Duration S1 = Duration.ofSeconds(1);

    private final VirtualTimeSource time = VirtualTimeSource.create();
    private final Runner runner = Runner.create().withTimeSource(time);
    private final AtomicInteger probes = new AtomicInteger();
    private final AtomicReference<Throwable> thrown = new AtomicReference<>();

    private static Poll.Builder poll() {
        return Poll.builder().describedAs("instance i-1 to stop");
    }

    private static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }

    private static List<Duration> times(int n, Duration d) {
        return Collections.nCopies(n, d);
    }

    /** A probe that answers "stopping" until probe number {@code doneAt}, which answers done with "stopped". */
    private Probe<String> doneAt(int doneAt) {
        return () -> probes.incrementAndGet() >= doneAt ? Outcome.done("stopped")
                : Outcome.waiting("stopping #" + probes.get());
    }

    /** A one-step plan that polls; whatever the poll throws is kept in {@link #thrown} and fails the step. */
    private Plan plan(Poll poll, Probe<String> probe, RetryPolicy retry, Duration stepTimeout) {
        Step.Builder<String> step = Step.mutating("wait").output(OUT).retry(retry).action(ctx -> {
            try {
                return poll.until(ctx, probe);
            } catch (RuntimeException e) {
                thrown.set(e);
                throw e;
            }
        });
        if (stepTimeout != null) {
            step.timeout(stepTimeout);
        }
        return Plan.builder("poll").step(step).build();
    }

    private RunResult run(Poll poll, Probe<String> probe) {
        return runner.run(plan(poll, probe, RetryPolicy.none(), null), Inputs.empty());
    }

    private static StepResult step(RunResult r) {
        return r.step("wait").orElseThrow();
    }

    private Duration elapsed() {
        return Duration.between(VirtualTimeSource.DEFAULT_START, time.now());
    }

    @Test
    void until_whenDoneOnFourthProbe_probesExactlyFourTimesAndWaitsThreeIntervals() {
        RunResult r = run(poll().every(seconds(5)).timeout(Duration.ofMinutes(1)).build(), doneAt(4));

        assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.output(OUT)).contains("stopped");
        assertThat(probes).hasValue(4);
        assertThat(time.waits()).containsExactlyElementsOf(times(3, seconds(5)));
        assertThat(elapsed()).isEqualTo(seconds(15));
        assertThat(step(r).duration()).contains(seconds(15));
    }

    @Test
    void until_whenDoneOnFirstProbe_neverWaits() {
        RunResult r = run(poll().build(), doneAt(1));

        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(probes).hasValue(1);
        assertThat(time.waits()).isEmpty();
    }

    @Test
    void until_withFixedInterval_waitsTheSameBetweenEveryProbe() {
        run(poll().every(Duration.ofMillis(250)).build(), doneAt(6));

        assertThat(time.waits()).containsExactlyElementsOf(times(5, Duration.ofMillis(250)));
    }

    @Test
    void until_withBackoff_doublesEachWaitUpToTheMaximum() {
        run(poll().backoff(S1, seconds(10)).build(), doneAt(7));

        assertThat(probes).hasValue(7);
        assertThat(time.waits()).containsExactly(S1, seconds(2), seconds(4), seconds(8), seconds(10), seconds(10));
        assertThat(elapsed()).isEqualTo(seconds(35));
    }

    @Test
    void until_withBackoffMultiplier_multipliesEachWaitByIt() {
        run(poll().backoff(S1, Duration.ofMinutes(1), 3).build(), doneAt(6));

        assertThat(time.waits()).containsExactly(S1, seconds(3), seconds(9), seconds(27), seconds(60));
    }

    @Test
    void until_withInitialDelay_waitsItOnceBeforeTheFirstProbe() {
        run(poll().initialDelay(seconds(90)).every(seconds(10)).build(), doneAt(3));

        assertThat(probes).hasValue(3);
        assertThat(time.waits()).containsExactly(seconds(90), seconds(10), seconds(10));
    }

    @Test
    void until_whenNeverDone_throwsPollTimeoutNamingDescriptionTimeoutProbesAndLastState() {
        RunResult r = run(poll().every(seconds(10)).timeout(Duration.ofMinutes(1)).build(), doneAt(1000));

        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(step(r).failure().type()).isEqualTo(PollTimeoutException.class.getName());
        assertThat(step(r).failure().message()).isEqualTo("Step \"wait\": timed out after 1 min waiting for instance "
                + "i-1 to stop (6 probes; last state: stopping #6)");
        assertThat(thrown.get()).isInstanceOf(StepTimeoutException.class);
        PollTimeoutException e = (PollTimeoutException) thrown.get();
        assertThat(e.step()).isEqualTo("wait");
        assertThat(e.description()).isEqualTo("instance i-1 to stop");
        assertThat(e.timeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(e.probes()).isEqualTo(6);
        assertThat(e.lastState()).isEqualTo("stopping #6");
        assertThat(probes).hasValue(6);
        assertThat(time.waits()).as("no wait for a probe that could not start in time")
                .containsExactlyElementsOf(times(5, seconds(10)));
    }

    @Test
    void until_whenTimeoutIsNotAMultipleOfTheInterval_startsNoProbeAfterIt() {
        run(poll().every(seconds(7)).timeout(seconds(20)).build(), doneAt(1000));

        assertThat(probes).as("probes at 0 s, 7 s and 14 s; the next would start at 21 s").hasValue(3);
        assertThat(time.waits()).containsExactly(seconds(7), seconds(7));
        assertThat(thrown.get()).hasMessageContaining("(3 probes;");
    }

    @Test
    void until_whenTimeoutIsShorterThanTheInterval_probesOnce() {
        run(poll().every(Duration.ofMinutes(1)).timeout(seconds(30)).build(), doneAt(1000));

        assertThat(probes).hasValue(1);
        assertThat(time.waits()).isEmpty();
        assertThat(thrown.get()).isInstanceOf(PollTimeoutException.class).hasMessageContaining("(1 probe;");
    }

    @Test
    void until_withInitialDelay_countsTheTimeoutFromTheFirstProbe() {
        run(poll().initialDelay(seconds(90)).every(seconds(10)).timeout(Duration.ofMinutes(1)).build(), doneAt(1000));

        assertThat(probes).hasValue(6);
        assertThat(time.waits()).containsExactly(seconds(90), seconds(10), seconds(10), seconds(10), seconds(10),
                seconds(10));
    }

    @Test
    void until_withBackoffNeverDone_givesUpWhenTheNextWaitWouldReachTheTimeout() {
        run(poll().backoff(S1, seconds(8)).timeout(seconds(20)).build(), doneAt(1000));

        // probes at 0, 1, 3, 7 and 15 s; the next would start at 23 s
        assertThat(probes).hasValue(5);
        assertThat(time.waits()).containsExactly(S1, seconds(2), seconds(4), seconds(8));
    }

    @Test
    void until_whenProbeAnswersFailed_stopsAtOnceWithPollFailed() {
        Probe<String> probe = () -> probes.incrementAndGet() < 3 ? Outcome.waiting("pending")
                : Outcome.failed("image ami-1 is failed; it cannot serve as a backup");
        RunResult r = run(Poll.builder().describedAs("image ami-1 to be available").build(), probe);

        assertThat(step(r).failure().type()).isEqualTo(PollFailedException.class.getName());
        assertThat(step(r).failure().message()).isEqualTo("Step \"wait\": image ami-1 is failed; it cannot serve as a "
                + "backup (gave up waiting for image ami-1 to be available after 3 probes)");
        assertThat(((PollFailedException) thrown.get()).reason()).isEqualTo("image ami-1 is failed; it cannot serve as a backup");
        assertThat(time.waits()).containsExactly(seconds(5), seconds(5));
    }

    @Test
    void until_whenProbeThrows_failsTheStepWithTheProbesOwnException() {
        Probe<String> probe = () -> {
            if (probes.incrementAndGet() == 2) {
                throw new IllegalStateException("DescribeInstances answered 500");
            }
            return Outcome.waiting("stopping");
        };
        RunResult r = run(poll().build(), probe);

        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(step(r).failure().type()).isEqualTo(IllegalStateException.class.getName());
        assertThat(step(r).failure().message()).isEqualTo("DescribeInstances answered 500");
        assertThat(probes).hasValue(2);
    }

    @Test
    void until_whenProbeThrowsAndTheStepRetries_pollsAgainInTheNextAttempt() {
        Probe<String> probe = () -> {
            int n = probes.incrementAndGet();
            if (n == 2) {
                throw new IllegalStateException("throttled");
            }
            return n >= 3 ? Outcome.done("stopped") : Outcome.waiting("stopping");
        };
        RetryPolicy retry = RetryPolicy.builder().maxAttempts(2).delay(S1).build();
        RunResult r = runner.run(plan(poll().build(), probe, retry, null), Inputs.empty());

        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(step(r).attempts()).isEqualTo(2);
        assertThat(time.waits()).as("one poll interval, then the retry's delay").containsExactly(seconds(5), S1);
    }

    @Test
    void until_whenStepTimeoutComesFirst_endsWithTheStepsTimeoutNotThePolls() {
        Plan plan = plan(poll().every(seconds(10)).timeout(Duration.ofMinutes(10)).build(), doneAt(1000),
                RetryPolicy.none(), seconds(30));
        RunResult r = runner.run(plan, Inputs.empty());

        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(step(r).failure().type()).isEqualTo(StepTimeoutException.class.getName());
        assertThat(probes).as("probes at 0, 10, 20 and 30 s").hasValue(4);
        assertThat(elapsed()).isEqualTo(seconds(30));
    }

    @Test
    void until_whenRunIsCancelledDuringAProbe_stopsPollingWithCancelled() throws Exception {
        CountDownLatch inSecondProbe = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        Probe<String> probe = () -> {
            if (probes.incrementAndGet() == 2) {
                inSecondProbe.countDown();
                awaitQuietly(cancelled);
            }
            return Outcome.waiting("stopping");
        };
        RunHandle h = runner.start(plan(poll().build(), probe, RetryPolicy.none(), null), Inputs.empty());
        assertThat(inSecondProbe.await(10, TimeUnit.SECONDS)).isTrue();
        h.cancel("operator pressed stop");
        cancelled.countDown();
        RunResult r = h.await();

        assertThat(r.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(step(r).status()).isEqualTo(StepStatus.CANCELLED);
        assertThat(probes).hasValue(2);
        assertThat(time.waits()).as("only the wait between the first two probes").containsExactly(seconds(5));
    }

    @Test
    void until_whenRunIsCancelledBeforeTheFirstProbe_neverProbes() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        Plan plan = Plan.builder("poll").step(Step.mutating("wait").run(ctx -> {
            started.countDown();
            cancelled.await();
            poll().build().until(ctx, doneAt(1));
        })).build();
        RunHandle h = runner.start(plan, Inputs.empty());
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        h.cancel("change freeze");
        cancelled.countDown();

        assertThat(h.await().status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(probes).hasValue(0);
    }

    @Test
    void until_withSupplierAndPredicate_returnsTheFirstAcceptedValue() {
        List<String> states = List.of("pending", "pending", "running");
        Plan plan = Plan.builder("poll").step(Step.mutating("wait").output(OUT).action(ctx ->
                poll().build().until(ctx, () -> states.get(probes.getAndIncrement()), "running"::equals))).build();

        RunResult r = runner.run(plan, Inputs.empty());

        assertThat(r.output(OUT)).contains("running");
        assertThat(probes).hasValue(3);
    }

    @Test
    void until_withSupplierNeverAccepted_quotesTheLastValueAsTheState() {
        Plan plan = Plan.builder("poll").step(Step.mutating("wait").run(ctx ->
                poll().timeout(seconds(10)).build().until(ctx, () -> "stopping", "stopped"::equals))).build();

        RunResult r = runner.run(plan, Inputs.empty());

        assertThat(step(r).failure().message()).endsWith("(2 probes; last state: stopping)");
    }

    @Test
    void until_whenProbeReturnsNull_failsNamingWhatItWaitedFor() {
        RunResult r = run(poll().build(), () -> null);

        assertThat(step(r).failure().type()).isEqualTo(NullPointerException.class.getName());
        assertThat(step(r).failure().message()).contains("the probe for instance i-1 to stop returned null");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
