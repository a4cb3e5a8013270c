package dev.stepwise.core.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * Saturating arithmetic on instants and durations for the engine: a timeout too long for {@link Instant} or for a
 * count of nanoseconds means "never", instead of an {@link ArithmeticException} thrown after an action started.
 * Stateless.
 */
final class Deadlines {
    /** Where a deadline too far away to represent is clamped: the largest instant there is. */
    static final Instant NEVER = Instant.MAX;

    private static final Duration MAX_NANOS = Duration.ofNanos(Long.MAX_VALUE);

    private Deadlines() {
    }

    /** {@code from + d}, or {@link #NEVER} when that lies past it; {@code d} must not be negative. */
    static Instant after(Instant from, Duration d) {
        return d.compareTo(Duration.between(from, NEVER)) >= 0 ? NEVER : from.plus(d);
    }

    /** The earlier of two deadlines, either of which may be null (no deadline). */
    static Instant earlier(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }

    /** {@code d} in nanoseconds: 0 when negative, {@link Long#MAX_VALUE} when longer. */
    static long nanos(Duration d) {
        if (d.isNegative()) {
            return 0;
        }
        return d.compareTo(MAX_NANOS) >= 0 ? Long.MAX_VALUE : d.toNanos();
    }

    /** The nanoseconds from {@code now} until {@code deadline}, saturated as {@link #nanos}. */
    static long nanosUntil(Instant now, Instant deadline) {
        return nanos(Duration.between(now, deadline));
    }
}
