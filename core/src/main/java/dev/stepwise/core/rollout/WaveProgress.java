package dev.stepwise.core.rollout;

/**
 * A wave's counts at one moment, carried by every target event, so a progress bar can follow along:
 * {@code done() / total()}, with {@code failed()} and {@code inFlight()} beside it. Immutable.
 *
 * <pre>{@code
 * RolloutListener bar = e -> {
 *     if (e instanceof RolloutEvent.TargetFinished f) {
 *         System.out.print("\r" + f.wave() + " " + f.progress());
 *     }
 * };
 * }</pre>
 *
 * @param total     targets in the wave
 * @param succeeded targets that succeeded
 * @param failed    targets that failed
 * @param cancelled targets whose runs were cancelled
 * @param inFlight  targets running now
 */
public record WaveProgress(int total, int succeeded, int failed, int cancelled, int inFlight) {

    /** Targets finished, whatever their outcome. */
    public int done() {
        return succeeded + failed + cancelled;
    }

    /** Targets not started (yet). */
    public int notStarted() {
        return total - done() - inFlight;
    }

    @Override
    public String toString() {
        return done() + "/" + total + " done, " + failed + " failed, " + inFlight + " in flight"
                + (cancelled > 0 ? ", " + cancelled + " cancelled" : "");
    }
}
