package dev.stepwise.core.internal;

import dev.stepwise.core.CancelledException;
import dev.stepwise.core.StepTimeoutException;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.StepContext;
import dev.stepwise.core.rollout.CheckpointResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What a step, check or predictor sees during one attempt. Used by one thread. */
final class StepContextImpl implements StepContext {
    private final RunState run;
    private final String name;
    private final int attempt;
    private final Instant deadline;
    private final boolean isRerun;

    StepContextImpl(RunState run, String name, int attempt, Instant deadline, boolean isRerun) {
        this.run = run;
        this.name = name;
        this.attempt = attempt;
        this.deadline = deadline;
        this.isRerun = isRerun;
    }

    /**
     * Waits {@code d} on the run's clock, ending early with {@link CancelledException} when the run is cancelled;
     * a wait that would pass {@code deadline} waits until it and then throws {@link StepTimeoutException}.
     */
    static void sleep(RunState run, Duration d, Instant deadline, String what) {
        if (run.cancellation.isCancelled()) {
            throw new CancelledException(run.cancellation.reason());
        }
        Duration wait = d;
        boolean timesOut = false;
        if (deadline != null) {
            Duration left = Duration.between(run.now(), deadline);
            if (left.compareTo(wait) < 0) {
                wait = left.isNegative() ? Duration.ZERO : left;
                timesOut = true;
            }
        }
        try {
            if (run.cancellation.await(run.time, wait)) {
                throw new CancelledException(run.cancellation.reason());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException("the run's thread was interrupted");
        }
        if (timesOut) {
            throw new StepTimeoutException(what, "a wait of " + d + " would pass its timeout");
        }
    }

    @Override
    public boolean isRerun() {
        return isRerun;
    }

    @Override
    public <T> T get(Key<T> key) {
        return find(key).orElseThrow(() -> new IllegalStateException(key.name()
                + " has no value: no input or earlier step of plan \"" + run.plan.name() + "\" produced it (read by \""
                + name + "\")"));
    }

    @Override
    public <T> Optional<T> find(Key<T> key) {
        Object v = run.values.get(key);
        if (v == null) {
            String producer = run.unavailable.get(key);
            if (producer != null) {
                throw new RunState.UnavailableInDryRun(key, producer);
            }
            return Optional.empty();
        }
        return Optional.of(key.cast(v));
    }

    @Override
    public String planName() {
        return run.plan.name();
    }

    @Override
    public String runId() {
        return run.ref.runId();
    }

    @Override
    public String stepName() {
        return name;
    }

    @Override
    public Optional<String> target() {
        return Optional.ofNullable(run.ref.target());
    }

    @Override
    public Optional<String> rolloutId() {
        return Optional.ofNullable(run.rolloutId);
    }

    @Override
    public List<CheckpointResult> waveCheckpoints() {
        return run.waveCheckpoints;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public boolean dryRun() {
        return run.dryRun;
    }

    @Override
    public Instant now() {
        return run.now();
    }

    @Override
    public void sleep(Duration duration) {
        sleep(run, duration, deadline, name);
    }

    @Override
    public void checkCancelled() {
        if (run.cancellation.isCancelled()) {
            throw new CancelledException(run.cancellation.reason());
        }
    }

    @Override
    public String toString() {
        return "StepContext{" + run.ref + ", step=" + name + ", attempt=" + attempt + "}";
    }
}
