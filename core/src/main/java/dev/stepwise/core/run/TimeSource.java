package dev.stepwise.core.run;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The clock every wait, backoff, soak period and timeout of a run reads. Production uses
 * {@link #system()}; tests use a {@link VirtualTimeSource}, so nothing sleeps for real. Implementations
 * must be thread-safe.
 */
public interface TimeSource {

    /** The current instant. */
    Instant now();

    /**
     * Waits {@code duration}, or less if {@code wakeUp} is released first. A duration too long to count in
     * nanoseconds waits until {@code wakeUp} is released; it never overflows.
     *
     * @return whether {@code wakeUp} was released (the wait was cut short)
     */
    boolean await(CountDownLatch wakeUp, Duration duration) throws InterruptedException;

    /** Whether waits are virtual: they pass at once and only move this source's clock. */
    default boolean isVirtual() {
        return false;
    }

    /** The system clock, with waits that really block. */
    static TimeSource system() {
        return SystemTimeSource.INSTANCE;
    }

    /** The system clock. */
    enum SystemTimeSource implements TimeSource {
        INSTANCE;

        private static final Duration MAX_NANOS = Duration.ofNanos(Long.MAX_VALUE);

        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public boolean await(CountDownLatch wakeUp, Duration duration) throws InterruptedException {
            if (duration.isZero() || duration.isNegative()) {
                return wakeUp.getCount() == 0;
            }
            // a wait longer than nanoseconds can count (292 years) is a wait without end, not an overflow
            long nanos = duration.compareTo(MAX_NANOS) >= 0 ? Long.MAX_VALUE : duration.toNanos();
            return wakeUp.await(nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public String toString() {
            return "TimeSource.system()";
        }
    }
}
