package dev.stepwise.core.rollout;

import java.time.Instant;
import java.util.List;

/**
 * What a rollout publishes to its {@link RolloutListener}s, one at a time and in order. Target events carry the
 * wave's {@link WaveProgress}, so a console progress bar needs nothing else. Each target's plan run also
 * publishes its own {@link dev.stepwise.core.run.RunEvent}s, with the target in their
 * {@link dev.stepwise.core.run.RunEvent.RunRef}, to the runner's listeners. Every event names its rollout and
 * carries the instant on the rollout's clock. Immutable.
 *
 * <p>The events stay records with positional constructors, unlike the results: they are constructed by the
 * runner; listeners only read them, so a field added later breaks no user code that compiles against them.
 *
 * <pre>{@code
 * RolloutListener onWaves = e -> {
 *     if (e instanceof RolloutEvent.WaveFinished w) {
 *         System.out.println(w.wave() + ": " + w.status() + " " + w.progress());
 *     }
 * };
 * }</pre>
 */
public sealed interface RolloutEvent {

    /** The rollout's name. */
    String rollout();

    /** The rollout's id. */
    String rolloutId();

    /** When it happened, on the rollout's clock. */
    Instant at();

    /** The rollout began. */
    record RolloutStarted(String rollout, String rolloutId, Instant at, boolean dryRun, List<String> waves)
            implements RolloutEvent {
    }

    /** The rollout reached a checkpoint before {@code wave}. */
    record CheckpointStarted(String rollout, String rolloutId, Instant at, String wave, Checkpoint.Kind kind,
            String description) implements RolloutEvent {
    }

    /** A checkpoint before {@code wave} passed, said no, or was cancelled. */
    record CheckpointFinished(String rollout, String rolloutId, Instant at, String wave, CheckpointResult result)
            implements RolloutEvent {
    }

    /** A wave's targets were resolved and its first target is about to start. */
    record WaveStarted(String rollout, String rolloutId, Instant at, String wave, int total, int concurrency,
            int errorBudget, List<Integer> rampStages) implements RolloutEvent {
    }

    /** A target's run started. */
    record TargetStarted(String rollout, String rolloutId, Instant at, String wave, String target,
            WaveProgress progress) implements RolloutEvent {
    }

    /** A target's run finished. */
    record TargetFinished(String rollout, String rolloutId, Instant at, String wave, String target,
            TargetStatus status, WaveProgress progress) implements RolloutEvent {
    }

    /** A wave finished, halted or was cancelled. */
    record WaveFinished(String rollout, String rolloutId, Instant at, String wave, WaveStatus status, String reason,
            WaveProgress progress) implements RolloutEvent {
    }

    /** The rollout finished. */
    record RolloutFinished(String rollout, String rolloutId, Instant at, RolloutStatus status, String reason)
            implements RolloutEvent {
    }
}
