package dev.stepwise.core.rollout;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a rollout stands, read from its journal alone (no call to AWS or a controller): its state, each wave's,
 * what comes next and when, and who decided each approval. From {@link Rollouts#status}. Prints as text.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * System.out.println(Rollouts.status(store, "3f9c0a1b2c3d"));
 * }</pre>
 *
 * @param rolloutId the rollout's id
 * @param rollout   its name
 * @param plan      its plan's name
 * @param state     where it stands
 * @param reason    why it waits, halted or was cancelled; empty otherwise
 * @param resumeAt  when a resume goes on, for a parked rollout; else null
 * @param waves     each wave, in order
 * @param approvals every approval decided so far, in order
 * @param pending   the approval waiting for a decision, or null
 */
public record RolloutProgress(String rolloutId, String rollout, String plan, State state, String reason, Instant resumeAt,
        List<WaveProgressEntry> waves, List<Decided> approvals, Pending pending) {

    /** Where a rollout stands. */
    public enum State {
        /** Its last session is still going, or stopped without a trace (a crash): resume it to go on. */
        RUNNING_OR_STOPPED,
        /** Parked at a wait; a resume at or after {@code resumeAt} goes on. */
        WAITING,
        /** Finished: every wave ran within its budget. */
        SUCCEEDED,
        /** Finished: halted. A resume retries from where it halted. */
        HALTED,
        /** Finished: cancelled. A resume goes on. */
        CANCELLED
    }

    /**
     * One wave as the journal has it.
     *
     * @param status  {@code WaveStatus} name once it ended; {@code STARTED} or {@code NOT_STARTED} before
     * @param targets its frozen targets (empty until resolved)
     */
    public record WaveProgressEntry(String wave, String status, String reason, List<String> targets) {
        public WaveProgressEntry {
            Objects.requireNonNull(wave, "wave");
            targets = List.copyOf(targets);
        }
    }

    /** An approval decision: which wave it held back, what was decided, by whom, when. */
    public record Decided(String wave, boolean approved, String by, Instant at, String comment) {
    }

    /** An approval waiting for a decision: which wave, since when, until when the timeout rule waits. */
    public record Pending(String wave, String description, Instant since) {
    }

    public RolloutProgress {
        Objects.requireNonNull(rolloutId, "rolloutId");
        Objects.requireNonNull(state, "state");
        reason = reason == null ? "" : reason;
        waves = List.copyOf(waves);
        approvals = List.copyOf(approvals);
    }

    /** The pending approval, if any. */
    public Optional<Pending> pendingApproval() {
        return Optional.ofNullable(pending);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Rollout ").append(rolloutId).append(" (").append(rollout).append(" of plan ")
                .append(plan).append("): ").append(state);
        if (!reason.isEmpty()) {
            b.append(" — ").append(reason);
        }
        b.append('\n');
        if (resumeAt != null) {
            b.append("  next: resume at or after ").append(resumeAt).append('\n');
        }
        if (pending != null) {
            b.append("  waiting for approval \"").append(pending.description()).append("\" before wave ")
                    .append(pending.wave()).append(", asked at ").append(pending.since()).append('\n');
        }
        for (WaveProgressEntry w : waves) {
            b.append("  wave ").append(w.wave()).append(": ").append(w.status())
                    .append(w.targets().isEmpty() ? "" : " (" + w.targets().size() + " target(s))")
                    .append(w.reason() == null || w.reason().isEmpty() ? "" : " — " + w.reason()).append('\n');
        }
        for (Decided d : approvals) {
            b.append("  approval before ").append(d.wave()).append(": ").append(d.approved() ? "approved" : "rejected")
                    .append(" by ").append(d.by()).append(d.at() == null ? "" : " at " + d.at())
                    .append(d.comment() == null || d.comment().isEmpty() ? "" : " (" + d.comment() + ")").append('\n');
        }
        return b.toString();
    }
}
