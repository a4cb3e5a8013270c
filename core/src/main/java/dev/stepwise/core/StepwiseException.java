package dev.stepwise.core;

/**
 * The root of every failure Stepwise raises on purpose. Messages say what failed, for which input or
 * target, and what the caller can do.
 */
public class StepwiseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StepwiseException(String message) {
        super(message);
    }

    public StepwiseException(String message, Throwable cause) {
        super(message, cause);
    }
}
