package dev.stepwise.core.retry;

import dev.stepwise.core.PlanValidationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * How a step is retried: at most {@link #maxAttempts()} attempts, with a fixed or exponential delay between
 * them (capped at {@link #maxDelay()}, optionally jittered), on failures that the retry-on rules accept and
 * the abort-on rules do not, each attempt optionally bounded by a timeout.
 *
 * <p>Defaults of {@link #builder()}: 3 attempts, 1 s delay doubling up to 30 s, no jitter, retry on every
 * {@link Exception}, no abort rule, no attempt timeout. Presets: {@link #none()} and {@link #defaults()};
 * {@code stepwise-aws} adds one for AWS throttling. Delays run on the runner's clock, so tests use virtual
 * time. Immutable and thread-safe; a builder copies its settings on {@link Builder#build()} and can be reused.
 *
 * <pre>{@code
 * RetryPolicy p = RetryPolicy.builder().
 *     maxAttempts(5).
 *     backoff(Duration.ofSeconds(2), Duration.ofMinutes(1)).
 *     jitter(0.2).
 *     abortOn(IllegalArgumentException.class).
 *     build();
 * }</pre>
 */
public final class RetryPolicy {

    /** A rule over a failure, with the words used to show it. */
    public record Rule(String description, Predicate<Throwable> test) {
        public Rule {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(test, "test");
        }

        @Override
        public String toString() {
            return description;
        }
    }

    private static final Rule ANY_EXCEPTION = new Rule("Exception", t -> t instanceof Exception);
    private static final RetryPolicy NONE = builder().maxAttempts(1).delay(Duration.ZERO).build();
    private static final RetryPolicy DEFAULTS = builder().build();

    private final int maxAttempts;
    private final Duration delay;
    private final Duration maxDelay;
    private final double multiplier;
    private final double jitter;
    private final List<Rule> retryOn;
    private final List<Rule> abortOn;
    private final Duration attemptTimeout;

    private RetryPolicy(Builder b) {
        List<String> problems = new ArrayList<>();
        if (b.maxAttempts < 1) {
            problems.add("maxAttempts " + b.maxAttempts + " must be at least 1");
        }
        if (b.delay.isNegative()) {
            problems.add("delay " + b.delay + " must not be negative");
        }
        if (b.maxDelay.compareTo(b.delay) < 0) {
            problems.add("maxDelay " + b.maxDelay + " must be at least delay " + b.delay);
        }
        if (!(b.multiplier >= 1.0) || Double.isInfinite(b.multiplier)) {
            problems.add("multiplier " + b.multiplier + " must be a finite number of at least 1");
        }
        if (!(b.jitter >= 0.0 && b.jitter < 1.0)) {
            problems.add("jitter " + b.jitter + " must be at least 0 and below 1");
        }
        if (b.attemptTimeout != null && (b.attemptTimeout.isNegative() || b.attemptTimeout.isZero())) {
            problems.add("attemptTimeout " + b.attemptTimeout + " must be positive");
        }
        if (!problems.isEmpty()) {
            throw new PlanValidationException("RetryPolicy", problems);
        }
        this.maxAttempts = b.maxAttempts;
        this.delay = b.delay;
        this.maxDelay = b.maxDelay;
        this.multiplier = b.multiplier;
        this.jitter = b.jitter;
        this.retryOn = b.retryOn.isEmpty() ? List.of(ANY_EXCEPTION) : List.copyOf(b.retryOn);
        this.abortOn = List.copyOf(b.abortOn);
        this.attemptTimeout = b.attemptTimeout;
    }

    /** One attempt, no retries. */
    public static RetryPolicy none() {
        return NONE;
    }

    /** 3 attempts, 1 s delay doubling up to 30 s, retry on every exception. */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** A builder with the defaults described above. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this policy's settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxAttempts = maxAttempts;
        b.delay = delay;
        b.maxDelay = maxDelay;
        b.multiplier = multiplier;
        b.jitter = jitter;
        b.retryOn.addAll(retryOn.equals(List.of(ANY_EXCEPTION)) ? List.of() : retryOn);
        b.abortOn.addAll(abortOn);
        b.attemptTimeout = attemptTimeout;
        return b;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** The delay before the second attempt. */
    public Duration delay() {
        return delay;
    }

    /** The longest delay between two attempts (before jitter). */
    public Duration maxDelay() {
        return maxDelay;
    }

    /** The factor applied to the delay after each retry; 1 means a fixed delay. */
    public double multiplier() {
        return multiplier;
    }

    /** The jitter as a fraction of each delay: a delay d becomes a random value in [d(1-j), d(1+j)]. */
    public double jitter() {
        return jitter;
    }

    public List<Rule> retryOn() {
        return retryOn;
    }

    public List<Rule> abortOn() {
        return abortOn;
    }

    public Optional<Duration> attemptTimeout() {
        return Optional.ofNullable(attemptTimeout);
    }

    /**
     * The delay, before jitter, between attempt {@code attempt} and the next one ({@code attempt} counts
     * from 1): {@code min(maxDelay, delay × multiplier^(attempt-1))}.
     *
     * @throws PlanValidationException if {@code attempt} is below 1
     */
    public Duration delayAfter(int attempt) {
        if (attempt < 1) {
            throw new PlanValidationException("RetryPolicy", List.of("delayAfter attempt " + attempt
                    + " must be at least 1 (attempts count from 1)"));
        }
        double nanos = delay.toNanos() * Math.pow(multiplier, attempt - 1);
        return nanos >= maxDelay.toNanos() ? maxDelay : Duration.ofNanos((long) nanos);
    }

    /** Whether {@code failure} may be retried: accepted by a retry-on rule and by no abort-on rule. */
    public boolean isRetryable(Throwable failure) {
        return abortOn.stream().noneMatch(r -> r.test().test(failure))
                && retryOn.stream().anyMatch(r -> r.test().test(failure));
    }

    @Override
    public String toString() {
        if (maxAttempts == 1) {
            return "RetryPolicy{no retries" + (attemptTimeout == null ? "" : ", attempt timeout " + attemptTimeout) + "}";
        }
        StringBuilder b = new StringBuilder("RetryPolicy{").append(maxAttempts).append(" attempts, ");
        if (multiplier == 1.0 || delay.equals(maxDelay)) {
            b.append("fixed delay ").append(delay);
        } else {
            b.append("delay ").append(delay).append(" x").append(multiplier).append(" up to ").append(maxDelay);
        }
        if (jitter > 0) {
            b.append(", jitter ").append(Math.round(jitter * 100)).append('%');
        }
        b.append(", retry on ").append(retryOn);
        if (!abortOn.isEmpty()) {
            b.append(", abort on ").append(abortOn);
        }
        if (attemptTimeout != null) {
            b.append(", attempt timeout ").append(attemptTimeout);
        }
        return b.append('}').toString();
    }

    /** Builds a {@link RetryPolicy}. Not thread-safe; reusable. */
    public static final class Builder {
        private int maxAttempts = 3;
        private Duration delay = Duration.ofSeconds(1);
        private Duration maxDelay = Duration.ofSeconds(30);
        private double multiplier = 2.0;
        private double jitter = 0.0;
        private final List<Rule> retryOn = new ArrayList<>();
        private final List<Rule> abortOn = new ArrayList<>();
        private Duration attemptTimeout;

        private Builder() {
        }

        /** The most attempts, counting the first (at least 1). */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** A fixed delay between attempts. */
        public Builder delay(Duration delay) {
            this.delay = Objects.requireNonNull(delay, "delay");
            this.maxDelay = delay;
            this.multiplier = 1.0;
            return this;
        }

        /** An exponential delay: {@code initial}, doubling after each retry, up to {@code max}. */
        public Builder backoff(Duration initial, Duration max) {
            return backoff(initial, max, 2.0);
        }

        /** An exponential delay: {@code initial}, multiplied by {@code multiplier} after each retry, up to {@code max}. */
        public Builder backoff(Duration initial, Duration max, double multiplier) {
            this.delay = Objects.requireNonNull(initial, "initial");
            this.maxDelay = Objects.requireNonNull(max, "max");
            this.multiplier = multiplier;
            return this;
        }

        /** Randomises each delay by up to this fraction either way (0 to below 1; default 0). */
        public Builder jitter(double fraction) {
            this.jitter = fraction;
            return this;
        }

        /** Retries only failures of these types (default: every exception). */
        @SafeVarargs
        public final Builder retryOn(Class<? extends Throwable>... types) {
            for (Class<? extends Throwable> t : types) {
                retryOn.add(new Rule(t.getSimpleName(), t::isInstance));
            }
            return this;
        }

        /** Retries only failures that {@code test} accepts; {@code description} names them in renderings. */
        public Builder retryIf(String description, Predicate<Throwable> test) {
            retryOn.add(new Rule(description, test));
            return this;
        }

        /** Never retries failures of these types. */
        @SafeVarargs
        public final Builder abortOn(Class<? extends Throwable>... types) {
            for (Class<? extends Throwable> t : types) {
                abortOn.add(new Rule(t.getSimpleName(), t::isInstance));
            }
            return this;
        }

        /** Never retries failures that {@code test} accepts. */
        public Builder abortIf(String description, Predicate<Throwable> test) {
            abortOn.add(new Rule(description, test));
            return this;
        }

        /** Bounds each attempt; an attempt that runs longer fails with a timeout, which may be retried. */
        public Builder attemptTimeout(Duration timeout) {
            this.attemptTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Builds the policy.
         *
         * @throws PlanValidationException naming every setting out of range, each with its value and rule
         */
        public RetryPolicy build() {
            return new RetryPolicy(this);
        }
    }
}
