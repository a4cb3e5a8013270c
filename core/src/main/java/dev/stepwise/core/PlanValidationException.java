package dev.stepwise.core;

import java.util.List;

/**
 * A plan, step or policy was built with settings that cannot work; every problem found is listed, so
 * one fix-and-retry round is enough.
 */
public class PlanValidationException extends StepwiseException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public PlanValidationException(String subject, List<String> problems) {
        super(format(subject, problems));
        this.problems = List.copyOf(problems);
    }

    /** The individual problems, one sentence each. */
    public List<String> problems() {
        return problems;
    }

    static String format(String subject, List<String> problems) {
        if (problems.size() == 1) {
            return subject + ": " + problems.get(0);
        }
        StringBuilder b = new StringBuilder(subject).append(": ").append(problems.size()).append(" problems");
        for (String p : problems) {
            b.append("\n  - ").append(p);
        }
        return b.toString();
    }
}
