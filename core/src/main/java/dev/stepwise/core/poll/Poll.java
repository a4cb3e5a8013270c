package dev.stepwise.core.poll;

import dev.stepwise.core.Durations;
import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.plan.StepContext;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a step waits for something it started (an instance to stop, an image to be available, a command to
 * finish): probe, and until a probe says it is done, wait on the runner's clock and probe again, at a fixed
 * interval or backing off, for at most a timeout. Like the AWS SDK's waiters it is configuration; {@link #until}
 * runs it inside a step.
 *
 * <p><b>Timing.</b> The poll first waits {@linkplain Builder#initialDelay(Duration) the initial delay}, if any,
 * then probes at once. The timeout counts from that first probe: a probe starts only before (first probe +
 * timeout), so a poll that sees no end gives up as soon as its next probe could not start in time, rather than
 * sleep towards a probe it will not make. With a fixed interval and probes that take no time (a virtual clock) that is
 * exactly {@code ceil(timeout / interval)} probes; there is always at least one. Backoff waits
 * {@code min(maxInterval, interval × multiplier^(n-1))} after the n-th probe.
 *
 * <p><b>Running.</b> {@link #until} waits only through {@link StepContext#sleep(Duration)} and reads time only
 * through {@link StepContext#now()}, so it follows the runner's clock (virtual in tests), stops with a
 * {@link dev.stepwise.core.CancelledException} when the run is cancelled (it also calls
 * {@link StepContext#checkCancelled()} before every probe), and cannot outlive the step's or attempt's
 * timeout (a wait that would pass it ends the attempt with a {@link dev.stepwise.core.StepTimeoutException}).
 * When its own timeout is reached it throws a {@link PollTimeoutException} naming what it waited for, the
 * timeout, the number of probes and the last state seen; a probe answering {@link Outcome#failed(String)} ends
 * it with a {@link PollFailedException}; an exception thrown by a probe propagates unchanged, and the step's
 * retry policy decides what comes next. Each unfinished probe is logged at DEBUG.
 *
 * <p><b>Defaults</b> of {@link #builder()}: no initial delay, a probe every 5 s ({@link #DEFAULT_INTERVAL}), a
 * timeout of 10 min ({@link #DEFAULT_TIMEOUT}). The description is required: it is what the timeout
 * message and {@link #describe()} say the poll waits for, written as "<i>something</i> to <i>happen</i>"
 * ({@code "instance i-1 to stop"}). Every duration is at most {@link #MAX_DURATION} (30 days), so no
 * deadline or backoff arithmetic can overflow.
 *
 * <p><b>Thread safety.</b> Immutable and thread-safe: one poll can serve many steps at once, since
 * {@link #until} keeps its state on the caller's stack. A {@link Builder} is not thread-safe; it copies its
 * settings on {@link Builder#build()} and can be reused.
 *
 * <pre>{@code
 * Poll stopped = Poll.builder().
 *     every(Duration.ofSeconds(5)).
 *     timeout(Duration.ofMinutes(10)).
 *     describedAs("instance i-1 to stop").
 *     build();
 * stopped.describe();   // "waits up to 10 min for instance i-1 to stop, polling every 5 s"
 * String state = stopped.until(ctx, () -> ec2.describe("i-1").state(), "stopped"::equals);
 *
 * String imageId = Poll.builder().
 *     backoff(Duration.ofSeconds(5), Duration.ofMinutes(1)).
 *     timeout(Duration.ofMinutes(90)).
 *     describedAs("image " + id + " to be available").
 *     build().
 *     until(ctx, () -> {
 *         String state = imageState(id);
 *         return state.equals("available") ? Outcome.done(id)
 *                 : state.equals("failed") ? Outcome.failed("image " + id + " failed")
 *                 : Outcome.waiting(state);
 *     });
 * }</pre>
 */
public final class Poll {
    private static final Logger log = LoggerFactory.getLogger(Poll.class);

    /** The longest initial delay, interval or timeout a poll accepts: 30 days. */
    public static final Duration MAX_DURATION = Duration.ofDays(30);
    /** The interval between probes unless told otherwise: 5 s. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    /** The timeout unless told otherwise: 10 min. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    private final Duration initialDelay;
    private final Duration interval;
    private final Duration maxInterval;
    private final double multiplier;
    private final Duration timeout;
    private final String description;

    private Poll(Builder b) {
        List<String> problems = new ArrayList<>();
        check("initialDelay", b.initialDelay, true, problems);
        check("interval", b.interval, false, problems);
        check("maxInterval", b.maxInterval, false, problems);
        check("timeout", b.timeout, false, problems);
        if (b.maxInterval.compareTo(b.interval) < 0) {
            problems.add("maxInterval " + b.maxInterval + " must be at least interval " + b.interval);
        }
        if (!(b.multiplier >= 1.0) || Double.isInfinite(b.multiplier)) {
            problems.add("multiplier " + b.multiplier + " must be a finite number of at least 1");
        }
        if (b.description == null) {
            problems.add("description is not set: say what the poll waits for, e.g. describedAs(\"instance i-1 to stop\")");
        } else if (b.description.isBlank()) {
            problems.add("description \"" + b.description + "\" must not be blank");
        }
        if (!problems.isEmpty()) {
            throw new PlanValidationException(b.description == null || b.description.isBlank() ? "Poll"
                    : "Poll for " + b.description.strip(), problems);
        }
        this.initialDelay = b.initialDelay;
        this.interval = b.interval;
        this.maxInterval = b.maxInterval;
        this.multiplier = b.multiplier;
        this.timeout = b.timeout;
        this.description = b.description.strip();
    }

    private static void check(String field, Duration d, boolean zeroAllowed, List<String> problems) {
        if (d.isNegative() || (d.isZero() && !zeroAllowed)) {
            problems.add(field + " " + d + " must be " + (zeroAllowed ? "zero or positive" : "positive"));
        } else if (d.compareTo(MAX_DURATION) > 0) {
            problems.add(field + " " + d + " must be at most " + MAX_DURATION + " (30 days)");
        }
    }

    /** A builder with the defaults described above; only the description must be given. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this poll's settings, e.g. to give a shared poll a per-target description. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.initialDelay = initialDelay;
        b.interval = interval;
        b.maxInterval = maxInterval;
        b.multiplier = multiplier;
        b.timeout = timeout;
        b.description = description;
        return b;
    }

    /** The wait before the first probe; zero for none. */
    public Duration initialDelay() {
        return initialDelay;
    }

    /** The wait after the first probe: the fixed interval, or the first backoff wait. */
    public Duration interval() {
        return interval;
    }

    /** The longest wait between two probes; equal to {@link #interval()} for a fixed interval. */
    public Duration maxInterval() {
        return maxInterval;
    }

    /** The factor applied to the wait after each probe; 1 for a fixed interval. */
    public double multiplier() {
        return multiplier;
    }

    /** How long after the first probe the last one may start. */
    public Duration timeout() {
        return timeout;
    }

    /** What the poll waits for, e.g. {@code "instance i-1 to stop"}. */
    public String description() {
        return description;
    }

    /** Whether the waits grow between probes. */
    public boolean isBackoff() {
        return multiplier > 1.0 && maxInterval.compareTo(interval) > 0;
    }

    /**
     * The wait after probe number {@code probe} (counting from 1), before the timeout is considered:
     * {@code min(maxInterval, interval × multiplier^(probe-1))}.
     *
     * @throws dev.stepwise.core.StepwiseException if {@code probe} is below 1
     */
    public Duration waitAfter(long probe) {
        if (probe < 1) {
            throw new dev.stepwise.core.StepwiseException("probe " + probe + " must be at least 1");
        }
        if (!isBackoff()) {
            return interval;
        }
        // in double, so a long poll's huge power saturates instead of overflowing; MAX_DURATION fits in a long of nanos
        double nanos = interval.toNanos() * Math.pow(multiplier, probe - 1);
        return nanos >= maxInterval.toNanos() ? maxInterval : Duration.ofNanos((long) nanos);
    }

    /**
     * Probes until {@code probe} answers done, and returns its value; see the class description for the timing.
     *
     * @param ctx   the running step's context, whose clock and cancellation the poll follows
     * @param probe one look at the state; never sleeps
     * @return the value of the probe's {@link Outcome#done(Object)}
     * @throws PollTimeoutException if no probe within the timeout answered done
     * @throws PollFailedException if a probe answered {@link Outcome#failed(String)}
     * @throws dev.stepwise.core.CancelledException if the run is cancelled meanwhile
     * @throws dev.stepwise.core.StepTimeoutException if a wait would pass the step's or attempt's deadline
     */
    public <T> T until(StepContext ctx, Probe<? extends T> probe) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(probe, "probe");
        if (!initialDelay.isZero()) {
            ctx.sleep(initialDelay);
        }
        Instant deadline = null;
        long probes = 0;
        while (true) {
            ctx.checkCancelled();
            if (deadline == null) {
                deadline = ctx.now().plus(timeout);
            }
            Outcome<? extends T> outcome = Objects.requireNonNull(probe.check(),
                    () -> "the probe for " + description + " returned null instead of an Outcome");
            probes++;
            switch (outcome.kind()) {
                case DONE -> {
                    log.debug("Done waiting for {} after {} probe(s)", description, probes);
                    return outcome.value();
                }
                case FAILED -> throw new PollFailedException(ctx.stepName(), description, probes, outcome.text());
                case WAITING -> {
                    // carries on below
                }
            }
            Duration wait = waitAfter(probes);
            if (!ctx.now().plus(wait).isBefore(deadline)) {
                throw new PollTimeoutException(ctx.stepName(), description, timeout, probes, outcome.text());
            }
            log.debug("Waiting for {}: probe {} saw {}; next in {}", description, probes, outcome.text(),
                    Durations.exact(wait));
            ctx.sleep(wait);
        }
    }

    /**
     * Reads a value until {@code done} accepts it, and returns that value; the text of each value not accepted
     * ({@link String#valueOf(Object)}) is the state the timeout message quotes.
     *
     * @param ctx   the running step's context, whose clock and cancellation the poll follows
     * @param probe reads the current value; never sleeps
     * @param done  whether a value ends the wait
     * @return the first value {@code done} accepted
     * @throws PollTimeoutException if no value read within the timeout was accepted
     * @throws dev.stepwise.core.CancelledException if the run is cancelled meanwhile
     * @throws dev.stepwise.core.StepTimeoutException if a wait would pass the step's or attempt's deadline
     */
    public <T> T until(StepContext ctx, Supplier<? extends T> probe, Predicate<? super T> done) {
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(done, "done");
        return until(ctx, (Probe<T>) () -> {
            T value = probe.get();
            return done.test(value) ? Outcome.done(value) : Outcome.waiting(String.valueOf(value));
        });
    }

    /**
     * What the poll will do, in words, for dry-run predictions and plan descriptions, e.g.
     * {@code "waits up to 10 min for instance i-1 to stop, polling every 5 s"} or
     * {@code "waits 1 min 30 s, then up to 30 min for the upgrade to complete, polling every 1 s at first,
     * backing off x2 to every 30 s"}.
     */
    public String describe() {
        StringBuilder b = new StringBuilder("waits ");
        if (!initialDelay.isZero()) {
            b.append(Durations.exact(initialDelay)).append(", then ");
        }
        b.append("up to ").append(Durations.exact(timeout)).append(" for ").append(description).append(", polling every ")
                .append(Durations.exact(interval));
        if (isBackoff()) {
            b.append(" at first, backing off x").append(factor()).append(" to every ").append(Durations.exact(maxInterval));
        }
        return b.toString();
    }

    private String factor() {
        return BigDecimal.valueOf(multiplier).stripTrailingZeros().toPlainString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Poll p && initialDelay.equals(p.initialDelay) && interval.equals(p.interval)
                && maxInterval.equals(p.maxInterval) && Double.compare(multiplier, p.multiplier) == 0
                && timeout.equals(p.timeout) && description.equals(p.description);
    }

    @Override
    public int hashCode() {
        return Objects.hash(initialDelay, interval, maxInterval, multiplier, timeout, description);
    }

    /** E.g. {@code Poll{for instance i-1 to stop, every PT5S, timeout PT10M}}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Poll{for ").append(description);
        if (!initialDelay.isZero()) {
            b.append(", initial delay ").append(initialDelay);
        }
        if (isBackoff()) {
            b.append(", backoff ").append(interval).append(" x").append(factor()).append(" up to ").append(maxInterval);
        } else {
            b.append(", every ").append(interval);
        }
        return b.append(", timeout ").append(timeout).append('}').toString();
    }

    /**
     * Builds a {@link Poll}. Setters take any value (nulls excepted, which throw {@link NullPointerException});
     * {@link #build()} checks them all at once. Not thread-safe; reusable, since {@link #build()} copies the
     * settings.
     *
     * <pre>{@code
     * Poll upgrade = Poll.builder().
     *     initialDelay(Duration.ofSeconds(90)).
     *     every(Duration.ofSeconds(10)).
     *     timeout(Duration.ofMinutes(30)).
     *     describedAs("the upgrade to 6.8 to complete").
     *     build();
     * }</pre>
     */
    public static final class Builder {
        private Duration initialDelay = Duration.ZERO;
        private Duration interval = DEFAULT_INTERVAL;
        private Duration maxInterval = interval;
        private double multiplier = 1.0;
        private Duration timeout = DEFAULT_TIMEOUT;
        private String description;

        private Builder() {
        }

        /** Probes at a fixed interval (positive, at most 30 days; default 5 s). Replaces any backoff. */
        public Builder every(Duration interval) {
            this.interval = Objects.requireNonNull(interval, "interval");
            this.maxInterval = interval;
            this.multiplier = 1.0;
            return this;
        }

        /** Waits {@code initial} after the first probe, doubling after each probe up to {@code max}. */
        public Builder backoff(Duration initial, Duration max) {
            return backoff(initial, max, 2.0);
        }

        /**
         * Waits {@code initial} after the first probe, multiplied by {@code multiplier} (finite, at least 1) after
         * each probe, up to {@code max} (at least {@code initial}, at most 30 days). Replaces any fixed interval.
         */
        public Builder backoff(Duration initial, Duration max, double multiplier) {
            this.interval = Objects.requireNonNull(initial, "initial");
            this.maxInterval = Objects.requireNonNull(max, "max");
            this.multiplier = multiplier;
            return this;
        }

        /** Waits this long before the first probe (zero or positive, at most 30 days; default zero). */
        public Builder initialDelay(Duration delay) {
            this.initialDelay = Objects.requireNonNull(delay, "initialDelay");
            return this;
        }

        /**
         * How long after the first probe the last one may start (positive, at most 30 days; default 10 min); the
         * initial delay is not part of it.
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** What the poll waits for, as "something to happen": {@code "instance i-1 to stop"}. Required. */
        public Builder describedAs(String description) {
            this.description = Objects.requireNonNull(description, "description");
            return this;
        }

        /**
         * Builds the poll.
         *
         * @throws PlanValidationException listing every setting that is missing or out of range, each with its
         *     field, value and rule
         */
        public Poll build() {
            return new Poll(this);
        }

        @Override
        public String toString() {
            return "Poll.Builder{description=" + description + "}";
        }
    }
}
