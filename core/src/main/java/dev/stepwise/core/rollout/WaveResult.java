package dev.stepwise.core.rollout;

import dev.stepwise.core.Nullable;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.run.RunResult;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * What happened in one wave: the checkpoints before it, the limits it ran with (as set and as resolved for
 * its targets), and one {@link TargetResult} per target in the order they were resolved.
 *
 * <p>Made by the rollout runner; {@link #builder()} is there for tests and tools that forge results. Defaults:
 * an empty reason, resolved limits 0, no ramp, not strict, no stages, checkpoints, times or targets. Immutable
 * and thread-safe.
 *
 * <pre>{@code
 * WaveResult np = result.wave("non-production");
 * np.allSucceeded();
 * np.outputs(INSTALLED_PATCHES);   // target -> value, for a gate comparing waves
 * }</pre>
 */
@Value.Immutable
public abstract class WaveResult {

    WaveResult() {
    }

    /**
     * Starts a wave's result; {@code name}, {@code status}, {@code targetSource}, {@code maxConcurrency} and
     * {@code maxErrors} are required (the renderings show them).
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this result's values. */
    public Builder toBuilder() {
        return new Builder().from(this);
    }

    /** The wave's name. */
    public abstract String name();

    /** How it finished. */
    public abstract WaveStatus status();

    /** Why it halted or was cancelled; empty on success. */
    @Value.Default
    public String reason() {
        return "";
    }

    /** Where its targets came from. */
    public abstract String targetSource();

    /** The concurrency limit as set. */
    public abstract Limit maxConcurrency();

    /** The concurrency limit resolved for its targets (0 if never resolved). */
    @Value.Default
    public int concurrency() {
        return 0;
    }

    /** The error budget as set. */
    public abstract Limit maxErrors();

    /** The error budget resolved for its targets (0 if never resolved). */
    @Value.Default
    public int errorBudget() {
        return 0;
    }

    /** Whether it ramped up with a canary. */
    @Value.Default
    public boolean ramp() {
        return false;
    }

    /** Whether strict mode bounded in-flight targets by the remaining budget. */
    @Value.Default
    public boolean strict() {
        return false;
    }

    /** The ramp's stage sizes (empty without a ramp). */
    public abstract List<Integer> rampStages();

    /** What happened before it, in order. */
    public abstract List<CheckpointResult> checkpoints();

    /** When its targets started to run, or null. */
    @Nullable
    public abstract Instant start();

    /** When its last target finished, or null. */
    @Nullable
    public abstract Instant end();

    /** One result per resolved target, in the order they were resolved. */
    public abstract List<TargetResult> targets();

    /** Targets resolved for the wave. */
    public int total() {
        return targets().size();
    }

    /** Whether every target succeeded and the wave ran to its end (vacuously true for an allowed empty wave). */
    public boolean allSucceeded() {
        return status() == WaveStatus.SUCCEEDED;
    }

    /** The targets with {@code s}. */
    public List<TargetResult> targets(TargetStatus s) {
        return targets().stream().filter(t -> t.status() == s).toList();
    }

    /** How many targets have status {@code s}. */
    public int count(TargetStatus s) {
        return (int) targets().stream().filter(t -> t.status() == s).count();
    }

    /** The targets that failed. */
    public List<TargetResult> failed() {
        return targets(TargetStatus.FAILED);
    }

    /** The result for {@code target}. */
    public Optional<TargetResult> target(String target) {
        return targets().stream().filter(t -> t.target().equals(target)).findFirst();
    }

    /** The final counts. */
    public WaveProgress progress() {
        return WaveProgress.builder().total(total()).succeeded(count(TargetStatus.SUCCEEDED))
                .failed(count(TargetStatus.FAILED)).cancelled(count(TargetStatus.CANCELLED)).build();
    }

    /**
     * Each target's output under {@code key}, by target, for targets whose run produced it; what a gate reads to
     * compare waves ("production needs exactly the patches non-production installed").
     */
    public <T> Map<String, T> outputs(Key<T> key) {
        Map<String, T> out = new LinkedHashMap<>();
        for (TargetResult t : targets()) {
            RunResult r = t.run();
            if (r != null) {
                r.output(key).ifPresent(v -> out.put(t.target(), v));
            }
        }
        return out;
    }

    /** How long its targets ran. */
    public Duration duration() {
        return start() == null || end() == null ? Duration.ZERO : Duration.between(start(), end());
    }

    @Override
    public String toString() {
        return "Wave " + name() + ": " + status() + ", " + progress() + (reason().isEmpty() ? "" : " — " + reason());
    }

    /** Builds a {@link WaveResult}; a missing required value throws a {@code PlanValidationException} naming it. */
    public static final class Builder extends ImmutableWaveResult.Builder {
        Builder() {
        }
    }
}
