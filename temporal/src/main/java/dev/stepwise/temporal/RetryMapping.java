package dev.stepwise.temporal;

import dev.stepwise.core.retry.RetryPolicy;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Where a READ_ONLY step's {@link RetryPolicy} becomes Temporal's retry options: only where it maps exactly —
 * no jitter (Temporal has none to set) and a first delay of at least a millisecond (Temporal's interval must be
 * positive). Both then wait {@code min(maxDelay, delay × multiplier^(n-1))} before attempt n+1. Retry-on and
 * abort-on rules stay with Stepwise: the activity asks the policy, and a failure it does not retry ends the
 * attempts at once.
 */
final class RetryMapping {
    private RetryMapping() {
    }

    static boolean maps(RetryPolicy p) {
        return p.maxAttempts() > 1 && p.jitter() == 0.0 && p.delay().compareTo(Duration.ofMillis(1)) >= 0;
    }

    static RetryOptions toTemporal(RetryPolicy p) {
        return RetryOptions.newBuilder().setInitialInterval(p.delay()).setBackoffCoefficient(p.multiplier())
                .setMaximumInterval(p.maxDelay()).setMaximumAttempts(p.maxAttempts()).build();
    }
}
