package dev.stepwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.aws.testkit.CommandOutcome;
import dev.stepwise.aws.testkit.FillInProxy;
import dev.stepwise.aws.testkit.MotoServer;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** {@code drivers-upgrade} end to end against Moto through the testkit's proxy, as an operator would type it. */
class DriversUpgradeCliIT {
    private static final List<String> MUTATING = List.of("CreateImage", "StopInstances", "StartInstances",
            "ModifyInstanceAttribute", "StartAutomationExecution");

    private static FillInProxy proxy;

    @BeforeAll
    static void start() {
        proxy = FillInProxy.start(MotoServer.shared());
        // the CLI takes credentials from the SDK's default chain, as it would on an operator's machine
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
    void driversUpgrade_withoutExecute_dryRunsAndSendsNoChangingCall(@TempDir Path dir) throws Exception {
        String id = launchWindows();
        proxy.scenario().managedInstance(id, "Windows")
                .commandOutcome(id, "AWS-RunPowerShellScript", CommandOutcome.success("3"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path html = dir.resolve("report.html");

        int status = new StepwiseCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(), text -> null).run("drivers-upgrade", "--instance-id", id, "--region", "us-east-1",
                "--endpoint", proxy.endpoint().toString(), "--html", html.toString());

        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("PREDICTED").contains("preUpgradeBackup").contains("installAWSPVDriverOnInstance");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("This was a dry run").contains("HTML report: ");
        for (String op : MUTATING) {
            assertThat(proxy.counts().count(op)).as(op).isZero();
        }
        assertThat(proxy.counts().sentCommands()).as("only the read-only domain-role check")
                .allSatisfy(c -> assertThat(c.documentName()).isEqualTo("AWS-RunPowerShellScript"));
        assertThat(proxy.counts().count("DescribeInstances")).isPositive();
        assertThat(Files.readString(html)).contains("preUpgradeBackup").contains("DRY RUN").doesNotContain("https://");
    }

    @Test
    void driversUpgrade_outputJson_roundTripsIntoRunResult() throws Exception {
        String id = windowsInstance();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = new StepwiseCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(), text -> null).run("drivers-upgrade", "--instance-id", id, "--region", "us-east-1",
                "--endpoint", proxy.endpoint().toString(), "--output", "json");

        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        RunResult read = RunResult.fromJson(out.toString(StandardCharsets.UTF_8));
        assertThat(read.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(read.dryRun()).isTrue();
        assertThat(read.target()).isNull();
        assertThat(read.inputs()).containsEntry("InstanceId", id);
        assertThat(read.steps()).anySatisfy(s -> assertThat(s.name()).isEqualTo("preUpgradeBackup"));
        assertThat(read.toJson()).isEqualTo(out.toString(StandardCharsets.UTF_8).strip());
        // progress went to standard error as plain lines (no terminal here), never into the JSON
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("dry run of ").contains("preUpgradeBackup");
    }

    private static String windowsInstance() {
        String id;
        try (Ec2Client ec2 = Ec2Client.builder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))).build()) {
            id = ec2.runInstances(r -> r.imageId("ami-b7e93bce").minCount(1).maxCount(1)).instances().get(0).instanceId();
        }
        proxy.scenario().managedInstance(id, "Windows")
                .commandOutcome(id, "AWS-RunPowerShellScript", CommandOutcome.success("3")); // a member server
        return id;
    }


    @Test
    void driversUpgrade_unmanagedWithoutAllowOffline_exitsOne_becauseNothingWasUpgraded() {
        String id = launchWindows();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long stopsBefore = proxy.counts().count("StopInstances");

        int status = new StepwiseCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(), text -> null).run("drivers-upgrade", "--instance-id", id, "--region", "us-east-1",
                "--endpoint", proxy.endpoint().toString(), "--execute");

        assertThat(status).as(out.toString(StandardCharsets.UTF_8)).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("FAILED").contains("AllowOffline is true")
                .contains("nothing was changed or upgraded");
        assertThat(proxy.counts().count("StopInstances")).isEqualTo(stopsBefore);
    }

    private static String launchWindows() {
        try (Ec2Client ec2 = Ec2Client.builder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))).build()) {
            return ec2.runInstances(r -> r.imageId("ami-b7e93bce").minCount(1).maxCount(1)).instances().get(0).instanceId();
        }
    }
}
