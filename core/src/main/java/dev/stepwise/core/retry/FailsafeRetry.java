package dev.stepwise.core.retry;

import dev.failsafe.Execution;
import dev.failsafe.RetryPolicyBuilder;
import java.time.Duration;

/** Turns Stepwise's {@link RetryPolicy} into Failsafe's, whose standalone {@link Execution} decides retries and delays. */
final class FailsafeRetry {
    private FailsafeRetry() {
    }

    static Execution<Object> execution(RetryPolicy p) {
        RetryPolicyBuilder<Object> b = dev.failsafe.RetryPolicy.builder()
                .handleIf((Throwable t) -> p.isRetryable(t))
                .withMaxAttempts(p.maxAttempts());
        Duration delay = p.delay();
        if (!delay.isZero()) {
            if (p.multiplier() > 1.0 && p.maxDelay().compareTo(delay) > 0) {
                b.withBackoff(delay, p.maxDelay(), p.multiplier());
            } else {
                b.withDelay(delay);
            }
            if (p.jitter() > 0) {
                b.withJitter(p.jitter());
            }
        }
        return Execution.of(b.build());
    }
}
