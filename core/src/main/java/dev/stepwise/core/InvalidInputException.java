package dev.stepwise.core;

import java.util.List;

/**
 * The inputs given to a run are missing or break a declared rule. Raised before the first step runs,
 * so nothing has been called or changed; every problem is listed.
 */
public class InvalidInputException extends StepwiseException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public InvalidInputException(String planName, List<String> problems) {
        super(PlanValidationException.format("Invalid inputs for plan \"" + planName + "\" (nothing was run)", problems));
        this.problems = List.copyOf(problems);
    }

    /** The individual problems, each naming the input, the value and the rule. */
    public List<String> problems() {
        return problems;
    }
}
