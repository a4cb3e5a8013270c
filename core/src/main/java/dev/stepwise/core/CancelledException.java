package dev.stepwise.core;

/** The run was cancelled; thrown inside steps at their next boundary (a wait, a poll, a retry). */
public class CancelledException extends StepwiseException {
    private static final long serialVersionUID = 1L;

    public CancelledException(String reason) {
        super("Cancelled: " + reason);
    }
}
