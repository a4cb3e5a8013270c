package dev.stepwise.core.plan;

/**
 * The work of a step. Returns the step's output ({@code null} for a step without one). Any exception is a
 * failed attempt, which the step's retry policy may retry.
 *
 * @param <T> the output type
 */
@FunctionalInterface
public interface StepAction<T> {
    T execute(StepContext ctx) throws Exception;
}
