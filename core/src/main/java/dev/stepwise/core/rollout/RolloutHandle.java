package dev.stepwise.core.rollout;

import java.time.Duration;
import java.util.Optional;

/**
 * A rollout in progress: cancel it, or wait for its result. Thread-safe.
 *
 * <p>Cancelling stops new targets from starting, ends any soak, approval or window wait at once, and asks
 * in-flight runs to stop at their next step boundary; the result records each target's status and where its
 * run stopped. A call already sent to a remote API is not undone.
 *
 * <pre>{@code
 * RolloutHandle h = runner.start(rollout);
 * h.cancel("error rate went up");
 * RolloutResult r = h.await();
 * }</pre>
 */
public interface RolloutHandle {

    /** The rollout's id. */
    String rolloutId();

    /** Asks the rollout to stop; {@code reason} goes into the result. Idempotent; the first reason wins. */
    void cancel(String reason);

    /** Whether the rollout has finished. */
    boolean isDone();

    /** Waits for the rollout to finish and returns its result. */
    RolloutResult await() throws InterruptedException;

    /** Waits up to {@code timeout} (real time) for the result. */
    Optional<RolloutResult> await(Duration timeout) throws InterruptedException;
}
