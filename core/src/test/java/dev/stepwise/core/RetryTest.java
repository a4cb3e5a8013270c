package dev.stepwise.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.retry.RetryPolicy;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.StepStatus;
import dev.stepwise.core.run.VirtualTimeSource;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryTest {
    private final VirtualTimeSource time = VirtualTimeSource.create();
    private final Runner runner = Runner.create().withTimeSource(time);

    private static Plan failingTimes(int failures, AtomicInteger calls, RetryPolicy policy, RuntimeException error) {
        return Plan.builder("retry").step(Step.mutating("flaky").retry(policy).run(ctx -> {
            if (calls.incrementAndGet() <= failures) {
                throw error;
            }
        })).build();
    }

    @Test
    void run_whenStepFailsTwice_retriesWithExponentialBackoffOnVirtualClock() {
        AtomicInteger calls = new AtomicInteger();
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(5).backoff(Duration.ofSeconds(1), Duration.ofSeconds(30)).build();
        RunResult r = runner.run(failingTimes(2, calls, policy, new IllegalStateException("throttled")), Inputs.empty());

        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(calls).hasValue(3);
        assertThat(r.step("flaky").orElseThrow().attempts()).isEqualTo(3);
        assertThat(time.waits()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void run_whenBackoffReachesCap_waitsAtMostMaxDelay() {
        AtomicInteger calls = new AtomicInteger();
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(6).backoff(Duration.ofSeconds(1), Duration.ofSeconds(5)).build();
        RunResult r = runner.run(failingTimes(10, calls, policy, new IllegalStateException("down")), Inputs.empty());

        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(calls).hasValue(6);
        assertThat(time.waits()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(5), Duration.ofSeconds(5));
        assertThat(r.reason()).contains("step \"flaky\" failed after 6 attempts: IllegalStateException: down");
    }

    @Test
    void run_withFixedDelay_waitsTheSameEachTime() {
        AtomicInteger calls = new AtomicInteger();
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(4).delay(Duration.ofMillis(250)).build();
        runner.run(failingTimes(3, calls, policy, new IllegalStateException("x")), Inputs.empty());
        assertThat(time.waits()).containsExactly(Duration.ofMillis(250), Duration.ofMillis(250), Duration.ofMillis(250));
    }

    @Test
    void run_withJitter_keepsEachDelayWithinTheFraction() {
        AtomicInteger calls = new AtomicInteger();
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(20).delay(Duration.ofSeconds(10)).jitter(0.25).build();
        runner.run(failingTimes(19, calls, policy, new IllegalStateException("x")), Inputs.empty());
        assertThat(time.waits()).hasSize(19)
                .allSatisfy(d -> assertThat(d).isBetween(Duration.ofMillis(7500), Duration.ofMillis(12500)));
        assertThat(time.waits().stream().distinct().count()).as("jitter varies the delays").isGreaterThan(1);
    }

    @Test
    void run_whenFailureMatchesAbortOn_doesNotRetry() {
        AtomicInteger calls = new AtomicInteger();
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(5).abortOn(IllegalArgumentException.class).build();
        RunResult r = runner.run(failingTimes(10, calls, policy, new IllegalArgumentException("bad id")), Inputs.empty());
        assertThat(calls).hasValue(1);
        assertThat(r.step("flaky").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
        assertThat(time.waits()).isEmpty();
    }

    @Test
    void run_whenFailureIsNotInRetryOn_doesNotRetry() {
        AtomicInteger calls = new AtomicInteger();
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(5).retryOn(UnsupportedOperationException.class).build();
        runner.run(failingTimes(10, calls, policy, new IllegalStateException("other")), Inputs.empty());
        assertThat(calls).hasValue(1);
    }

    @Test
    void run_whenAttemptOverrunsItsTimeout_failsTheAttemptAndRetries() {
        AtomicInteger calls = new AtomicInteger();
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(2).delay(Duration.ofSeconds(1))
                .attemptTimeout(Duration.ofMinutes(1)).build();
        Plan plan = Plan.builder("slow").step(Step.mutating("wait").retry(policy).run(ctx -> {
            calls.incrementAndGet();
            ctx.sleep(Duration.ofMinutes(5));
        })).build();
        RunResult r = runner.run(plan, Inputs.empty());
        assertThat(calls).hasValue(2);
        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.step("wait").orElseThrow().failure().type()).isEqualTo(StepTimeoutException.class.getName());
        assertThat(time.waits()).containsExactly(Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofMinutes(1));
    }

    @Test
    void run_whenStepTimeoutEndsRetries_reportsTheTimeout() {
        AtomicInteger calls = new AtomicInteger();
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(100).delay(Duration.ofSeconds(10)).build();
        Plan plan = Plan.builder("bounded").step(Step.mutating("poll").retry(policy).timeout(Duration.ofSeconds(35))
                .run(ctx -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("not yet");
                })).build();
        RunResult r = runner.run(plan, Inputs.empty());
        assertThat(calls).hasValue(4);
        assertThat(r.step("poll").orElseThrow().failure().message()).contains("its next retry would start after its deadline");
    }

    @Test
    void builder_withBadSettings_namesEachFieldAndValue() {
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0).jitter(1.5)
                .backoff(Duration.ofSeconds(10), Duration.ofSeconds(1)).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("maxAttempts 0 must be at least 1")
                .hasMessageContaining("maxDelay PT1S must be at least delay PT10S")
                .hasMessageContaining("jitter 1.5 must be at least 0 and below 1");
        assertThatThrownBy(() -> RetryPolicy.builder().attemptTimeout(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("attemptTimeout PT-1S must be positive");
        assertThatThrownBy(() -> RetryPolicy.builder().backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5).build())
                .hasMessageContaining("multiplier 0.5 must be a finite number of at least 1");
    }

    @Test
    void delayAfter_followsTheDocumentedFormula() {
        RetryPolicy p = RetryPolicy.builder().backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 3).build();
        assertThat(p.delayAfter(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(p.delayAfter(2)).isEqualTo(Duration.ofMillis(300));
        assertThat(p.delayAfter(3)).isEqualTo(Duration.ofMillis(900));
        assertThat(p.delayAfter(4)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void toBuilder_keepsEverySetting() {
        RetryPolicy p = RetryPolicy.builder().maxAttempts(7).backoff(Duration.ofSeconds(2), Duration.ofMinutes(1))
                .jitter(0.1).abortOn(IllegalArgumentException.class).attemptTimeout(Duration.ofMinutes(2)).build();
        assertThat(p.toBuilder().build().toString()).isEqualTo(p.toString());
        assertThat(p.toString()).isEqualTo("RetryPolicy{7 attempts, delay PT2S x2.0 up to PT1M, jitter 10%, "
                + "retry on [Exception], abort on [IllegalArgumentException], attempt timeout PT2M}");
    }
}
