package dev.stepwise.aws;

import dev.stepwise.core.StepwiseException;

/** An AWS resource a plan needs does not exist (or is not visible to these credentials in this region). */
public class AwsResourceNotFoundException extends StepwiseException {
    private static final long serialVersionUID = 1L;

    public AwsResourceNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
