package dev.stepwise.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.AwsTimings;
import dev.stepwise.aws.drivers.WindowsDriverUpgrade;
import dev.stepwise.aws.ec2.Ec2Steps;
import dev.stepwise.aws.ssm.SsmSteps;
import dev.stepwise.aws.testkit.AutomationOutcome;
import dev.stepwise.aws.testkit.CommandOutcome;
import dev.stepwise.aws.testkit.FillInProxy;
import dev.stepwise.aws.testkit.MotoExtension;
import dev.stepwise.aws.testkit.SentCommand;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.StepResult;
import dev.stepwise.core.run.VirtualTimeSource;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ec2.model.InstanceType;

/**
 * Issue #21 items 7 and the parity test: the drivers upgrade and an EC2/SSM building-block plan run on Temporal,
 * unchanged, against Moto behind the testkit's fill-in proxy (the AWS SDK over real HTTP; the proxy fills in what
 * Moto lacks, such as SSM's managed instances and command outcomes), and give the same step statuses and outputs as
 * on the embedded runner. The setup follows aws's {@code DriversUpgradeIT} and {@code Testbed}: polls of 1 ms, two
 * SDK attempts, a Windows AMI Moto knows. Ids AWS makes (instances, images, commands, runs) differ between two runs
 * and are compared as markers.
 */
@Timeout(240)
class DriversOnTemporalIT {
    @RegisterExtension
    static final MotoExtension MOTO = MotoExtension.create();

    /** An AMI Moto knows as Windows (aws Testbed.WINDOWS_AMI). */
    static final String WINDOWS_AMI = "ami-b7e93bce";
    static final String QUEUE = "drivers";

    FillInProxy proxy;
    AwsContext aws;
    TestWorkflowEnvironment env;

    @BeforeEach
    void setUp() {
        proxy = MOTO.proxy();
        aws = AwsContext.builder().region("us-east-1").endpointOverride(proxy.endpoint())
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .sdkMaxAttempts(2).timings(AwsTimings.allOf(Duration.ofMillis(1))).build();
        env = TestWorkflowEnvironment.newInstance();
    }

    @AfterEach
    void tearDown() {
        env.close();
        aws.close();
    }

    String launch() {
        return aws.ec2().runInstances(r -> r.imageId(WINDOWS_AMI).instanceType(InstanceType.T3_MEDIUM).minCount(1)
                .maxCount(1)).instances().get(0).instanceId();
    }

    /** A managed Windows instance whose domain-role check answers 3 (a member server) and whose installs succeed. */
    String managedWindows() {
        String id = launch();
        proxy.scenario().managedInstance(id, "Windows")
                .commandOutcome(id, "AWS-RunPowerShellScript", CommandOutcome.success("3"))
                .commandOutcome(id, "AWS-ConfigureAWSPackage", CommandOutcome.success("Successfully installed").afterPolls(2));
        return id;
    }

    RunResult onTemporal(Plan plan, Inputs inputs, String runId) {
        StepwiseTemporal.worker(env.getWorkflowClient(), QUEUE).register(plan).start(env.getWorkerFactory());
        return StepwiseTemporal.client(env.getWorkflowClient(), QUEUE).start(plan, inputs, runId).await();
    }

    /**
     * A run's status, reason, rows and outputs, with the ids AWS and Stepwise make replaced by markers. A result from
     * Temporal arrives as JSON (its outputs as JSON values, typed again by {@code output(key)}), so the embedded
     * result is compared in the same form: {@code RunResult.fromJson(embedded.toJson())}.
     */
    static List<String> rows(RunResult r) {
        List<String> out = new ArrayList<>();
        out.add("run " + r.plan() + " " + r.status() + " | " + r.reason());
        for (StepResult s : r.steps()) {
            out.add("step " + s.name() + " " + s.kind() + " " + s.effect() + " " + s.status() + " " + s.attempts()
                    + " | " + s.note());
        }
        new TreeMap<>(r.outputs()).forEach((k, v) -> out.add("output " + k + " = " + v));
        return out.stream().map(s -> s.replaceAll("ami-[0-9a-f]{8,17}", "<image>")
                .replaceAll("i-[0-9a-f]{8,17}", "<instance>")
                .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>")
                .replaceAll("(embedded|temporal)-run", "<run>")).toList();
    }

    @Test
    void driversUpgrade_onlinePath_givesTheSameStepsAndOutputsAsTheEmbeddedRunner() {
        Plan plan = WindowsDriverUpgrade.plan(aws);
        RunResult embedded = Runner.create().withTimeSource(VirtualTimeSource.create())
                .run(plan, WindowsDriverUpgrade.inputs(managedWindows()));
        int embeddedCommands = proxy.counts().sentCommands().size();

        String id = managedWindows();
        RunResult temporal = onTemporal(plan, WindowsDriverUpgrade.inputs(id), "temporal-run");

        assertThat(temporal.status()).as(temporal.toString()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(rows(temporal)).containsExactlyElementsOf(rows(RunResult.fromJson(embedded.toJson())));
        assertThat(temporal.output(WindowsDriverUpgrade.INSTANCE)).hasValueSatisfying(f -> {
            assertThat(f.instanceId()).isEqualTo(id);
            assertThat(f.isRunning()).isTrue();
        });
        assertThat(temporal.output(WindowsDriverUpgrade.ENA_OUTPUT)).contains("Successfully installed");
        assertThat(temporal.output(WindowsDriverUpgrade.PRE_UPGRADE_BACKUP)).hasValueSatisfying(ami ->
                assertThat(aws.ec2().describeImages(r -> r.imageIds(ami)).images()).hasSize(1));
        List<SentCommand> sent = proxy.counts().sentCommands().subList(embeddedCommands,
                proxy.counts().sentCommands().size());
        assertThat(sent).extracting(SentCommand::documentName).containsExactly("AWS-RunPowerShellScript",
                "AWS-ConfigureAWSPackage", "AWS-ConfigureAWSPackage", "AWS-ConfigureAWSPackage");
        assertThat(sent).allSatisfy(c -> assertThat(c.instanceIds()).containsExactly(id));
    }

    @Test
    void driversUpgrade_offlinePath_runsOnTemporalUnchanged() {
        String id = launch();
        proxy.scenario().enaSupport(id, false).onlineAfterStart(id);
        proxy.scenario().automationOutcome(WindowsDriverUpgrade.RESCUE_DOCUMENT,
                AutomationOutcome.success().withOutput("runScriptForWindows.Output", "AWSNVMe upgraded to 1.5.1")
                        .afterPolls(2));

        RunResult r = onTemporal(WindowsDriverUpgrade.plan(aws),
                WindowsDriverUpgrade.inputs(id).with(WindowsDriverUpgrade.ALLOW_OFFLINE, true), "offline-run");

        assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.output(WindowsDriverUpgrade.OFFLINE_OUTPUT))
                .contains(List.of("runScriptForWindows.Output=AWSNVMe upgraded to 1.5.1"));
        assertThat(r.output(WindowsDriverUpgrade.PRE_OFFLINE_UPGRADE_BACKUP)).isPresent();
        assertThat(aws.ec2().describeInstances(q -> q.instanceIds(id)).reservations().get(0).instances().get(0)
                .state().nameAsString()).isEqualTo("running");
    }

    static final Key<String> INSTANCE_ID = Key.of("InstanceId", String.class);
    static final Key<Boolean> MANAGED = Key.of("managed", Boolean.class);
    static final Key<String> IMAGE = Key.of("backup.ImageId", String.class);
    static final Key<String> STOPPED = Key.of("stop.State", String.class);
    static final Key<String> STARTED = Key.of("start.State", String.class);

    /** Building blocks only: is it managed, back it up, stop it, start it again. */
    Plan backupAndRestart() {
        Ec2Steps ec2 = Ec2Steps.using(aws);
        return Plan.builder("backup-and-restart").input(INSTANCE_ID)
                .step(SsmSteps.using(aws).isManaged("isManaged", INSTANCE_ID, MANAGED))
                .step(ec2.createImage("backup", INSTANCE_ID, IMAGE, true))
                .step(ec2.stop("stop", INSTANCE_ID, STOPPED))
                .step(ec2.start("start", INSTANCE_ID, STARTED))
                .build();
    }

    @Test
    void buildingBlockPlan_givesTheSameStepsAndOutputsAsTheEmbeddedRunner() {
        String first = managedWindows();
        RunResult embedded = Runner.create().withTimeSource(VirtualTimeSource.create())
                .run(backupAndRestart(), Inputs.of(INSTANCE_ID, first));
        RunResult temporal = onTemporal(backupAndRestart(), Inputs.of(INSTANCE_ID, managedWindows()), "temporal-run");

        assertThat(embedded.status()).as(embedded.toString()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(rows(temporal)).containsExactlyElementsOf(rows(RunResult.fromJson(embedded.toJson())));
        assertThat(temporal.outputs()).containsEntry(MANAGED.name(), true).containsEntry(STARTED.name(), "running");
        assertThat(Map.of("images", aws.ec2().describeImages(r -> r.owners("self")).images().size()))
                .containsEntry("images", 2);
    }
}
