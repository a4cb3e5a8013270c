package dev.stepwise.core.rollout;

/**
 * What happened to one target of a wave. Immutable.
 *
 * <pre>{@code
 * result.targets(TargetStatus.FAILED).forEach(t -> System.out.println(t.run()));
 * }</pre>
 */
public enum TargetStatus {
    /** Its run succeeded or ended as the plan intended. */
    SUCCEEDED,
    /** Its run failed, or threw unexpectedly; counts against the error budget. */
    FAILED,
    /** Its run was cancelled with the rollout; does not count against the budget. */
    CANCELLED,
    /** It never started: the wave halted or was cancelled first. */
    NOT_STARTED
}
