package dev.stepwise.core.plan;

import dev.stepwise.core.rollout.CheckpointResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a running step sees: the run's inputs and the outputs of earlier steps, typed by {@link Key}, and
 * the run's clock and cancellation. Implemented by the runner; one instance per attempt, used by one thread.
 *
 * <p>Steps wait with {@link #sleep(Duration)} rather than {@code Thread.sleep}, so waits follow the runner's
 * clock (virtual in tests), stop at cancellation, and respect the step's timeout.
 */
public interface StepContext {

    /** The value under {@code key}; fails with a message naming the key when nothing has produced it. */
    <T> T get(Key<T> key);

    /** The value under {@code key}, if an input or an earlier step produced it. */
    <T> Optional<T> find(Key<T> key);

    /** The plan's name. */
    String planName();

    /** This run's id: unique per run, stable across a resume; steps use it to tag what they create. */
    String runId();

    /** The current step's name, or the description of the check being evaluated. */
    String stepName();

    /** The rollout target this run serves, if it is part of a rollout. */
    Optional<String> target();

    /**
     * The id of the rollout this run is a target's run of, if it is part of one: a step names what it makes for the
     * rollout with it, or reads what the rollout journaled under it (a gate's data comes more simply from
     * {@link #waveCheckpoints()}, which needs no journal store). Empty for a plan run and by default.
     */
    default Optional<String> rolloutId() {
        return Optional.empty();
    }

    /**
     * The checkpoints before this target's wave, as the rollout passed them — kind, description, outcome, detail,
     * data — in the rollout's order: a step of the production wave reads what the gate before it saw (its
     * {@link CheckpointResult#data()}) here, without reading the rollout's journal.
     *
     * <p>On a resumed rollout they are the checkpoints as the journal recorded them (their data included), also for
     * a target's run resumed from its own journal. In a dry run they are what the dry run has: rows with outcome
     * {@code NOT_EVALUATED} and no data. Empty for a plan run, for a wave with no checkpoint before it, and by
     * default.
     */
    default List<CheckpointResult> waveCheckpoints() {
        return List.of();
    }

    /** The attempt number, starting at 1. */
    int attempt();

    /**
     * Whether an earlier attempt of this step, in this run, may already have acted: a retry, or a resumed run
     * re-running a step that was cut short. Steps that create things look for what they made before when true.
     */
    boolean isRerun();

    /** Whether this is a dry run (only READ_ONLY steps and checks are executed in one). */
    boolean dryRun();

    /** The runner's clock. */
    Instant now();

    /**
     * Waits for {@code duration} on the runner's clock.
     *
     * @throws dev.stepwise.core.CancelledException if the run is cancelled meanwhile
     * @throws dev.stepwise.core.StepTimeoutException if the wait would pass the step's or attempt's deadline
     */
    void sleep(Duration duration);

    /** Throws {@link dev.stepwise.core.CancelledException} if the run has been cancelled. */
    void checkCancelled();
}
