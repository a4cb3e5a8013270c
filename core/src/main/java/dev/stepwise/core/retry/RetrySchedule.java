package dev.stepwise.core.retry;

import dev.failsafe.Execution;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The retry decisions for the attempts of one action under a {@link RetryPolicy}: after each failed attempt, whether
 * to try again and how long to wait first (backoff, maximum delay and jitter included). Steps, webhook notifiers and
 * your own code that retries use this one machinery, so a policy means the same everywhere.
 *
 * <pre>{@code
 * RetrySchedule schedule = policy.schedule();
 * while (true) {
 *     try {
 *         return call();
 *     } catch (IOException e) {
 *         Duration wait = schedule.afterFailure(e).orElseThrow(() -> new StepwiseException("gave up", e));
 *         sleepOnYourClock(wait);
 *     }
 * }
 * }</pre>
 *
 * <p>The schedule decides; it never sleeps, so the caller waits on its own clock. One schedule per action; not
 * thread-safe.
 */
public final class RetrySchedule {
    private final Execution<Object> execution;
    private int failures;

    RetrySchedule(RetryPolicy policy) {
        this.execution = FailsafeRetry.execution(policy);
    }

    /**
     * Records a failed attempt.
     *
     * @return the wait before the next attempt, or empty when the policy stops here: its attempts are used up, or
     *     {@code failure} is not one it retries (its retry-on and abort-on rules)
     */
    public Optional<Duration> afterFailure(Throwable failure) {
        Objects.requireNonNull(failure, "failure");
        failures++;
        execution.recordException(failure);
        return execution.isComplete() ? Optional.empty() : Optional.of(execution.getDelay());
    }

    /** The failed attempts recorded so far. */
    public int failures() {
        return failures;
    }
}
