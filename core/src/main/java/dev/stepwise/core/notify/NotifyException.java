package dev.stepwise.core.notify;

import dev.stepwise.core.StepwiseException;

/** A notice could not be sent; the message says through which notifier and why (never a credential). */
public class NotifyException extends StepwiseException {
    private static final long serialVersionUID = 1L;

    public NotifyException(String message) {
        super(message);
    }

    public NotifyException(String message, Throwable cause) {
        super(message, cause);
    }
}
