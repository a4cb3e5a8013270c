package dev.stepwise.core.rollout;

/**
 * How a rollout as a whole finished (or {@link #RUNNING}, in the snapshot gates and approvers see), or that it is
 * parked ({@link #WAITING}). Immutable.
 *
 * <pre>{@code
 * if (result.status() == RolloutStatus.HALTED) { System.out.println(result.reason()); }
 * }</pre>
 */
public enum RolloutStatus {
    /** Still going: only in the result so far handed to gates and approvers. */
    RUNNING,
    /** Every wave ran and stayed within its error budget. */
    SUCCEEDED,
    /** A wave's budget was spent, a canary failed, a gate, approval or window said no, or targets could not be resolved. */
    HALTED,
    /** Cancelled; the result says in which wave, and each target says where. */
    CANCELLED,
    /**
     * Parked: the next thing was a wait longer than the runner's park threshold (a soak, a lead time, a closed
     * window, a pending approval), so the run returned instead of waiting; {@link RolloutResult#resumeAt()} says
     * when a resume goes on. Everything so far is journaled.
     */
    WAITING;

    /** Whether every wave ran within its budget. */
    public boolean isSuccess() {
        return this == SUCCEEDED;
    }
}
