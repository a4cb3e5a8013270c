package dev.stepwise.examples.recipes;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.AwsTimings;
import dev.stepwise.aws.testkit.FillInProxy;
import dev.stepwise.aws.testkit.MotoServer;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * A local stand-in for an AWS account: Moto (started by the testkit) behind the fill-in proxy, and an
 * {@link AwsContext} pointing at it. Against a real account, use {@code AwsContext.builder().region(...).build()}
 * instead and skip this class.
 */
public final class LocalAws implements AutoCloseable {
    /** An AMI that Moto launches as Windows. */
    public static final String WINDOWS_AMI = "ami-b7e93bce";
    /** Any other AMI id launches as Linux in Moto. */
    public static final String LINUX_AMI = "ami-0123456789abcdef0";

    private final FillInProxy proxy;
    private final AwsContext aws;

    private LocalAws() {
        this.proxy = FillInProxy.start(MotoServer.shared());
        this.aws = AwsContext.builder().region("us-east-1").endpointOverride(proxy.endpoint())
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .timings(AwsTimings.allOf(Duration.ofMillis(10))).build();
    }

    /** Starts the stand-in; close it when done. */
    public static LocalAws start() {
        return new LocalAws();
    }

    public AwsContext aws() {
        return aws;
    }

    public FillInProxy proxy() {
        return proxy;
    }

    /** Launches one instance from {@code ami} with the given tags and returns its id. */
    public String launch(String ami, Map<String, String> tags) {
        return aws.ec2().runInstances(r -> r.imageId(ami).minCount(1).maxCount(1)
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE)
                        .tags(tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                                .toList()).build())).instances().get(0).instanceId();
    }

    @Override
    public void close() {
        aws.close();
        proxy.close();
    }
}
