package dev.stepwise.core.journal;

import dev.stepwise.core.StepwiseException;

/** A journal could not be written or read, or does not fit the run it should resume. */
public class JournalException extends StepwiseException {
    private static final long serialVersionUID = 1L;

    public JournalException(String message) {
        super(message);
    }

    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
