package dev.stepwise.aws.drivers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.Testbed;
import dev.stepwise.aws.ec2.Ec2Steps;
import dev.stepwise.aws.testkit.AutomationOutcome;
import dev.stepwise.aws.testkit.CommandOutcome;
import dev.stepwise.aws.testkit.FillInProxy;
import dev.stepwise.aws.testkit.MotoExtension;
import dev.stepwise.aws.testkit.SentCommand;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The crash test: a child JVM runs the drivers runbook against Moto and is killed with SIGKILL right after
 * step k, for every k of both paths; a second JVM resumes from the journal. Exactly one backup, every output,
 * and no command sent twice.
 */
class DriversCrashIT {
    @RegisterExtension
    static final MotoExtension MOTO = MotoExtension.create();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path journals;

    private FillInProxy proxy;
    private AwsContext aws;

    @BeforeEach
    void setUp() {
        proxy = MOTO.proxy();
        aws = Testbed.context(proxy);
    }

    @AfterEach
    void tearDown() {
        aws.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"describeInstance", "assertInstanceIsWindows", "assertInstanceIsManaged",
            "checkWindowsVersion", "checkDomainRole", "preUpgradeBackup", "installAwsEnaNetworkDriverOnInstance",
            "installAWSNVMeOnInstance"})
    void online_killedAfterStep_resumesWithOneBackupAndNoCommandTwice(String step) throws Exception {
        String id = managedWindows();

        JsonNode result = killThenResume(id, false, step);

        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("SUCCEEDED");
        assertThat(Testbed.images(aws)).hasSize(1);
        JsonNode outputs = result.path("outputs");
        for (String name : List.of("preUpgradeBackup.ImageId", "installAwsEnaNetworkDriverOnInstance.Output",
                "installAWSNVMeOnInstance.Output", "installAWSPVDriverOnInstance.Output")) {
            assertThat(outputs.has(name)).as("output %s after resuming from %s", name, step).isTrue();
        }
        assertThat(proxy.counts().sentCommands()).as("the read-only domain-role check ran once")
                .filteredOn(c -> c.documentName().equals("AWS-RunPowerShellScript")).hasSize(1);
        Map<Object, Long> perPackage = proxy.counts().sentCommands().stream()
                .filter(c -> c.documentName().equals("AWS-ConfigureAWSPackage"))
                .collect(Collectors.groupingBy(c -> c.parameters().get("name"), Collectors.counting()));
        assertThat(perPackage).as("each driver package sent exactly once").hasSize(3).containsOnlyKeys(
                List.of("AwsEnaNetworkDriver"), List.of("AWSNVMe"), List.of("AWSPVDriver")).allSatisfy((k, v) -> assertThat(v).isEqualTo(1));
        assertThat(Testbed.state(aws, id)).isEqualTo("running");
    }

    @ParameterizedTest
    @ValueSource(strings = {"describeInstance", "assertInstanceIsManaged", "checkOfflineUpgrade", "stopInstance",
            "forceStopInstance", "preOfflineUpgradeBackup", "enableENASupport", "upgradeDriversOffline",
            "restoreEnaSupport", "restoreInstanceState"})
    void offline_killedAfterStep_resumesWithOneBackupAndOneRescue(String step) throws Exception {
        String id = unmanagedWindows();

        JsonNode result = killThenResume(id, true, step);

        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("SUCCEEDED");
        assertThat(Testbed.images(aws)).hasSize(1);
        assertThat(result.path("outputs").path("preOfflineUpgradeBackup.ImageId").asText()).startsWith("ami-");
        assertThat(result.path("outputs").path("upgradeDriversOffline.Output").get(0).asText())
                .isEqualTo("runScriptForWindows.Output=drivers upgraded");
        assertThat(proxy.counts().count("StartAutomationExecution")).isEqualTo(1);
        assertThat(proxy.scenario().enaSupport(id)).contains(true);
        assertThat(Testbed.state(aws, id)).isEqualTo("running");
        assertThat(proxy.counts().sentCommands()).as("PV once, online, after the start")
                .extracting(SentCommand::documentName).containsExactly("AWS-ConfigureAWSPackage");
    }

    /**
     * The boundary inside the backup: the child is killed once CreateImage has reached EC2 but before the step could
     * record anything (the wait for the image is slowed down so the kill lands there). The image already carries the
     * run's tag, because it was tagged in its creating call, so the resume finds it and makes no second one.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void killedRightAfterCreateImage_theImageIsAlreadyTagged_andTheResumeMakesNoSecond(boolean offline) throws Exception {
        String id = offline ? unmanagedWindows() : managedWindows();
        proxy.faults().latency("DescribeImages", Duration.ofSeconds(3)).always();
        Process first = child("run", id, String.valueOf(offline), "never");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (proxy.counts().count("CreateImage") == 0 && System.nanoTime() < deadline && first.isAlive()) {
                Thread.sleep(5);
            }
            assertThat(proxy.counts().count("CreateImage")).as("the child sent CreateImage").isEqualTo(1);
        } finally {
            first.destroyForcibly();
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        proxy.faults().clear();
        List<Path> logs;
        try (var files = Files.list(journals)) {
            logs = files.filter(f -> f.toString().endsWith(".jsonl")).toList();
        }
        assertThat(logs).hasSize(1);
        String runId = logs.get(0).getFileName().toString().replace(".jsonl", "");
        assertThat(Testbed.images(aws)).as("one image, tagged with the run before any resume").singleElement()
                .satisfies(i -> assertThat(i.tags()).contains(Tag.builder().key(Ec2Steps.RUN_TAG).value(runId).build()));
        String before = Testbed.images(aws).get(0).imageId();

        JsonNode result = resume(runId);

        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("SUCCEEDED");
        assertThat(Testbed.images(aws)).extracting(Image::imageId).containsExactly(before);
        assertThat(result.path("outputs").path(offline ? "preOfflineUpgradeBackup.ImageId" : "preUpgradeBackup.ImageId")
                .asText()).isEqualTo(before);
        assertThat(proxy.counts().count("CreateImage")).isEqualTo(1);
        assertThat(Testbed.state(aws, id)).isEqualTo("running");
    }

    private String managedWindows() {
        String id = Testbed.launch(aws, Testbed.WINDOWS_AMI);
        proxy.scenario().managedInstance(id, "Windows")
                .commandOutcome(id, "AWS-RunPowerShellScript", CommandOutcome.success("3"));
        return id;
    }

    private String unmanagedWindows() {
        String id = Testbed.launch(aws, Testbed.WINDOWS_AMI);
        proxy.scenario().enaSupport(id, false).onlineAfterStart(id)
                .automationOutcome(WindowsDriverUpgrade.RESCUE_DOCUMENT,
                        AutomationOutcome.success().withOutput("runScriptForWindows.Output", "drivers upgraded"));
        return id;
    }

    private JsonNode killThenResume(String instanceId, boolean offline, String step) throws Exception {
        Process first = child("run", instanceId, String.valueOf(offline), step);
        String runId;
        try (BufferedReader out = reader(first)) {
            String line;
            List<String> seen = new ArrayList<>();
            while ((line = out.readLine()) != null && !line.startsWith("KILL-ME ")) {
                seen.add(line);
            }
            assertThat(line).as("the child reached step %s; it printed %s", step, seen).isNotNull();
            runId = line.substring("KILL-ME ".length());
            first.destroyForcibly();
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(journals.resolve(runId + ".jsonl"))).doesNotContain("run-finished");
        return resume(runId);
    }

    private JsonNode resume(String runId) throws Exception {
        Process second = child("resume", runId);
        String result = null;
        try (BufferedReader out = reader(second)) {
            String line;
            List<String> seen = new ArrayList<>();
            while ((line = out.readLine()) != null) {
                if (line.startsWith("RESULT ")) {
                    result = line.substring("RESULT ".length());
                } else {
                    seen.add(line);
                }
            }
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(result).as("the resuming JVM printed a result; it printed %s", seen).isNotNull();
        }
        return JSON.readTree(result);
    }

    private Process child(String... args) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", cp, CrashRunner.class.getName(), args[0], proxy.endpoint().toString(), journals.toString()));
        for (int i = 1; i < args.length; i++) {
            cmd.add(args[i]);
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
    }

    private static BufferedReader reader(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }
}
