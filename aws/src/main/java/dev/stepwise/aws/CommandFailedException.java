package dev.stepwise.aws;

import dev.stepwise.core.StepwiseException;

/** A Run Command or Automation execution ended in a status other than success; the message carries its output. */
public class CommandFailedException extends StepwiseException {
    private static final long serialVersionUID = 1L;

    public CommandFailedException(String message) {
        super(message);
    }

    /** A failure caused by {@code cause}, e.g. the {@code PollTimeoutException} of a command that never finished. */
    public CommandFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
