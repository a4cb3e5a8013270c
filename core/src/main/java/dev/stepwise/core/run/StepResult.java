package dev.stepwise.core.run;

import dev.stepwise.core.plan.Effect;
import dev.stepwise.core.plan.Prediction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What happened to one row of a run: a step, a precondition, a branch or an end.
 *
 * @param name        the step's name, or the check's description, or the end's reason
 * @param kind        what the row is
 * @param effect      the step's effect; {@code READ_ONLY} for checks, branches and ends
 * @param status      what happened
 * @param attempts    attempts made (0 when not run)
 * @param start       when it started, or null when not run
 * @param end         when it finished, or null when not run
 * @param output      its output as shown to people ({@code ****} for secrets), or null
 * @param failure     the last failure, or null
 * @param predictions dry run: what it would have done
 * @param note        a branch's decision, why it was skipped, or why a dry run could not run it
 */
public record StepResult(String name, Kind kind, Effect effect, StepStatus status, int attempts, Instant start,
        Instant end, String output, Failure failure, List<Prediction> predictions, String note) {

    /** The kinds of row. */
    public enum Kind { STEP, CHECK, BRANCH, END }

    public StepResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(effect, "effect");
        Objects.requireNonNull(status, "status");
        predictions = List.copyOf(predictions);
        note = note == null ? "" : note;
    }

    /** How long it ran, if it ran. */
    public Optional<Duration> duration() {
        return start == null || end == null ? Optional.empty() : Optional.of(Duration.between(start, end));
    }

    /** The failure, if it failed. */
    public Optional<Failure> failureIfAny() {
        return Optional.ofNullable(failure);
    }
}
