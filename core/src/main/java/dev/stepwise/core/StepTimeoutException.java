package dev.stepwise.core;

import java.time.Duration;

/**
 * An attempt or a whole step ran past its timeout. When the message says "attempt still running", the attempt
 * ignored its interrupt past its grace period: the step was not tried again, and the run waited for the action to
 * end before it went on.
 */
public class StepTimeoutException extends StepwiseException {
    private static final long serialVersionUID = 1L;

    public StepTimeoutException(String step, String what, Duration timeout) {
        super("Step \"" + step + "\": " + what + " timed out after " + timeout);
    }

    public StepTimeoutException(String step, String message) {
        super("Step \"" + step + "\": " + message);
    }
}
