package dev.stepwise.core.run;

import dev.stepwise.core.Nullable;
import dev.stepwise.core.plan.Effect;
import dev.stepwise.core.plan.Prediction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * What happened to one row of a run: a step, a precondition, a branch or an end.
 *
 * <p>Made by the runner (and read back from JSON); {@link #builder()} is there for tests and tools that forge
 * results. Defaults: {@code attempts 0}, no times, output or failure, no predictions, an empty note. Immutable
 * and thread-safe.
 *
 * <pre>{@code
 * StepResult row = StepResult.builder().
 *     name("stop instance").kind(StepResult.Kind.STEP).effect(Effect.MUTATING).status(StepStatus.SUCCEEDED).
 *     attempts(1).
 *     build();
 * }</pre>
 */
@Value.Immutable
public abstract class StepResult {

    /** The kinds of row. */
    public enum Kind { STEP, CHECK, BRANCH, END }

    StepResult() {
    }

    /** Starts a row; {@code name}, {@code kind}, {@code effect} and {@code status} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this row's values. */
    public Builder toBuilder() {
        return new Builder().from(this);
    }

    /** The step's name, or the check's description, or the end's reason. */
    public abstract String name();

    /** What the row is. */
    public abstract Kind kind();

    /** The step's effect; {@code READ_ONLY} for checks, branches and ends. */
    public abstract Effect effect();

    /** What happened. */
    public abstract StepStatus status();

    /** Attempts made (0 when not run). */
    @Value.Default
    public int attempts() {
        return 0;
    }

    /** When it started, or null when not run. */
    @Nullable
    public abstract Instant start();

    /** When it finished, or null when not run. */
    @Nullable
    public abstract Instant end();

    /** Its output as shown to people ({@code ****} for secrets), or null. */
    @Nullable
    public abstract String output();

    /** The last failure, or null. */
    @Nullable
    public abstract Failure failure();

    /** Dry run: what it would have done. */
    public abstract List<Prediction> predictions();

    /** A branch's decision, why it was skipped, or why a dry run could not run it; possibly empty. */
    @Value.Default
    public String note() {
        return "";
    }

    /** How long it ran, if it ran. */
    public Optional<Duration> duration() {
        return start() == null || end() == null ? Optional.empty() : Optional.of(Duration.between(start(), end()));
    }

    /** The failure, if it failed. */
    public Optional<Failure> failureIfAny() {
        return Optional.ofNullable(failure());
    }

    /** Builds a {@link StepResult}; a missing required value throws a {@code PlanValidationException} naming it. */
    public static final class Builder extends ImmutableStepResult.Builder {
        Builder() {
        }
    }
}
