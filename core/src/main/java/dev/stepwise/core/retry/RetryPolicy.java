package dev.stepwise.core.retry;

import dev.stepwise.core.Durations;
import dev.stepwise.core.PlanValidationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.immutables.value.Value;

/**
 * How a step is retried: at most {@link #maxAttempts()} attempts, with a fixed or exponential delay between
 * them (capped at {@link #maxDelay()}, optionally jittered), on failures that the retry-on rules accept and
 * the abort-on rules do not, each attempt optionally bounded by a timeout.
 *
 * <p>Defaults of {@link #builder()}: 3 attempts, 1 s delay doubling up to 30 s, no jitter, retry on every
 * {@link Exception}, no abort rule, no attempt timeout. Presets: {@link #none()} and {@link #defaults()};
 * {@code stepwise-aws} adds one for AWS throttling. Every duration is at most {@link Durations#MAX} (30 days).
 * Delays run on the runner's clock, so tests use virtual time. Immutable and thread-safe; a builder copies its
 * settings on {@link Builder#build()} and can be reused; {@link #toBuilder()} starts from a policy's settings.
 *
 * <pre>{@code
 * RetryPolicy p = RetryPolicy.builder().
 *     maxAttempts(5).
 *     backoff(Duration.ofSeconds(2), Duration.ofMinutes(1)).
 *     jitter(0.2).
 *     abortOn(IllegalArgumentException.class).
 *     build();
 * RetryPolicy patient = p.toBuilder().maxAttempts(10).build();
 * }</pre>
 */
@Value.Immutable
public abstract class RetryPolicy {

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

    /** The shape of the delays, set as one by {@link Builder#delay} or {@link Builder#backoff}. */
    record Backoff(Duration delay, Duration maxDelay, double multiplier) {
    }

    private static final Rule ANY_EXCEPTION = new Rule("Exception", t -> t instanceof Exception);

    RetryPolicy() {
    }

    /** One attempt, no retries. */
    public static RetryPolicy none() {
        return Presets.NONE;
    }

    /** 3 attempts, 1 s delay doubling up to 30 s, retry on every exception. */
    public static RetryPolicy defaults() {
        return Presets.DEFAULTS;
    }

    /** A builder with the defaults described above. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this policy's settings. */
    public Builder toBuilder() {
        return new Builder().from(this);
    }

    /** The most attempts, counting the first. */
    @Value.Default
    public int maxAttempts() {
        return 3;
    }

    @Value.Default
    Backoff backoff() {
        return new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0);
    }

    /** The delay before the second attempt. */
    public Duration delay() {
        return backoff().delay();
    }

    /** The longest delay between two attempts (before jitter). */
    public Duration maxDelay() {
        return backoff().maxDelay();
    }

    /** The factor applied to the delay after each retry; 1 means a fixed delay. */
    public double multiplier() {
        return backoff().multiplier();
    }

    /** The jitter as a fraction of each delay: a delay d becomes a random value in [d(1-j), d(1+j)]. */
    @Value.Default
    public double jitter() {
        return 0.0;
    }

    /** The retry-on rules as given; empty means every exception. */
    abstract List<Rule> retryRules();

    abstract List<Rule> abortRules();

    /** Failures that may be retried: those of any of these rules (default: every {@link Exception}). */
    public List<Rule> retryOn() {
        return retryRules().isEmpty() ? List.of(ANY_EXCEPTION) : retryRules();
    }

    /** Failures never retried, whatever {@link #retryOn()} says. */
    public List<Rule> abortOn() {
        return abortRules();
    }

    /** The bound on each attempt, if any. */
    public abstract Optional<Duration> attemptTimeout();

    @Value.Check
    void check() {
        List<String> problems = new ArrayList<>();
        if (maxAttempts() < 1) {
            problems.add("maxAttempts " + maxAttempts() + " must be at least 1");
        }
        Durations.checkNotNegative("delay", delay(), problems);
        if (maxDelay().compareTo(delay()) < 0) {
            problems.add("maxDelay " + maxDelay() + " must be at least delay " + delay());
        } else {
            Durations.checkNotNegative("maxDelay", maxDelay(), problems);
        }
        if (!(multiplier() >= 1.0) || Double.isInfinite(multiplier())) {
            problems.add("multiplier " + multiplier() + " must be a finite number of at least 1");
        }
        if (!(jitter() >= 0.0 && jitter() < 1.0)) {
            problems.add("jitter " + jitter() + " must be at least 0 and below 1");
        }
        attemptTimeout().ifPresent(t -> Durations.checkPositive("attemptTimeout", t, problems));
        if (!problems.isEmpty()) {
            throw new PlanValidationException("RetryPolicy", problems);
        }
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
        double nanos = delay().toNanos() * Math.pow(multiplier(), attempt - 1);
        return nanos >= maxDelay().toNanos() ? maxDelay() : Duration.ofNanos((long) nanos);
    }

    /**
     * A new schedule for the attempts of one action under this policy: the same decisions (attempts, retry-on and
     * abort-on rules, backoff, maximum delay, jitter) that a step with this policy gets.
     */
    public RetrySchedule schedule() {
        return new RetrySchedule(this);
    }

    /** Whether {@code failure} may be retried: accepted by a retry-on rule and by no abort-on rule. */
    public boolean isRetryable(Throwable failure) {
        return abortOn().stream().noneMatch(r -> r.test().test(failure))
                && retryOn().stream().anyMatch(r -> r.test().test(failure));
    }

    @Override
    public String toString() {
        Duration attemptTimeout = attemptTimeout().orElse(null);
        if (maxAttempts() == 1) {
            return "RetryPolicy{no retries" + (attemptTimeout == null ? "" : ", attempt timeout " + attemptTimeout) + "}";
        }
        StringBuilder b = new StringBuilder("RetryPolicy{").append(maxAttempts()).append(" attempts, ");
        if (multiplier() == 1.0 || delay().equals(maxDelay())) {
            b.append("fixed delay ").append(delay());
        } else {
            b.append("delay ").append(delay()).append(" x").append(multiplier()).append(" up to ").append(maxDelay());
        }
        if (jitter() > 0) {
            b.append(", jitter ").append(Math.round(jitter() * 100)).append('%');
        }
        b.append(", retry on ").append(retryOn());
        if (!abortOn().isEmpty()) {
            b.append(", abort on ").append(abortOn());
        }
        if (attemptTimeout != null) {
            b.append(", attempt timeout ").append(attemptTimeout);
        }
        return b.append('}').toString();
    }

    /**
     * Builds a {@link RetryPolicy}: {@code maxAttempts}, {@code jitter} and {@code attemptTimeout} set one setting
     * each; {@link #delay} and {@link #backoff} set the shape of the delays; the rule methods add rules.
     * {@link #build()} checks every setting and reports every problem in one {@link PlanValidationException}.
     * Not thread-safe; reusable.
     */
    public static final class Builder extends ImmutableRetryPolicy.Builder {
        Builder() {
        }

        /** A fixed delay between attempts. */
        public Builder delay(Duration delay) {
            return backoff(new Backoff(Objects.requireNonNull(delay, "delay"), delay, 1.0));
        }

        /** An exponential delay: {@code initial}, doubling after each retry, up to {@code max}. */
        public Builder backoff(Duration initial, Duration max) {
            return backoff(initial, max, 2.0);
        }

        /** An exponential delay: {@code initial}, multiplied by {@code multiplier} after each retry, up to {@code max}. */
        public Builder backoff(Duration initial, Duration max, double multiplier) {
            return backoff(new Backoff(Objects.requireNonNull(initial, "initial"), Objects.requireNonNull(max, "max"),
                    multiplier));
        }

        /** Retries only failures of these types (adds to the retry-on rules; default: every exception). */
        @SafeVarargs
        public final Builder retryOn(Class<? extends Throwable>... types) {
            for (Class<? extends Throwable> t : types) {
                addRetryRules(new Rule(t.getSimpleName(), t::isInstance));
            }
            return this;
        }

        /** Retries only failures that {@code test} accepts; {@code description} names them in renderings. */
        public Builder retryIf(String description, Predicate<Throwable> test) {
            return addRetryRules(new Rule(description, test));
        }

        /** Never retries failures of these types (adds to the abort-on rules). */
        @SafeVarargs
        public final Builder abortOn(Class<? extends Throwable>... types) {
            for (Class<? extends Throwable> t : types) {
                addAbortRules(new Rule(t.getSimpleName(), t::isInstance));
            }
            return this;
        }

        /** Never retries failures that {@code test} accepts. */
        public Builder abortIf(String description, Predicate<Throwable> test) {
            return addAbortRules(new Rule(description, test));
        }
    }

    /** Built on first use, after the class and its generated subclass are initialised. */
    private static final class Presets {
        static final RetryPolicy NONE = builder().maxAttempts(1).delay(Duration.ZERO).build();
        static final RetryPolicy DEFAULTS = builder().build();
    }
}
