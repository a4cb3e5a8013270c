package dev.stepwise.core.internal;

import java.util.concurrent.CountDownLatch;

/** A run's cancellation flag; waits on the runner's clock wake up when it is set. Thread-safe. */
public final class Cancellation {
    private final CountDownLatch latch = new CountDownLatch(1);
    private volatile String reason;

    /** Sets the flag; the first reason wins. */
    public synchronized void cancel(String why) {
        if (reason == null) {
            reason = why == null || why.isBlank() ? "no reason given" : why;
            latch.countDown();
        }
    }

    public boolean isCancelled() {
        return reason != null;
    }

    public String reason() {
        return reason;
    }

    /** Released when the run is cancelled. */
    public CountDownLatch latch() {
        return latch;
    }
}
