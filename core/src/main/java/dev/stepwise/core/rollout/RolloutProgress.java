package dev.stepwise.core.rollout;

import dev.stepwise.core.Nullable;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * Where a rollout stands, read from its journal alone (no call to AWS or a controller): its state, each wave's,
 * what comes next and when, and who decided each approval. Prints as text.
 *
 * <p>Made by {@link Rollouts#status}; {@link #builder()} is there for tests. Defaults: an empty reason, no
 * resume time, waves, approvals or pending approval. Immutable and thread-safe.
 *
 * <pre>{@code
 * System.out.println(Rollouts.status(store, "3f9c0a1b2c3d"));
 * }</pre>
 */
@Value.Immutable
public abstract class RolloutProgress {

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

    RolloutProgress() {
    }

    /** Starts a progress report; {@code rolloutId} and {@code state} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this report's values. */
    public Builder toBuilder() {
        return new Builder().from(this);
    }

    /** The rollout's id. */
    public abstract String rolloutId();

    /** Its name, or null. */
    @Nullable
    public abstract String rollout();

    /** Its plan's name, or null. */
    @Nullable
    public abstract String plan();

    /** Where it stands. */
    public abstract State state();

    /** Why it waits, halted or was cancelled; empty otherwise. */
    @Value.Default
    public String reason() {
        return "";
    }

    /** When a resume goes on, for a parked rollout; else null. */
    @Nullable
    public abstract Instant resumeAt();

    /** Each wave, in order. */
    public abstract List<WaveProgressEntry> waves();

    /** Every approval decided so far, in order. */
    public abstract List<Decided> approvals();

    /** The approval waiting for a decision, or null. */
    @Nullable
    public abstract Pending pending();

    /**
     * One wave as the journal has it: its name, its {@code WaveStatus} name once it ended ({@code STARTED} or
     * {@code NOT_STARTED} before), why it ended, and its frozen targets (empty until resolved).
     */
    @Value.Immutable
    public abstract static class WaveProgressEntry {

        WaveProgressEntry() {
        }

        /** An entry for {@code wave} with {@code status}, no reason and no targets. */
        public static WaveProgressEntry of(String wave, String status) {
            return builder().wave(wave).status(status).build();
        }

        /** Starts an entry; {@code wave} and {@code status} are required. */
        public static Builder builder() {
            return new Builder();
        }

        /** The wave's name. */
        public abstract String wave();

        /** Its {@code WaveStatus} name once it ended; {@code STARTED} or {@code NOT_STARTED} before. */
        public abstract String status();

        /** Why it ended, possibly empty. */
        @Value.Default
        public String reason() {
            return "";
        }

        /** Its frozen targets (empty until resolved). */
        public abstract List<String> targets();

        /** Builds a {@link WaveProgressEntry}. */
        public static final class Builder extends ImmutableWaveProgressEntry.Builder {
            Builder() {
            }
        }
    }

    /** An approval decision: which wave it held back, what was decided, by whom, when. */
    @Value.Immutable
    public abstract static class Decided {

        Decided() {
        }

        /** Starts a decision; {@code wave}, {@code approved} and {@code by} are required. */
        public static Builder builder() {
            return new Builder();
        }

        /** The wave it held back. */
        public abstract String wave();

        /** Whether it was approved. */
        public abstract boolean approved();

        /** Who decided. */
        public abstract String by();

        /** When, or null. */
        @Nullable
        public abstract Instant at();

        /** Why, possibly empty. */
        @Value.Default
        public String comment() {
            return "";
        }

        /** Builds a {@link Decided}. */
        public static final class Builder extends ImmutableDecided.Builder {
            Builder() {
            }
        }
    }

    /** An approval waiting for a decision: which wave, since when. */
    @Value.Immutable
    public abstract static class Pending {

        Pending() {
        }

        /** Starts a pending approval; {@code wave} is required. */
        public static Builder builder() {
            return new Builder();
        }

        /** The wave it holds back. */
        public abstract String wave();

        /** The approval's description, or null. */
        @Nullable
        public abstract String description();

        /** When it was asked, or null. */
        @Nullable
        public abstract Instant since();

        /** Builds a {@link Pending}. */
        public static final class Builder extends ImmutablePending.Builder {
            Builder() {
            }
        }
    }

    /** The pending approval, if any. */
    public Optional<Pending> pendingApproval() {
        return Optional.ofNullable(pending());
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Rollout ").append(rolloutId()).append(" (").append(rollout())
                .append(" of plan ").append(plan()).append("): ").append(state());
        if (!reason().isEmpty()) {
            b.append(" — ").append(reason());
        }
        b.append('\n');
        if (resumeAt() != null) {
            b.append("  next: resume at or after ").append(resumeAt()).append('\n');
        }
        Pending pending = pending();
        if (pending != null) {
            b.append("  waiting for approval \"").append(pending.description()).append("\" before wave ")
                    .append(pending.wave()).append(", asked at ").append(pending.since()).append('\n');
        }
        for (WaveProgressEntry w : waves()) {
            b.append("  wave ").append(w.wave()).append(": ").append(w.status())
                    .append(w.targets().isEmpty() ? "" : " (" + w.targets().size() + " target(s))")
                    .append(w.reason() == null || w.reason().isEmpty() ? "" : " — " + w.reason()).append('\n');
        }
        for (Decided d : approvals()) {
            b.append("  approval before ").append(d.wave()).append(": ").append(d.approved() ? "approved" : "rejected")
                    .append(" by ").append(d.by()).append(d.at() == null ? "" : " at " + d.at())
                    .append(d.comment() == null || d.comment().isEmpty() ? "" : " (" + d.comment() + ")").append('\n');
        }
        return b.toString();
    }

    /** Builds a {@link RolloutProgress}; a missing required value throws a {@code PlanValidationException}. */
    public static final class Builder extends ImmutableRolloutProgress.Builder {
        Builder() {
        }
    }
}
