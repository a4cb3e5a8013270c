package dev.stepwise.report;

import dev.stepwise.core.StepwiseException;

/**
 * JSON that is not a result Stepwise wrote: not JSON at all, a required field missing, or a value outside its
 * type (an unknown status, a malformed time). The message names the field, the value and the rule.
 */
public final class ResultJsonException extends StepwiseException {
    private static final long serialVersionUID = 1L;

    /** @param message names the field, the value found and what was expected */
    public ResultJsonException(String message) {
        super(message);
    }

    /** @param message names the field, the value found and what was expected; {@code cause} is the parser's error */
    public ResultJsonException(String message, Throwable cause) {
        super(message, cause);
    }
}
