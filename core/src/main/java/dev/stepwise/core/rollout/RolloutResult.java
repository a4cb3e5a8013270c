package dev.stepwise.core.rollout;

import dev.stepwise.core.internal.RolloutRendering;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
 * decision{approved, by, comment, at, timedOut}}], targets[{target, status, canary, start, end, durationMillis,
 * note, failure{type, message}, run{… as RunResult#toJson …}}]}]}}. Times are ISO-8601 instants; limits as set
 * are strings ({@code "10"} or {@code "10%"}). Immutable and thread-safe.
 *
 * <pre>{@code
 * RolloutResult r = runner.run(rollout);
 * System.out.println(r);
 * System.out.println(r.timeline());
 * r.wave("production").failed().forEach(t -> System.out.println(t.run()));
 * r.orThrow();
 * }</pre>
 *
 * @param rollout     the rollout's name
 * @param rolloutId   the rollout's id
 * @param plan        the plan's name
 * @param fingerprint the plan's fingerprint
 * @param dryRun      whether this was a dry run
 * @param status      how it finished
 * @param reason      why it halted or was cancelled; empty on success
 * @param start       when it started
 * @param end         when it finished (null while running)
 * @param waves       one result per wave, in order; waves not reached are NOT_STARTED (or WAITING)
 * @param resumeAt    for a parked ({@link RolloutStatus#WAITING}) rollout, when a resume goes on; else null
 */
public record RolloutResult(String rollout, String rolloutId, String plan, String fingerprint, boolean dryRun,
        RolloutStatus status, String reason, Instant start, Instant end, List<WaveResult> waves, Instant resumeAt) {

    public RolloutResult {
        Objects.requireNonNull(rollout, "rollout");
        Objects.requireNonNull(rolloutId, "rolloutId");
        Objects.requireNonNull(status, "status");
        reason = reason == null ? "" : reason;
        waves = List.copyOf(waves);
    }

    /** Whether every wave ran within its budget. */
    public boolean isSuccess() {
        return status.isSuccess();
    }

    /**
     * The wave called {@code name}.
     *
     * @throws IllegalArgumentException naming the waves there are, if there is none by that name (yet)
     */
    public WaveResult wave(String name) {
        return waves.stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("wave \"" + name + "\" is not in this result (waves: "
                        + String.join(", ", waves.stream().map(WaveResult::name).toList()) + ")"));
    }

    /** Every target of every wave, in order. */
    public List<TargetResult> targets() {
        return waves.stream().flatMap(w -> w.targets().stream()).toList();
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
    public java.util.Optional<WaveResult> stoppedAt() {
        return waves.stream().filter(w -> w.status() == WaveStatus.HALTED || w.status() == WaveStatus.CANCELLED)
                .findFirst();
    }

    /** How long it took. */
    public Duration duration() {
        return start == null || end == null ? Duration.ZERO : Duration.between(start, end);
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
}
