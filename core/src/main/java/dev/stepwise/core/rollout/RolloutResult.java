package dev.stepwise.core.rollout;

import dev.stepwise.core.Nullable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * What a rollout did: its status and reason, and per wave the checkpoints, limits and each target's
 * {@link dev.stepwise.core.run.RunResult}.
 *
 * <p>Renderings: a readable table ({@link #toString()}, also in JShell; every failed, cancelled and canary
 * target is listed, succeeded ones up to 20 per wave), a compact {@link #timeline()}, and JSON ({@link #toJson()})
 * with stable field names: {@code rollout, rolloutId, plan, fingerprint, dryRun, status, reason, start, end,
 * durationMillis, resumeAt, waves[{name, status, reason, targetSource, maxConcurrency, concurrency, maxErrors,
 * errorBudget, ramp, strict, rampStages[], start, end, durationMillis, counts{total, succeeded, failed,
 * cancelled, notStarted}, checkpoints[{kind, description, outcome, start, end, durationMillis, detail,
 * data{…}, decision{approved, by, comment, at, timedOut}}], targets[{target, status, canary, start, end,
 * durationMillis, note, failure{type, message}, run{… as RunResult#toJson …}}]}]}}. Times are ISO-8601 instants;
 * limits as set are strings ({@code "10"} or {@code "10%"}); {@code data} appears only when not empty.
 *
 * <p>Made by the rollout runner; {@link #builder()} is there for tests and tools that forge results. Defaults:
 * not a dry run, an empty reason, no plan, fingerprint, times, waves or resume time.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * RolloutResult r = runner.run(rollout);
 * System.out.println(r);
 * System.out.println(r.timeline());
 * r.wave("production").failed().forEach(t -> System.out.println(t.run()));
 * r.orThrow();
 * }</pre>
 */
@Value.Immutable
public abstract class RolloutResult {

    RolloutResult() {
    }

    /** Starts a rollout's result; {@code rollout}, {@code rolloutId} and {@code status} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this result's values. */
    public Builder toBuilder() {
        return new Builder().from(this);
    }

    /** The rollout's name. */
    public abstract String rollout();

    /** The rollout's id. */
    public abstract String rolloutId();

    /** The plan's name, or null. */
    @Nullable
    public abstract String plan();

    /** The plan's fingerprint, or null. */
    @Nullable
    public abstract String fingerprint();

    /** Whether this was a dry run. */
    @Value.Default
    public boolean dryRun() {
        return false;
    }

    /** How it finished. */
    public abstract RolloutStatus status();

    /** Why it halted or was cancelled; empty on success. */
    @Value.Default
    public String reason() {
        return "";
    }

    /** When it started, or null. */
    @Nullable
    public abstract Instant start();

    /** When it finished (null while running). */
    @Nullable
    public abstract Instant end();

    /** One result per wave, in order; waves not reached are NOT_STARTED (or WAITING). */
    public abstract List<WaveResult> waves();

    /** For a parked ({@link RolloutStatus#WAITING}) rollout, when a resume goes on; else null. */
    @Nullable
    public abstract Instant resumeAt();

    /** Whether every wave ran within its budget. */
    public boolean isSuccess() {
        return status().isSuccess();
    }

    /**
     * The wave called {@code name}.
     *
     * @throws dev.stepwise.core.StepwiseException naming the waves there are, if there is none by that name (yet)
     */
    public WaveResult wave(String name) {
        return waves().stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow(() ->
                new dev.stepwise.core.StepwiseException("wave \"" + name + "\" is not in this result (waves: "
                        + String.join(", ", waves().stream().map(WaveResult::name).toList()) + ")"));
    }

    /** Every target of every wave, in order. */
    public List<TargetResult> targets() {
        return waves().stream().flatMap(w -> w.targets().stream()).toList();
    }

    /** Every target with status {@code s}, in order. */
    public List<TargetResult> targets(TargetStatus s) {
        return targets().stream().filter(t -> t.status() == s).toList();
    }

    /** Every target that failed, in any wave. */
    public List<TargetResult> failed() {
        return targets(TargetStatus.FAILED);
    }

    /** The wave that halted or was cancelled, if any. */
    public Optional<WaveResult> stoppedAt() {
        return waves().stream().filter(w -> w.status() == WaveStatus.HALTED || w.status() == WaveStatus.CANCELLED)
                .findFirst();
    }

    /** How long it took. */
    public Duration duration() {
        return start() == null || end() == null ? Duration.ZERO : Duration.between(start(), end());
    }

    /**
     * Returns this result if the rollout succeeded; otherwise throws a {@link RolloutHaltedException} naming the
     * rollout, the wave and the reason.
     */
    public RolloutResult orThrow() {
        if (isSuccess()) {
            return this;
        }
        throw new RolloutHaltedException(this);
    }

    /** This result as JSON (field names as documented on the type). */
    public String toJson() {
        return RolloutRendering.toJson(this);
    }

    /** A compact timeline: one line per rollout, checkpoint and wave milestone, with offsets from the start. */
    public String timeline() {
        return RolloutRendering.timeline(this);
    }

    /** A readable table of the rollout. */
    @Override
    public String toString() {
        return RolloutRendering.table(this);
    }

    /** Builds a {@link RolloutResult}; a missing required value throws a {@code PlanValidationException} naming it. */
    public static final class Builder extends ImmutableRolloutResult.Builder {
        Builder() {
        }
    }
}
