package dev.stepwise.core.run;

import dev.stepwise.core.AllowNulls;
import dev.stepwise.core.Nullable;
import dev.stepwise.core.PreconditionFailedException;
import dev.stepwise.core.StepFailedException;
import dev.stepwise.core.StepwiseException;
import dev.stepwise.core.plan.Key;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * What a run did: its overall status and, per row (step, check, branch, end), status, attempts, times,
 * output, failure and, in a dry run, predictions.
 *
 * <p>Prints as a readable table ({@link #toString()}, also in JShell), and as JSON ({@link #toJson()}) with
 * stable field names: {@code plan, fingerprint, runId, target, dryRun, status, reason, start, end,
 * durationMillis, inputs, outputs, failure{type,message}, steps[{name, kind, effect, status, attempts, start,
 * end, durationMillis, output, failure, predictions[{service, operation, parameters, condition}], note}]}. Times are
 * ISO-8601 instants. Secret inputs and outputs are shown as {@code ****} everywhere. Immutable and thread-safe.
 *
 * <p>Made by the runner, by {@link #fromJson(String)} and by {@link #builder()} (for tests and tools that forge
 * results). Defaults: not a dry run, an empty reason, no times, inputs, outputs, failure or rows.
 *
 * <pre>{@code
 * RunResult r = runner.run(plan, inputs);
 * System.out.println(r);
 * r.output(IMAGE_ID).ifPresent(System.out::println);
 * r.orThrow();
 * }</pre>
 */
@Value.Immutable
public abstract class RunResult {

    RunResult() {
    }

    /** Starts a result; {@code plan}, {@code runId} and {@code status} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this result's values. */
    public Builder toBuilder() {
        return new Builder().from(this);
    }

    /** The plan's name. */
    public abstract String plan();

    /** The plan's fingerprint, or null. */
    @Nullable
    public abstract String fingerprint();

    /** The run's id. */
    public abstract String runId();

    /** The rollout target, or null. */
    @Nullable
    public abstract String target();

    /** Whether this was a dry run. */
    @Value.Default
    public boolean dryRun() {
        return false;
    }

    /** How the run finished. */
    public abstract RunStatus status();

    /** Why it ended, failed or was cancelled; empty on plain success. */
    @Value.Default
    public String reason() {
        return "";
    }

    /** When it started, or null. */
    @Nullable
    public abstract Instant start();

    /** When it finished, or null. */
    @Nullable
    public abstract Instant end();

    /** The inputs as shown to people (secrets as {@code ****}), in order. */
    public abstract Map<String, String> inputs();

    /** The outputs by key name (secrets as {@code ****}), in order. */
    @AllowNulls
    public abstract Map<String, Object> outputs();

    /** The failure that stopped the run, or null. */
    @Nullable
    public abstract Failure failure();

    /** One row per step, check, branch and end, in plan order. */
    public abstract List<StepResult> steps();

    /** Whether the run finished as the plan intended. */
    public boolean isSuccess() {
        return status().isSuccess();
    }

    /** How long the run took. */
    public Duration duration() {
        return start() == null || end() == null ? Duration.ZERO : Duration.between(start(), end());
    }

    /** The row called {@code name}. */
    public Optional<StepResult> step(String name) {
        return steps().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The rows with status {@code status}. */
    public List<StepResult> steps(StepStatus status) {
        return steps().stream().filter(s -> s.status() == status).toList();
    }

    /** The output under {@code key}, converted to its type if the result came from JSON. */
    public <T> Optional<T> output(Key<T> key) {
        Object v = outputs().get(key.name());
        if (v == null) {
            return Optional.empty();
        }
        return Optional.of(key.fromPlain(v));
    }

    /**
     * Returns this result if the run succeeded; otherwise throws:
     * <ul>
     *   <li>for a failed step, a {@link StepFailedException} whose cause is the step's own exception — the one its
     *       action threw, in the process that ran it; after a resume or from JSON, a
     *       {@link dev.stepwise.core.RestoredFailureException} naming its type and message, with its recorded
     *       details;</li>
     *   <li>for a failed {@code require}, the {@link PreconditionFailedException};</li>
     *   <li>otherwise (cancelled, a step needing a decision on resume) a {@link StepwiseException} naming the run
     *       and the reason.</li>
     * </ul>
     */
    public RunResult orThrow() {
        if (isSuccess()) {
            return this;
        }
        if (status() == RunStatus.FAILED && failure() != null) {
            Throwable cause = failure().toException();
            if (cause instanceof PreconditionFailedException p) {
                throw p;
            }
            if (PreconditionFailedException.class.getName().equals(failure().type())) {
                throw new PreconditionFailedException(steps().stream().filter(s -> s.kind() == StepResult.Kind.CHECK
                        && s.status() == StepStatus.FAILED).map(StepResult::name).reduce((a, b) -> b)
                        .map(n -> n.replaceFirst("^require: ", "")).orElse(reason()), "", cause);
            }
            Optional<StepResult> failed = steps().stream()
                    .filter(s -> s.status() == StepStatus.FAILED && s.kind() == StepResult.Kind.STEP)
                    .reduce((a, b) -> b);
            if (failed.isPresent()) {
                throw new StepFailedException(failed.get().name(), failed.get().attempts(), cause);
            }
        }
        throw new StepwiseException("Run " + runId() + " of plan \"" + plan() + "\" " + status() + ": " + reason());
    }

    /** This result as JSON (field names as documented on the type). */
    public String toJson() {
        return ResultRendering.toJson(this);
    }

    /** Reads a result written by {@link #toJson()}; outputs come back as JSON values (maps, lists, strings, numbers). */
    public static RunResult fromJson(String json) {
        return ResultRendering.fromJson(json);
    }

    /** A readable table of the run. */
    @Override
    public String toString() {
        return ResultRendering.table(this);
    }

    /** Builds a {@link RunResult}; a missing required value throws a {@code PlanValidationException} naming it. */
    public static final class Builder extends ImmutableRunResult.Builder {
        Builder() {
        }
    }
}
