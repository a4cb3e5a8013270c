package dev.stepwise.core;

/** A plan's {@code require(...)} check did not hold; the run stopped there without changing anything further. */
public class PreconditionFailedException extends StepwiseException {
    private static final long serialVersionUID = 1L;
    private final String precondition;

    public PreconditionFailedException(String precondition, String detail) {
        super("Precondition failed: " + precondition + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"));
        this.precondition = precondition;
    }

    /** The description of the check that failed. */
    public String precondition() {
        return precondition;
    }
}
