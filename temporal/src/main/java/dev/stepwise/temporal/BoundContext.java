package dev.stepwise.temporal;

import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.StepContext;
import dev.stepwise.core.rollout.CheckpointResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The context a step's action sees inside an activity: the embedded runner's context for the one step, with the
 * workflow's run id, target, rollout id and wave checkpoints (for a rollout's target: the rows the rollout
 * workflow passed before the target's wave, carried in the child workflow's input and each activity's call) and step
 * name, and {@code isRerun} true when the workflow runs the step again after an attempt that may have acted (so a
 * re-runnable step looks for what it made before).
 */
final class BoundContext implements StepContext {
    private final StepContext inner;
    private final String runId;
    private final String target;
    private final String stepName;
    private final boolean rerun;
    private final String rolloutId;
    private final List<CheckpointResult> waveCheckpoints;

    BoundContext(StepContext inner, String runId, String target, String stepName, boolean rerun, String rolloutId,
            List<CheckpointResult> waveCheckpoints) {
        this.inner = inner;
        this.runId = runId;
        this.target = target;
        this.stepName = stepName;
        this.rerun = rerun;
        this.rolloutId = rolloutId;
        this.waveCheckpoints = List.copyOf(waveCheckpoints);
    }

    @Override
    public <T> T get(Key<T> key) {
        return inner.get(key);
    }

    @Override
    public <T> Optional<T> find(Key<T> key) {
        return inner.find(key);
    }

    @Override
    public String planName() {
        return inner.planName();
    }

    @Override
    public String runId() {
        return runId;
    }

    @Override
    public String stepName() {
        return stepName;
    }

    @Override
    public Optional<String> target() {
        return Optional.ofNullable(target);
    }

    @Override
    public Optional<String> rolloutId() {
        return Optional.ofNullable(rolloutId);
    }

    @Override
    public List<CheckpointResult> waveCheckpoints() {
        return waveCheckpoints;
    }

    @Override
    public int attempt() {
        return inner.attempt();
    }

    @Override
    public boolean isRerun() {
        return rerun || inner.isRerun();
    }

    @Override
    public boolean dryRun() {
        return false;
    }

    @Override
    public Instant now() {
        return inner.now();
    }

    @Override
    public void sleep(Duration duration) {
        inner.sleep(duration);
    }

    @Override
    public void checkCancelled() {
        inner.checkCancelled();
    }
}
