package dev.stepwise.core.rollout;

/**
 * How a wave finished. Immutable.
 *
 * <pre>{@code
 * gate("non-production clean", r -> r.wave("non-production").status() == WaveStatus.SUCCEEDED)
 * }</pre>
 */
public enum WaveStatus {
    /** Every target succeeded (or the wave was allowed to be empty). */
    SUCCEEDED,
    /** Every target ran; some failed, no more than {@code maxErrors}; the rollout went on. */
    SUCCEEDED_WITHIN_BUDGET,
    /** Stopped: budget spent, canary failed, window closed, targets unresolvable, or a checkpoint said no. */
    HALTED,
    /** Cancelled while it ran or waited. */
    CANCELLED,
    /** Never started, because an earlier wave halted or was cancelled. */
    NOT_STARTED,
    /** Not started yet: the rollout parked at one of its checkpoints and resumes later. */
    WAITING;

    /** Whether the wave let the rollout go on. */
    public boolean isSuccess() {
        return this == SUCCEEDED || this == SUCCEEDED_WITHIN_BUDGET;
    }
}
