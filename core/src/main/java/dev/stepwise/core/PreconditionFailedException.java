package dev.stepwise.core;

/**
 * A plan's {@code require(...)} check did not hold; the run stopped there without changing anything further.
 * {@link dev.stepwise.core.run.RunResult#orThrow()} throws it; its cause is the check's own failure when the check
 * threw instead of answering.
 */
public class PreconditionFailedException extends StepwiseException {
    private static final long serialVersionUID = 1L;
    private final String precondition;

    public PreconditionFailedException(String precondition, String detail) {
        this(precondition, detail, null);
    }

    public PreconditionFailedException(String precondition, String detail, Throwable cause) {
        super("Precondition failed: " + precondition + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"),
                cause);
        this.precondition = precondition;
    }

    /** The description of the check that failed. */
    public String precondition() {
        return precondition;
    }
}
