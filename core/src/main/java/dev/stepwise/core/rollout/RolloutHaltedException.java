package dev.stepwise.core.rollout;

import dev.stepwise.core.StepwiseException;

/**
 * A rollout halted or was cancelled; thrown by {@link RolloutResult#orThrow()}. The message names the rollout,
 * the wave and the reason; {@link #result()} holds everything that happened. Immutable, so safe to share
 * between threads.
 *
 * <pre>{@code
 * try {
 *     runner.run(rollout).orThrow();
 * } catch (RolloutHaltedException e) {
 *     System.out.println(e.result());
 * }
 * }</pre>
 */
public class RolloutHaltedException extends StepwiseException {
    private static final long serialVersionUID = 1L;
    private final transient RolloutResult result;

    public RolloutHaltedException(RolloutResult result) {
        super("Rollout " + result.rollout() + " (" + result.rolloutId() + ") " + result.status() + ": " + result.reason());
        this.result = result;
    }

    /** The rollout's result. */
    public RolloutResult result() {
        return result;
    }
}
