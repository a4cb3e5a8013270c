package dev.stepwise.core.plan;

/**
 * A yes/no question over the run's facts, used by preconditions and branches. Checks are always executed,
 * in dry runs too, so they must not change anything.
 */
@FunctionalInterface
public interface Check {
    boolean test(StepContext ctx) throws Exception;
}
