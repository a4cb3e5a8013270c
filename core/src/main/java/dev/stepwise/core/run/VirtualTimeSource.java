package dev.stepwise.core.run;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * A clock for tests: waits return at once and move the clock forward by the time waited, so a run with
 * minutes of backoff or a week of soak finishes in milliseconds, and every wait is recorded.
 *
 * <p>Starts at 2026-01-01T00:00:00Z unless told otherwise. Thread-safe; with several threads waiting, the
 * clock moves by the sum of their waits, which is enough for tests that count and order, not for tests that
 * need waits on different threads to overlap. A wait or advance past {@link Instant#MAX} stops the clock there.
 *
 * <pre>{@code
 * VirtualTimeSource time = VirtualTimeSource.create();
 * RunResult r = Runner.create().withTimeSource(time).run(plan, inputs);
 * assertThat(time.waits()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
 * }</pre>
 */
public final class VirtualTimeSource implements TimeSource {
    /** The default start: 2026-01-01T00:00:00Z. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    private Instant now;
    private final List<Duration> waits = new ArrayList<>();

    private VirtualTimeSource(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    /** A virtual clock at {@link #DEFAULT_START}. */
    public static VirtualTimeSource create() {
        return new VirtualTimeSource(DEFAULT_START);
    }

    /** A virtual clock at {@code start}. */
    public static VirtualTimeSource startingAt(Instant start) {
        return new VirtualTimeSource(start);
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    /** Moves the clock forward. */
    public synchronized void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new dev.stepwise.core.StepwiseException("duration " + duration + " must not be negative");
        }
        now = later(now, duration);
    }

    /** {@code from + d}, or {@link Instant#MAX} when that lies past it: a virtual wait never overflows. */
    private static Instant later(Instant from, Duration d) {
        return d.compareTo(Duration.between(from, Instant.MAX)) >= 0 ? Instant.MAX : from.plus(d);
    }

    @Override
    public boolean await(CountDownLatch wakeUp, Duration duration) {
        if (wakeUp.getCount() == 0) {
            return true;
        }
        if (!duration.isNegative() && !duration.isZero()) {
            synchronized (this) {
                waits.add(duration);
                now = later(now, duration);
            }
        }
        return wakeUp.getCount() == 0;
    }

    @Override
    public boolean isVirtual() {
        return true;
    }

    /** Every non-zero wait so far, in order. */
    public synchronized List<Duration> waits() {
        return List.copyOf(waits);
    }

    @Override
    public synchronized String toString() {
        return "VirtualTimeSource{now=" + now + ", waits=" + waits.size() + "}";
    }
}
