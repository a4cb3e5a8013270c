package dev.stepwise.core.run;

/** How a run as a whole finished. */
public enum RunStatus {
    /** Every step it reached succeeded, or failed under a continue/go-to rule. */
    SUCCEEDED,
    /** Stopped successfully at an end of the plan, with a reason. */
    ENDED,
    /** A step failed under the abort rule, or a precondition did not hold. */
    FAILED,
    /**
     * Cancelled; the result says where. If an attempt that had timed out was still acting, the reason and its step's
     * note name it and its thread: cancelling does not stop it, and it may still act.
     */
    CANCELLED;

    /** Whether the run finished as the plan intended ({@link #SUCCEEDED} or {@link #ENDED}). */
    public boolean isSuccess() {
        return this == SUCCEEDED || this == ENDED;
    }
}
