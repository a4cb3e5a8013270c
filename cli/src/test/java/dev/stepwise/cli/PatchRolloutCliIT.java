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
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * {@code patch-rollout} against Moto through the testkit's proxy: its JSON reads back; parked at its soak, it is seen
 * with {@code rollout status} and continued with {@code rollout resume} from the journal alone.
 */
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

    /** Two tagged Windows instances (dev and prod of a fresh environment), each missing one patch. */
    private static String environment() {
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
        return env;
    }

    private int cli(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        return new StepwiseCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                StandardCharsets.UTF_8), Map.of(), text -> null).run(args);
    }

    @Test
    void patchRollout_dryRunWithOutputJson_roundTripsIntoRolloutResult() throws Exception {
        String env = environment();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = cli(out, err, "patch-rollout", "--non-prod-tag", "Env=" + env + "-dev", "--prod-tag",
                "Env=" + env + "-prod", "--soak", "0s", "--pin-bucket", "patch-lists", "--region", "us-east-1",
                "--endpoint", proxy.endpoint().toString(), "--output", "json");

        String printed = out.toString(StandardCharsets.UTF_8);
        JsonNode n = new ObjectMapper().readTree(printed);
        assertThat(n.path("dryRun").asBoolean()).as(err.toString(StandardCharsets.UTF_8)).isTrue();
        RolloutResult result = RolloutResults.fromJson(n.get("result").toString());
        assertThat(result.toJson()).isEqualTo(n.get("result").toPrettyString());
        assertThat(result.dryRun()).isTrue();
        assertThat(result.waves()).isNotEmpty();
        assertThat(result.targets()).isNotEmpty();
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(result.isSuccess() ? 0 : 1);
        // progress lines went to standard error, never into the JSON
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("wave ").contains("This was a dry run");
    }

    @Test
    void patchRollout_parkedAtItsSoak_isSeenAndResumedByIdFromItsJournalAlone(@TempDir Path journal) throws Exception {
        String env = environment();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int started = cli(out, err, "patch-rollout", "--non-prod-tag", "Env=" + env + "-dev", "--prod-tag",
                "Env=" + env + "-prod", "--soak", "7d", "--pin-bucket", "patch-lists", "--journal", journal.toString(),
                "--park", "1h", "--region", "us-east-1", "--endpoint", proxy.endpoint().toString(), "--execute");

        String said = err.toString(StandardCharsets.UTF_8);
        assertThat(started).as(said + out).isZero();
        Matcher m = Pattern.compile("Rollout id: (\\S+)").matcher(said);
        assertThat(m.find()).as(said).isTrue();
        String id = m.group(1);
        assertThat(said).contains("The rollout is parked").contains("stepwise rollout resume " + id);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("WAITING");
        long commands = proxy.counts().sentCommands().size();

        out.reset();
        err.reset();
        assertThat(cli(out, err, "rollout", "status", id, "--journal", journal.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(id).contains("WAITING");

        out.reset();
        err.reset();
        // a daily job: only the id and the journal (the endpoint only because this is a test against Moto)
        int resumed = cli(out, err, "rollout", "resume", id, "--journal", journal.toString(), "--endpoint",
                proxy.endpoint().toString());

        assertThat(resumed).as(err.toString(StandardCharsets.UTF_8) + out).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("WAITING");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("The rollout is parked");
        assertThat(proxy.counts().sentCommands()).as("a resume inside the soak sends no command").hasSize((int) commands);

        out.reset();
        err.reset();
        assertThat(cli(out, err, "rollout", "resume", "no-such-rollout", "--journal", journal.toString(), "--endpoint",
                proxy.endpoint().toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no-such-rollout");
    }

    @Test
    void patchRollout_withARolloutId_startsOnceThenTheSameCommandLineResumes(@TempDir Path journal) {
        String env = environment();
        String id = "monthly-" + env;
        String[] line = {"patch-rollout", "--non-prod-tag", "Env=" + env + "-dev", "--prod-tag", "Env=" + env + "-prod",
            "--soak", "7d", "--pin-bucket", "patch-lists", "--journal", journal.toString(), "--park", "1h",
            "--rollout-id", id, "--region", "us-east-1", "--endpoint", proxy.endpoint().toString(), "--execute"};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        assertThat(cli(out, err, line)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Rollout id: " + id).contains("The rollout is parked");
        long commands = proxy.counts().sentCommands().size();

        out.reset();
        err.reset();
        assertThat(cli(out, err, line)).as(err.toString(StandardCharsets.UTF_8)).isZero();

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Rollout id: " + id).contains("The rollout is parked");
        assertThat(proxy.counts().sentCommands()).as("the second day resumed inside the soak: no command")
                .hasSize((int) commands);
    }
}
