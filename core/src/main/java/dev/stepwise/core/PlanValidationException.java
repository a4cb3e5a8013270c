package dev.stepwise.core;

import java.util.List;

/**
 * A plan, step or policy was built with settings that cannot work; every problem found is listed, so
 * one fix-and-retry round is enough.
 */
public class PlanValidationException extends StepwiseException {
    private static final long serialVersionUID = 1L;
    private final String subject;
    private final List<String> problems;

    /**
     * @param subject  what could not be built, e.g. {@code Step "backup"}; the message starts with it
     * @param problems one sentence per problem, each naming the setting, its value and the rule
     */
    public PlanValidationException(String subject, List<String> problems) {
        super(format(subject, problems));
        this.subject = subject;
        this.problems = List.copyOf(problems);
    }

    /**
     * A value left without a setting it cannot do without; {@code message} names the value and the settings.
     * Thrown by the builders Immutables generates for Stepwise's values ({@link StepwiseStyle}).
     */
    public PlanValidationException(String message) {
        super(message);
        this.subject = "";
        this.problems = List.of(message);
    }

    /** What could not be built, e.g. {@code Step "backup"}; empty when the message says it. */
    public String subject() {
        return subject;
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
