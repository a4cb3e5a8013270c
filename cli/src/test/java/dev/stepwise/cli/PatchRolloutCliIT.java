package dev.stepwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.aws.testkit.FillInProxy;
import dev.stepwise.aws.testkit.MotoServer;
import dev.stepwise.aws.testkit.Patch;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.report.RolloutResults;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** {@code patch-rollout --output json} against Moto through the testkit's proxy: the rollout's JSON reads back. */
class PatchRolloutCliIT {
    private static FillInProxy proxy;

    @BeforeAll
    static void start() {
        proxy = FillInProxy.start(MotoServer.shared());
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
    }

    @AfterAll
    static void stop() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        proxy.close();
    }

    @Test
    void patchRollout_dryRunWithOutputJson_roundTripsIntoRolloutResult() throws Exception {
        String env = "cli-" + Long.toHexString(System.nanoTime());
        try (Ec2Client ec2 = Ec2Client.builder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))).build()) {
            for (String stage : new String[] {env + "-dev", env + "-prod"}) {
                String id = ec2.runInstances(r -> r.imageId("ami-b7e93bce").minCount(1).maxCount(1)
                        .tagSpecifications(t -> t.resourceType("instance").tags(g -> g.key("Env").value(stage))))
                        .instances().get(0).instanceId();
                proxy.scenario().managedInstance(id, "Windows").patches(id, Patch.missing("KB5031356"));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = new StepwiseCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(), text -> null).run("patch-rollout", "--non-prod-tag", "Env=" + env + "-dev", "--prod-tag",
                "Env=" + env + "-prod", "--soak", "0s", "--region", "us-east-1", "--endpoint", proxy.endpoint().toString(),
                "--output", "json");

        String printed = out.toString(StandardCharsets.UTF_8);
        JsonNode n = new ObjectMapper().readTree(printed);
        assertThat(n.path("dryRun").asBoolean()).as(err.toString(StandardCharsets.UTF_8)).isTrue();
        RolloutResult staged = RolloutResults.fromJson(n.get("staged").toString());
        assertThat(staged.toJson()).isEqualTo(n.get("staged").toPrettyString());
        assertThat(staged.dryRun()).isTrue();
        assertThat(staged.waves()).isNotEmpty();
        assertThat(staged.targets()).isNotEmpty();
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(staged.isSuccess() ? 0 : 1);
        // progress lines went to standard error, never into the JSON
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("wave ").contains("This was a dry run");
    }
}
