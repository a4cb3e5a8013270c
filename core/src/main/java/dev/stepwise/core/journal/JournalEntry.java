package dev.stepwise.core.journal;

import dev.stepwise.core.plan.Effect;
import dev.stepwise.core.run.Failure;
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

    private static Map<String, Object> plainCopy(Map<String, Object> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
