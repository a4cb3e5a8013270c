package dev.stepwise.core.rollout;

import org.immutables.value.Value;

/**
 * A wave's counts at one moment, carried by every target event, so a progress bar can follow along:
 * {@code done() / total()}, with {@code failed()} and {@code inFlight()} beside it.
 *
 * <p>Made by the rollout runner; {@link #builder()} is there for tests. Every count defaults to 0. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * RolloutListener bar = e -> {
 *     if (e instanceof RolloutEvent.TargetFinished f) {
 *         System.out.print("\r" + f.wave() + " " + f.progress());
 *     }
 * };
 * }</pre>
 */
@Value.Immutable
public abstract class WaveProgress {

    WaveProgress() {
    }

    /** Starts a set of counts, all 0. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these counts. */
    public Builder toBuilder() {
        return new Builder().from(this);
    }

    /** Targets in the wave. */
    @Value.Default
    public int total() {
        return 0;
    }

    /** Targets that succeeded. */
    @Value.Default
    public int succeeded() {
        return 0;
    }

    /** Targets that failed. */
    @Value.Default
    public int failed() {
        return 0;
    }

    /** Targets whose runs were cancelled. */
    @Value.Default
    public int cancelled() {
        return 0;
    }

    /** Targets running now. */
    @Value.Default
    public int inFlight() {
        return 0;
    }

    /** Targets finished, whatever their outcome. */
    public int done() {
        return succeeded() + failed() + cancelled();
    }

    /** Targets not started (yet). */
    public int notStarted() {
        return total() - done() - inFlight();
    }

    @Override
    public String toString() {
        return done() + "/" + total() + " done, " + failed() + " failed, " + inFlight() + " in flight"
                + (cancelled() > 0 ? ", " + cancelled() + " cancelled" : "");
    }

    /** Builds {@link WaveProgress}. */
    public static final class Builder extends ImmutableWaveProgress.Builder {
        Builder() {
        }
    }
}
