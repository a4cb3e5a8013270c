package dev.stepwise.aws;

import dev.stepwise.core.retry.RetryPolicy;
import java.time.Duration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Retry policies for steps that call AWS. The SDK already retries each call a few times; these policies
 * retry the whole step on top of that, for throttling storms and brief outages that outlast the SDK's
 * own attempts.
 */
public final class AwsRetry {
    private static final RetryPolicy THROTTLING = RetryPolicy.builder()
            .maxAttempts(5)
            .backoff(Duration.ofSeconds(2), Duration.ofSeconds(30))
            .jitter(0.2)
            .retryIf("AWS throttling, 5xx or connection failures", AwsRetry::isTransient)
            .build();

    private AwsRetry() {
    }

    /**
     * 5 attempts, 2 s doubling to 30 s with 20 % jitter, on throttling ({@code ThrottlingException},
     * {@code RequestLimitExceeded}, …), HTTP 5xx and connection failures; never on other errors (a
     * missing instance, a failed command, bad parameters).
     */
    public static RetryPolicy throttling() {
        return THROTTLING;
    }

    /** Whether {@code t}, or a cause of it, is an AWS failure worth retrying. */
    public static boolean isTransient(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof AwsServiceException a) {
                return a.isThrottlingException() || a.statusCode() >= 500
                        || "RequestLimitExceeded".equals(a.awsErrorDetails() == null ? null : a.awsErrorDetails().errorCode());
            }
            if (c instanceof SdkClientException) {
                return true;
            }
            if (c instanceof SdkException s && s.retryable()) {
                return true;
            }
        }
        return false;
    }
}
