package dev.stepwise.core.run;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A cancellation flag that runs and rollouts watch: set it and they stop at their next boundary — between steps,
 * between attempts, in a wait inside a step, in a soak, approval or window wait. Waits on the runner's clock wake
 * up at once when it is set. Thread-safe; the first reason wins.
 *
 * <p>Every run and rollout has its own; a runner given one with {@link Runner#withCancellation} also links it to
 * every run and rollout it starts, so one call stops them all.
 *
 * <pre>{@code
 * Cancellation stop = Cancellation.create();
 * Runner runner = Runner.create().withCancellation(stop);
 * // from another thread, or a shutdown hook:
 * stop.cancel("maintenance window closed");
 * }</pre>
 */
public final class Cancellation {
    private final CountDownLatch latch = new CountDownLatch(1);
    private final List<Runnable> onCancel = new CopyOnWriteArrayList<>();
    private volatile String reason;

    private Cancellation() {
    }

    /** A flag that is not set. */
    public static Cancellation create() {
        return new Cancellation();
    }

    /** Sets the flag; the first reason wins; later calls do nothing. */
    public void cancel(String why) {
        synchronized (this) {
            if (reason != null) {
                return;
            }
            reason = why == null || why.isBlank() ? "no reason given" : why;
            latch.countDown();
        }
        for (Runnable r : onCancel) {
            r.run();
        }
    }

    /** Whether the flag is set. */
    public boolean isCancelled() {
        return reason != null;
    }

    /** The reason given to the first {@link #cancel}, or null while not cancelled. */
    public String reason() {
        return reason;
    }

    /** The reason, if cancelled. */
    public Optional<String> reasonIfCancelled() {
        return Optional.ofNullable(reason);
    }

    /** Released when the flag is set: pass it to {@link TimeSource#await} to wait until cancelled. */
    public CountDownLatch latch() {
        return latch;
    }

    /** Waits {@code duration} on {@code time}; returns true at once if cancelled meanwhile. */
    public boolean await(TimeSource time, Duration duration) throws InterruptedException {
        return time.await(latch, duration);
    }

    /**
     * Runs {@code action} when the flag is set (at once, on this thread, if it already is). Close the returned
     * registration when the action is no longer wanted.
     */
    public AutoCloseable onCancel(Runnable action) {
        onCancel.add(action);
        if (isCancelled()) {
            action.run();
        }
        return () -> onCancel.remove(action);
    }

    @Override
    public String toString() {
        return reason == null ? "Cancellation{not cancelled}" : "Cancellation{cancelled: " + reason + "}";
    }
}
