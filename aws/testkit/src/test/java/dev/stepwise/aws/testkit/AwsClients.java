package dev.stepwise.aws.testkit;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ssm.SsmClient;

/** SDK clients as a user builds them: the default HTTP client, an endpoint override, fast retries. */
final class AwsClients {

    /** A Windows AMI that Moto knows; instances from it report {@code Platform=windows}. */
    static final String WINDOWS_AMI = "ami-b7e93bce";
    static final String LINUX_AMI = "ami-760aaa0f";

    private AwsClients() {
    }

    static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

    /** The SDK's standard strategy (3 attempts, AWS's retryable errors) with millisecond backoff. */
    static RetryStrategy fastRetries() {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .backoffStrategy(BackoffStrategy.fixedDelay(Duration.ofMillis(5)))
                .throttlingBackoffStrategy(BackoffStrategy.fixedDelay(Duration.ofMillis(5)))
                .build();
    }

    static SsmClient ssm(URI endpoint) {
        return SsmClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .overrideConfiguration(c -> c.retryStrategy(fastRetries()))
                .build();
    }

    static Ec2Client ec2(URI endpoint) {
        return Ec2Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .overrideConfiguration(c -> c.retryStrategy(fastRetries()))
                .build();
    }

    /** Runs instances in Moto and returns them. */
    static List<Instance> runInstances(Ec2Client ec2, String ami, int count) {
        return ec2.runInstances(r -> r.imageId(ami).instanceType(InstanceType.T3_MEDIUM).minCount(count).maxCount(count))
                .instances();
    }

    static String runInstance(Ec2Client ec2, String ami) {
        return runInstances(ec2, ami, 1).get(0).instanceId();
    }
}
