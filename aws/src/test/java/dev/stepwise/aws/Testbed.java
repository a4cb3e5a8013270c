package dev.stepwise.aws;

import dev.stepwise.aws.testkit.FillInProxy;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.InstanceType;

/** An AwsContext wired to the fill-in proxy in front of Moto, and helpers to set the AWS side up and read it back. */
public final class Testbed {
    /** An AMI Moto knows as Windows: instances launched from it report platform {@code windows}. */
    public static final String WINDOWS_AMI = "ami-b7e93bce";
    /** Any other AMI id: Moto accepts it and launches a Linux instance. */
    public static final String LINUX_AMI = "ami-0123456789abcdef0";
    /** The operations that change the AWS side, for comparing a dry run's predictions with a live run. */
    public static final Set<String> MUTATING_OPERATIONS = Set.of("CreateImage", "CreateTags", "StopInstances",
            "StartInstances", "ModifyInstanceAttribute", "SendCommand", "StartAutomationExecution", "CancelCommand",
            "DeregisterImage");

    private Testbed() {
    }

    /** A context on the proxy with polls of 1 ms and two SDK attempts per call. */
    public static AwsContext context(FillInProxy proxy) {
        return context(proxy, AwsTimings.allOf(Duration.ofMillis(1)));
    }

    /** A context on the proxy with these timings (for a virtual clock, production-like ones) and two SDK attempts. */
    public static AwsContext context(FillInProxy proxy, AwsTimings timings) {
        return AwsContext.builder().region("us-east-1").endpointOverride(proxy.endpoint())
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .sdkMaxAttempts(2)
                .timings(timings)
                .build();
    }

    /** Launches one instance in Moto and returns its id. */
    public static String launch(AwsContext aws, String ami) {
        return aws.ec2().runInstances(r -> r.imageId(ami).instanceType(InstanceType.T3_MEDIUM).minCount(1).maxCount(1))
                .instances().get(0).instanceId();
    }

    /** The images this account owns. */
    public static List<Image> images(AwsContext aws) {
        return aws.ec2().describeImages(r -> r.owners("self")).images();
    }

    public static String state(AwsContext aws, String instanceId) {
        return aws.ec2().describeInstances(r -> r.instanceIds(instanceId)).reservations().get(0).instances().get(0)
                .state().nameAsString();
    }

    /** How many requests of the mutating operations the proxy has seen. */
    public static long mutatingCalls(FillInProxy proxy) {
        return MUTATING_OPERATIONS.stream().mapToLong(op -> proxy.counts().count(op)).sum();
    }
}
