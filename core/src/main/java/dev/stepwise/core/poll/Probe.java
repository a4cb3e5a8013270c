package dev.stepwise.core.poll;

/**
 * One look at something a {@link Poll} waits for: it reads the state once and says whether the wait is
 * over. A probe never sleeps; the poll does the waiting. An exception thrown by a probe ends the poll and
 * fails the step's attempt, and the step's retry policy decides what happens next.
 *
 * <p>Called on the step's thread, once per poll round.
 *
 * <pre>{@code
 * Probe<String> stopped = () -> {
 *     String state = ec2.describe(instanceId).state();
 *     return state.equals("stopped") ? Outcome.done(state) : Outcome.waiting(state);
 * };
 * }</pre>
 *
 * @param <T> the type of the value the poll returns when done
 */
@FunctionalInterface
public interface Probe<T> {

    /** @return what this look found; never null */
    Outcome<T> check();
}
