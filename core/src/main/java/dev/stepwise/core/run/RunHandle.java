package dev.stepwise.core.run;

import java.time.Duration;
import java.util.Optional;

/**
 * A run in progress: cancel it, or wait for its result. Thread-safe.
 *
 * <p>Cancellation stops the run at its next boundary — between steps, between attempts, or in a wait inside a
 * step — and the result says CANCELLED and where. A call already sent to a remote API is not undone.
 */
public interface RunHandle {

    /** The run's id. */
    String runId();

    /** Asks the run to stop at its next boundary; {@code reason} goes into the result. Idempotent. */
    void cancel(String reason);

    /** Whether the run has finished. */
    boolean isDone();

    /** Waits for the run to finish and returns its result. */
    RunResult await() throws InterruptedException;

    /** Waits up to {@code timeout} (real time) for the result. */
    Optional<RunResult> await(Duration timeout) throws InterruptedException;
}
