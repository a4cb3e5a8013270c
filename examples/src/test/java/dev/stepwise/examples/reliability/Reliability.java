package dev.stepwise.examples.reliability;

import dev.stepwise.aviatrix.AviatrixClient;
import dev.stepwise.aviatrix.BackupRequest;
import dev.stepwise.aviatrix.CloudType;
import dev.stepwise.aviatrix.testkit.FakeController;
import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.AwsTimings;
import dev.stepwise.aws.testkit.FillInProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/** What the reliability suite shares: short timings, distinctive test credentials, and the summary files. */
final class Reliability {
    /** An AMI Moto launches as Windows. */
    static final String WINDOWS_AMI = "ami-b7e93bce";
    /** Any other AMI launches as Linux in Moto. */
    static final String LINUX_AMI = "ami-0123456789abcdef0";
    /** The test credentials: the secret key is distinctive so a scan for it cannot match anything by chance. */
    static final String ACCESS_KEY_ID = "AKIARELIABILITYSUITE";
    static final String SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/ReliabilitySuiteSecretKey0";
    static final BackupRequest BACKUP = BackupRequest.of(CloudType.AWS, "aws-primary", "controller-backups");

    private Reliability() {
    }

    /** A context on the proxy: polls of 5 ms, two SDK attempts per call, the suite's credentials. */
    static AwsContext aws(FillInProxy proxy) {
        return AwsContext.builder().region("us-east-1").endpointOverride(proxy.endpoint())
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)))
                .sdkMaxAttempts(2)
                .timings(AwsTimings.allOf(Duration.ofMillis(5)))
                .build();
    }

    /** A client for the fake with every wait in milliseconds and five 502/503 retries. */
    static AviatrixClient.Builder aviatrix(FakeController fake) {
        AviatrixClient.Builder b = AviatrixClient.builder().
                controller(fake.uri()).
                username(fake.username()).
                password(FakeController.DEFAULT_PASSWORD.toCharArray()).
                connectTimeout(Duration.ofSeconds(5)).
                requestTimeout(Duration.ofSeconds(10)).
                unavailableRetries(5).
                unavailableRetryInterval(Duration.ofMillis(1));
        return fake.isHttps() ? b.trustStore(fake.trustStore()) : b.allowPlainHttpOnLoopback();
    }

    /** Launches one instance with tag Env={@code env} and returns its id. */
    static String launch(AwsContext aws, String ami, String env) {
        return aws.ec2().runInstances(r -> r.imageId(ami).instanceType(InstanceType.T3_MEDIUM).minCount(1).maxCount(1)
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE)
                        .tags(Tag.builder().key("Env").value(env).build()).build())).instances().get(0).instanceId();
    }

    static java.util.List<Image> images(AwsContext aws) {
        return aws.ec2().describeImages(r -> r.owners("self")).images();
    }

    static String state(AwsContext aws, String instanceId) {
        return aws.ec2().describeInstances(r -> r.instanceIds(instanceId)).reservations().get(0).instances().get(0)
                .state().nameAsString();
    }

    /** The module's build directory (target/, or what -Dstepwise.target names), found from the test classes. */
    static Path buildDir() {
        try {
            Path classes = Path.of(Reliability.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return classes.getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes {@code counts} to {@code <build>/reliability/<name>.properties}, where RELIABILITY.md's numbers are
     * read from after a run.
     */
    static synchronized void record(String name, Map<String, ?> counts) {
        Path dir = buildDir().resolve("reliability");
        StringBuilder text = new StringBuilder();
        new TreeMap<>(counts).forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name + ".properties"), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
