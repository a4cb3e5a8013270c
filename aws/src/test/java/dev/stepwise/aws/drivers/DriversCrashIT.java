package dev.stepwise.aws.drivers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.Testbed;
import dev.stepwise.aws.testkit.AutomationOutcome;
import dev.stepwise.aws.testkit.FillInProxy;
import dev.stepwise.aws.testkit.MotoExtension;
import dev.stepwise.aws.testkit.SentCommand;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    @ValueSource(strings = {"describeInstance", "assertInstanceIsManaged", "preUpgradeBackup",
            "installAwsEnaNetworkDriverOnInstance", "installAWSNVMeOnInstance"})
    void online_killedAfterStep_resumesWithOneBackupAndNoCommandTwice(String step) throws Exception {
        String id = Testbed.launch(aws, Testbed.WINDOWS_AMI);
        proxy.scenario().managedInstance(id, "Windows");

        JsonNode result = killThenResume(id, false, step);

        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("SUCCEEDED");
        assertThat(Testbed.images(aws)).hasSize(1);
        JsonNode outputs = result.path("outputs");
        for (String name : List.of("preUpgradeBackup.ImageId", "installAwsEnaNetworkDriverOnInstance.Output",
                "installAWSNVMeOnInstance.Output", "installAWSPVDriverOnInstance.Output")) {
            assertThat(outputs.has(name)).as("output %s after resuming from %s", name, step).isTrue();
        }
        Map<Object, Long> perPackage = proxy.counts().sentCommands().stream()
                .collect(Collectors.groupingBy(c -> c.parameters().get("name"), Collectors.counting()));
        assertThat(perPackage).as("each driver package sent exactly once").hasSize(3).containsOnlyKeys(
                List.of("AwsEnaNetworkDriver"), List.of("AWSNVMe"), List.of("AWSPVDriver")).allSatisfy((k, v) -> assertThat(v).isEqualTo(1));
        assertThat(Testbed.state(aws, id)).isEqualTo("running");
    }

    @ParameterizedTest
    @ValueSource(strings = {"describeInstance", "assertInstanceIsManaged", "stopInstance", "forceStopInstance",
            "preOfflineUpgradeBackup", "enableENASupport", "upgradeDriversOffline"})
    void offline_killedAfterStep_resumesWithOneBackupAndOneRescue(String step) throws Exception {
        String id = Testbed.launch(aws, Testbed.WINDOWS_AMI);
        proxy.scenario().automationOutcome(WindowsDriverUpgrade.RESCUE_DOCUMENT,
                AutomationOutcome.success().withOutput("runScriptForWindows.Output", "drivers upgraded"));

        JsonNode result = killThenResume(id, true, step);

        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("SUCCEEDED");
        assertThat(Testbed.images(aws)).hasSize(1);
        assertThat(result.path("outputs").path("preOfflineUpgradeBackup.ImageId").asText()).startsWith("ami-");
        assertThat(result.path("outputs").path("upgradeDriversOffline.Output").asText()).isEqualTo("drivers upgraded");
        assertThat(proxy.counts().count("StartAutomationExecution")).isEqualTo(1);
        assertThat(proxy.scenario().enaSupport(id)).contains(true);
        assertThat(Testbed.state(aws, id)).isEqualTo("running");
        assertThat(proxy.counts().sentCommands()).extracting(SentCommand::documentName).isEmpty();
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
