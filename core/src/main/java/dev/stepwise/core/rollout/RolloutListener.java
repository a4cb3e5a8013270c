package dev.stepwise.core.rollout;

/**
 * Receives a rollout's events, one at a time and in order (events are delivered under the rollout's lock, from
 * the rollout's thread or a target's worker thread). Keep it quick: a slow listener slows the rollout. A
 * listener that throws is logged and ignored, and never fails the rollout. It may call
 * {@link RolloutHandle#cancel(String)}.
 *
 * <pre>{@code
 * runner.withRolloutListener(e -> System.out.println(e)).run(rollout);
 * }</pre>
 */
@FunctionalInterface
public interface RolloutListener {
    void onEvent(RolloutEvent event);
}
