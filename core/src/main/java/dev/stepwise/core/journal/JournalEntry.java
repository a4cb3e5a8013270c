package dev.stepwise.core.journal;

import dev.stepwise.core.plan.Effect;
import dev.stepwise.core.rollout.ApprovalDecision;
import dev.stepwise.core.run.Failure;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One thing a run decided or did, as its journal records it. The runner appends entries as they happen; a resume
 * reads them back ({@link RunJournal}); every store writes and reads them through the one {@link JournalCodec}.
 *
 * <p>Each entry names when it happened on the runner's clock. Rows are the plan's rows in order (steps, checks,
 * branches and ends), as in {@link dev.stepwise.core.run.RunResult#steps()}. Values are plain JSON values (maps,
 * lists, strings, numbers, booleans); secret inputs and outputs are never written. Immutable and thread-safe.
 */
public sealed interface JournalEntry {

    /** When it happened, on the runner's clock. */
    Instant at();

    /**
     * A new run began.
     *
     * @param secretInputs names of the secret inputs, whose values were not written
     */
    record RunStarted(Instant at, String runId, String plan, String fingerprint, String target,
            Map<String, Object> inputs, List<String> secretInputs) implements JournalEntry {
        public RunStarted {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(plan, "plan");
            Objects.requireNonNull(fingerprint, "fingerprint");
            inputs = plainCopy(inputs);
            secretInputs = List.copyOf(secretInputs);
        }
    }

    /** A later session continued the run from its journal. */
    record RunResumed(Instant at) implements JournalEntry {
        public RunResumed {
            Objects.requireNonNull(at, "at");
        }
    }

    /** A step's first attempt is about to start. */
    record StepStarted(Instant at, int row, String name, Effect effect) implements JournalEntry {
        public StepStarted {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(effect, "effect");
        }
    }

    /** An attempt of a step failed; the retry policy decides what comes next. */
    record AttemptFailed(Instant at, int row, String name, int attempt, Failure failure) implements JournalEntry {
        public AttemptFailed {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(failure, "failure");
        }
    }

    /**
     * A step succeeded.
     *
     * @param output   its output as plain JSON values, or null when it has none or it is secret
     * @param redacted whether the output was secret and so was not written
     */
    record StepSucceeded(Instant at, int row, String name, int attempts, Object output, boolean redacted)
            implements JournalEntry {
        public StepSucceeded {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(name, "name");
        }
    }

    /** A step failed after every attempt its retry policy allowed. */
    record StepFailed(Instant at, int row, String name, int attempts, Failure failure) implements JournalEntry {
        public StepFailed {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(failure, "failure");
        }
    }

    /**
     * A precondition or a branch was decided.
     *
     * @param outcome {@code held} or {@code failed} for a precondition, {@code then} or {@code otherwise} for a
     *                branch
     */
    record CheckDecided(Instant at, int row, String name, String outcome) implements JournalEntry {
        public CheckDecided {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    /**
     * A session of the run finished.
     *
     * @param status  the run's status name (see {@link dev.stepwise.core.run.RunStatus})
     * @param failure the failure that stopped it, or null
     */
    record RunFinished(Instant at, String status, String reason, Failure failure) implements JournalEntry {
        public RunFinished {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(status, "status");
            reason = reason == null ? "" : reason;
        }
    }

    /** Someone closed the run: it can no longer be resumed. */
    record RunClosed(Instant at, String reason) implements JournalEntry {
        public RunClosed {
            Objects.requireNonNull(at, "at");
            reason = reason == null ? "" : reason;
        }
    }

    // ---- rollouts: one journal per rollout, next to its targets' run journals ----

    /**
     * A new rollout began.
     *
     * @param fingerprint what the rollout's structure hashes to (see {@code Rollout.fingerprint()})
     * @param waves       the waves' names, in order
     * @param parameters  what the caller chose to record to resume it without flags (never secrets)
     */
    record RolloutStarted(Instant at, String rolloutId, String rollout, String plan, String fingerprint,
            List<String> waves, Map<String, Object> parameters) implements JournalEntry {
        public RolloutStarted {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(rolloutId, "rolloutId");
            Objects.requireNonNull(rollout, "rollout");
            Objects.requireNonNull(plan, "plan");
            Objects.requireNonNull(fingerprint, "fingerprint");
            waves = List.copyOf(waves);
            parameters = plainCopy(parameters);
        }
    }

    /**
     * A later session continued the rollout.
     *
     * @param override empty, or why the caller accepted a rollout whose fingerprint changed (and the new one)
     */
    record RolloutResumed(Instant at, String override) implements JournalEntry {
        public RolloutResumed {
            Objects.requireNonNull(at, "at");
            override = override == null ? "" : override;
        }
    }

    /** A wave's targets, frozen at their first resolution: a resume uses these and resolves nothing again. */
    record WaveTargets(Instant at, String wave, List<String> targets) implements JournalEntry {
        public WaveTargets {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(wave, "wave");
            targets = List.copyOf(targets);
        }
    }

    /** A wave's first target is about to start (its checkpoints have passed). */
    record WaveStarted(Instant at, String wave) implements JournalEntry {
        public WaveStarted {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(wave, "wave");
        }
    }

    /** A wave ended; {@code status} is a {@code WaveStatus} name. */
    record WaveEnded(Instant at, String wave, String status, String reason) implements JournalEntry {
        public WaveEnded {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(wave, "wave");
            Objects.requireNonNull(status, "status");
            reason = reason == null ? "" : reason;
        }
    }

    /**
     * The rollout reached a checkpoint: a soak started, an approval was requested, a window wait began, an
     * announcement is about to be sent, a gate is evaluated.
     *
     * @param index the checkpoint's position among those before {@code wave}, from 0
     * @param kind  a {@code Checkpoint.Kind} name
     */
    record CheckpointStarted(Instant at, String wave, int index, String kind, String description) implements JournalEntry {
        public CheckpointStarted {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(wave, "wave");
            Objects.requireNonNull(kind, "kind");
            description = description == null ? "" : description;
        }
    }

    /** An approval's approver was asked (the approval's {@link CheckpointStarted} precedes it). */
    record ApprovalRequested(Instant at, String wave, int index) implements JournalEntry {
        public ApprovalRequested {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(wave, "wave");
        }
    }

    /** An announcement was sent (to at least one destination); its lead time counts from {@code at}. */
    record AnnouncementSent(Instant at, String wave, int index, Duration leadTime, String detail) implements JournalEntry {
        public AnnouncementSent {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(wave, "wave");
            Objects.requireNonNull(leadTime, "leadTime");
            detail = detail == null ? "" : detail;
        }
    }

    /**
     * A watched soak's health watch was evaluated (see {@code Checkpoint.WatchedSoak}); a resume recalls it and does
     * not evaluate it again.
     *
     * @param held   whether the watch's verdict held
     * @param detail what the verdict said
     * @param data   what the watch saw (plain JSON values), else empty
     */
    record SoakWatched(Instant at, String wave, int index, boolean held, String detail, Map<String, Object> data)
            implements JournalEntry {
        public SoakWatched {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(wave, "wave");
            detail = detail == null ? "" : detail;
            data = plainCopy(data);
        }
    }

    /**
     * A checkpoint ended.
     *
     * @param outcome  a {@code CheckpointResult.Outcome} name
     * @param decision for approvals, who decided what and when; else null
     * @param data     what a gate saw (plain JSON values), else empty
     */
    record CheckpointEnded(Instant at, String wave, int index, String outcome, String detail, ApprovalDecision decision,
            Map<String, Object> data) implements JournalEntry {
        public CheckpointEnded {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(wave, "wave");
            Objects.requireNonNull(outcome, "outcome");
            detail = detail == null ? "" : detail;
            data = plainCopy(data);
        }
    }

    /** The rollout returned instead of waiting; a resume at or after {@code resumeAt} goes on. */
    record RolloutParked(Instant at, String reason, Instant resumeAt) implements JournalEntry {
        public RolloutParked {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(resumeAt, "resumeAt");
            reason = reason == null ? "" : reason;
        }
    }

    /** A session of the rollout finished; {@code status} is a {@code RolloutStatus} name. */
    record RolloutFinished(Instant at, String status, String reason) implements JournalEntry {
        public RolloutFinished {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(status, "status");
            reason = reason == null ? "" : reason;
        }
    }

    /**
     * An approval decision given from outside the process that runs the rollout (for example {@code approve ID --by
     * NAME}): written to the rollout's decisions journal without the holder's lock; the holder reads it and journals
     * it as the checkpoint's end.
     *
     * @param index the pending approval's position among the checkpoints before {@code wave}
     */
    record ApprovalGiven(Instant at, String wave, int index, boolean approved, String by, String comment)
            implements JournalEntry {
        public ApprovalGiven {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(wave, "wave");
            Objects.requireNonNull(by, "by");
            comment = comment == null ? "" : comment;
        }
    }

    private static Map<String, Object> plainCopy(Map<String, Object> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
