package dev.stepwise.temporal;

import dev.stepwise.core.StepwiseException;

/**
 * Stepwise on Temporal refused to do something, before or instead of acting: a plan or rollout the worker does not
 * know, two registered under one name, a plan that changed under a running workflow, an approval sent to a rollout
 * with none pending, or a feature that does not run on Temporal yet. The message names the plan or rollout and the
 * reason; {@link #reason()} says which kind of refusal it is. Thrown before any step acts.
 *
 * <pre>{@code
 * try {
 *     handle.approve("alice");
 * } catch (TemporalRefusedException e) {
 *     if (e.reason() == TemporalRefusedException.Reason.NO_PENDING_APPROVAL) { ... }
 * }
 * }</pre>
 */
public class TemporalRefusedException extends StepwiseException {
    private static final long serialVersionUID = 1L;

    /** Why Stepwise refused. */
    public enum Reason {
        /** The worker has no plan or rollout registered under that name. */
        UNKNOWN,
        /** Two plans, or two rollouts, were registered under one name. */
        DUPLICATE_NAME,
        /** The registered plan or rollout's fingerprint differs from the one the workflow started with. */
        CHANGED,
        /** An approval was sent to a rollout that has none pending. */
        NO_PENDING_APPROVAL,
        /** A decision was sent to a run that has no step waiting for one. */
        NO_PENDING_DECISION,
        /**
         * A feature of the plan or rollout that does not run on Temporal. No rollout feature is refused today
         * (windows, announcements, ramps and per-wave plans run on Temporal); kept so that callers can handle one.
         */
        UNSUPPORTED,
        /** A secret input, whose value would be written into the workflow's history. */
        SECRET_IN_HISTORY
    }

    private final Reason reason;

    /** A refusal of kind {@code reason} with a message naming what was refused and why. */
    public TemporalRefusedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** Which kind of refusal this is. */
    public Reason reason() {
        return reason;
    }
}
