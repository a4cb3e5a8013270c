package dev.stepwise.core.rollout;

/**
 * How a rollout as a whole finished (or {@link #RUNNING}, in the snapshot gates and approvers see). Immutable.
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
    CANCELLED;

    /** Whether every wave ran within its budget. */
    public boolean isSuccess() {
        return this == SUCCEEDED;
    }
}
