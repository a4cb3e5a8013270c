package dev.stepwise.core.rollout;

import dev.stepwise.core.plan.Key;
import dev.stepwise.core.run.RunResult;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What happened in one wave: the checkpoints before it, the limits it ran with (as set and as resolved for
 * its targets), and one {@link TargetResult} per target in the order they were resolved. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * WaveResult np = result.wave("non-production");
 * np.allSucceeded();
 * np.outputs(INSTALLED_PATCHES);   // target -> value, for a gate comparing waves
 * }</pre>
 *
 * @param name               the wave's name
 * @param status             how it finished
 * @param reason             why it halted or was cancelled; empty on success
 * @param targetSource       where its targets came from
 * @param maxConcurrency     the concurrency limit as set
 * @param concurrency        the concurrency limit resolved for its targets (0 if never resolved)
 * @param maxErrors          the error budget as set
 * @param errorBudget        the error budget resolved for its targets
 * @param ramp               whether it ramped up with a canary
 * @param strict             whether strict mode bounded in-flight targets by the remaining budget
 * @param rampStages         the ramp's stage sizes (empty without a ramp)
 * @param checkpoints        what happened before it, in order
 * @param start              when its targets started to run, or null
 * @param end                when its last target finished, or null
 * @param targets            one result per resolved target
 */
public record WaveResult(String name, WaveStatus status, String reason, String targetSource, Limit maxConcurrency,
        int concurrency, Limit maxErrors, int errorBudget, boolean ramp, boolean strict, List<Integer> rampStages,
        List<CheckpointResult> checkpoints, Instant start, Instant end, List<TargetResult> targets) {

    public WaveResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        reason = reason == null ? "" : reason;
        rampStages = List.copyOf(rampStages);
        checkpoints = List.copyOf(checkpoints);
        targets = List.copyOf(targets);
    }

    /** Targets resolved for the wave. */
    public int total() {
        return targets.size();
    }

    /** Whether every target succeeded and the wave ran to its end (vacuously true for an allowed empty wave). */
    public boolean allSucceeded() {
        return status == WaveStatus.SUCCEEDED;
    }

    /** The targets with {@code s}. */
    public List<TargetResult> targets(TargetStatus s) {
        return targets.stream().filter(t -> t.status() == s).toList();
    }

    /** How many targets have status {@code s}. */
    public int count(TargetStatus s) {
        return (int) targets.stream().filter(t -> t.status() == s).count();
    }

    /** The targets that failed. */
    public List<TargetResult> failed() {
        return targets(TargetStatus.FAILED);
    }

    /** The result for {@code target}. */
    public Optional<TargetResult> target(String target) {
        return targets.stream().filter(t -> t.target().equals(target)).findFirst();
    }

    /** The final counts. */
    public WaveProgress progress() {
        return new WaveProgress(total(), count(TargetStatus.SUCCEEDED), count(TargetStatus.FAILED),
                count(TargetStatus.CANCELLED), 0);
    }

    /**
     * Each target's output under {@code key}, by target, for targets whose run produced it; what a gate reads to
     * compare waves ("production needs exactly the patches non-production installed").
     */
    public <T> Map<String, T> outputs(Key<T> key) {
        Map<String, T> out = new LinkedHashMap<>();
        for (TargetResult t : targets) {
            RunResult r = t.run();
            if (r != null) {
                r.output(key).ifPresent(v -> out.put(t.target(), v));
            }
        }
        return out;
    }

    /** How long its targets ran. */
    public Duration duration() {
        return start == null || end == null ? Duration.ZERO : Duration.between(start, end);
    }

    @Override
    public String toString() {
        return "Wave " + name + ": " + status + ", " + progress() + (reason.isEmpty() ? "" : " — " + reason);
    }
}
