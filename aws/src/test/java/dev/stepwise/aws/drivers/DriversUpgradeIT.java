package dev.stepwise.aws.drivers;

import static dev.stepwise.aws.drivers.WindowsDriverUpgrade.ALLOW_OFFLINE;
import static dev.stepwise.aws.drivers.WindowsDriverUpgrade.ENA_OUTPUT;
import static dev.stepwise.aws.drivers.WindowsDriverUpgrade.FORCE_OFFLINE_OUTPUT;
import static dev.stepwise.aws.drivers.WindowsDriverUpgrade.FORCE_UPGRADE;
import static dev.stepwise.aws.drivers.WindowsDriverUpgrade.INSTANCE_ID;
import static dev.stepwise.aws.drivers.WindowsDriverUpgrade.NVME_OUTPUT;
import static dev.stepwise.aws.drivers.WindowsDriverUpgrade.OFFLINE_OUTPUT;
import static dev.stepwise.aws.drivers.WindowsDriverUpgrade.PRE_OFFLINE_UPGRADE_BACKUP;
import static dev.stepwise.aws.drivers.WindowsDriverUpgrade.PRE_UPGRADE_BACKUP;
import static dev.stepwise.aws.drivers.WindowsDriverUpgrade.PV_OUTPUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.Testbed;
import dev.stepwise.aws.ec2.Ec2Steps;
import dev.stepwise.aws.testkit.AutomationOutcome;
import dev.stepwise.aws.testkit.CommandOutcome;
import dev.stepwise.aws.testkit.FillInProxy;
import dev.stepwise.aws.testkit.MotoExtension;
import dev.stepwise.aws.testkit.SentCommand;
import dev.stepwise.core.InvalidInputException;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Prediction;
import dev.stepwise.core.run.RunEvent;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.StepResult;
import dev.stepwise.core.run.StepStatus;
import dev.stepwise.core.run.VirtualTimeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Tag;

class DriversUpgradeIT {
    @RegisterExtension
    static final MotoExtension MOTO = MotoExtension.create();

    private FillInProxy proxy;
    private AwsContext aws;
    private Plan plan;
    private final Runner runner = Runner.create().withTimeSource(VirtualTimeSource.create());

    @BeforeEach
    void setUp() {
        proxy = MOTO.proxy();
        aws = Testbed.context(proxy);
        plan = WindowsDriverUpgrade.plan(aws);
    }

    @AfterEach
    void tearDown() {
        aws.close();
    }

    private String managedWindows() {
        String id = Testbed.launch(aws, Testbed.WINDOWS_AMI);
        proxy.scenario().managedInstance(id, "Windows")
                .commandOutcome(id, "AWS-RunPowerShellScript", CommandOutcome.success("3"));
        return id;
    }

    /** An unmanaged Windows instance whose agent comes online once the plan starts it again. */
    private String unmanagedWindows() {
        String id = Testbed.launch(aws, Testbed.WINDOWS_AMI);
        proxy.scenario().enaSupport(id, false).onlineAfterStart(id);
        return id;
    }

    /** The commands the plan sent, without the read-only domain-role check. */
    private List<SentCommand> changingCommands() {
        return proxy.counts().sentCommands().stream()
                .filter(c -> !c.documentName().equals("AWS-RunPowerShellScript")).toList();
    }

    @Test
    void online_whenManaged_backsUpThenInstallsEachDriver() {
        String id = managedWindows();
        proxy.scenario().commandOutcome(id, "AWS-ConfigureAWSPackage", CommandOutcome.success("Successfully installed").afterPolls(2));

        RunResult r = runner.run(plan, WindowsDriverUpgrade.inputs(id));

        assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
        String ami = r.output(PRE_UPGRADE_BACKUP).orElseThrow();
        Image image = Testbed.images(aws).stream().filter(i -> i.imageId().equals(ami)).findFirst().orElseThrow();
        assertThat(image.tags()).contains(Tag.builder().key(Ec2Steps.RUN_TAG).value(r.runId()).build(),
                Tag.builder().key(Ec2Steps.STEP_TAG).value("preUpgradeBackup").build());
        assertThat(proxy.counts().sentCommands()).extracting(SentCommand::documentName)
                .containsExactly("AWS-RunPowerShellScript", "AWS-ConfigureAWSPackage", "AWS-ConfigureAWSPackage",
                        "AWS-ConfigureAWSPackage");
        List<SentCommand> sent = changingCommands();
        assertThat(sent).extracting(c -> c.parameters().get("name")).containsExactly(
                List.of("AwsEnaNetworkDriver"), List.of("AWSNVMe"), List.of("AWSPVDriver"));
        assertThat(sent.get(2).parameters()).containsEntry("installationType", List.of("Uninstall and reinstall"));
        assertThat(sent).allSatisfy(c -> assertThat(c.parameters()).containsEntry("action", List.of("Install")));
        assertThat(r.output(ENA_OUTPUT)).contains("Successfully installed");
        assertThat(r.output(NVME_OUTPUT)).isPresent();
        assertThat(r.output(PV_OUTPUT)).isPresent();
        assertThat(Testbed.state(aws, id)).isEqualTo("running");
        assertThat(proxy.counts().count("StopInstances")).isZero();
        dev.stepwise.aws.OutputsRoundTrip.check(r, WindowsDriverUpgrade.class, Preflights.class,
                dev.stepwise.aws.ec2.Ec2Steps.class, dev.stepwise.aws.ssm.SsmSteps.class);
    }

    @Test
    void dryRun_online_predictsExactlyTheMutatingCallsTheLiveRunMakes() {
        String id = managedWindows();
        RunResult dry = runner.dryRun().run(plan, WindowsDriverUpgrade.inputs(id));
        assertThat(Testbed.mutatingCalls(proxy) - proxy.counts().sentCommands().size())
                .as("a dry run changes nothing: its only command is the read-only domain-role check").isZero();
        assertThat(proxy.counts().sentCommands()).extracting(SentCommand::documentName)
                .containsExactly("AWS-RunPowerShellScript");
        assertThat(Testbed.images(aws)).isEmpty();

        runner.run(plan, WindowsDriverUpgrade.inputs(id)).orThrow();
        assertFidelity(dry);
        List<Object> predictedParameters = predictions(dry).stream().filter(p -> p.operation().equals("SendCommand"))
                .map(p -> p.parameters().get("Parameters")).toList();
        assertThat(predictedParameters).containsExactlyElementsOf(
                changingCommands().stream().map(c -> (Object) c.parameters()).toList());
    }

    @Test
    void offline_whenUnmanagedAndAllowed_stopsBacksUpEnablesEnaRescuesStartsAgainAndInstallsPvOnline() {
        String id = unmanagedWindows();
        proxy.scenario().automationOutcome(WindowsDriverUpgrade.RESCUE_DOCUMENT,
                AutomationOutcome.success().withOutput("runScriptForWindows.Output", "AWSNVMe upgraded to 1.5.1").afterPolls(2));

        RunResult r = runner.run(plan, WindowsDriverUpgrade.inputs(id).with(ALLOW_OFFLINE, true));

        assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.output(OFFLINE_OUTPUT)).contains(List.of("runScriptForWindows.Output=AWSNVMe upgraded to 1.5.1"));
        assertThat(r.output(FORCE_OFFLINE_OUTPUT)).isEmpty();
        String ami = r.output(PRE_OFFLINE_UPGRADE_BACKUP).orElseThrow();
        assertThat(Testbed.images(aws)).extracting(Image::imageId).containsExactly(ami);
        assertThat(proxy.scenario().enaSupport(id)).contains(true);
        assertThat(Testbed.state(aws, id)).as("left as it was found").isEqualTo("running");
        assertThat(proxy.counts().count("StopInstances")).as("no force stop after a stop that finished").isEqualTo(1);
        assertThat(proxy.counts().count("StartAutomationExecution")).isEqualTo(1);
        assertThat(proxy.counts().sentCommands()).as("PV, online, after the start").singleElement().satisfies(c -> {
            assertThat(c.documentName()).isEqualTo("AWS-ConfigureAWSPackage");
            assertThat(c.parameters()).containsEntry("name", List.of("AWSPVDriver"));
        });
        assertThat(r.output(WindowsDriverUpgrade.PV_AFTER_OFFLINE_OUTPUT)).isPresent();
    }

    @Test
    void offline_withForceUpgrade_runsTheForcedScript() {
        String id = unmanagedWindows();
        proxy.scenario().automationOutcome(WindowsDriverUpgrade.RESCUE_DOCUMENT,
                AutomationOutcome.success().withOutput("runScriptForWindows.Output", "forced"));
        RunResult r = runner.run(plan, WindowsDriverUpgrade.inputs(id).with(ALLOW_OFFLINE, true).with(FORCE_UPGRADE, true));
        assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.output(FORCE_OFFLINE_OUTPUT)).contains(List.of("runScriptForWindows.Output=forced"));
        assertThat(proxy.scenario().offlineScripts()).singleElement().asString().contains("$Force = $true");
        assertThat(r.step("upgradeDriversOffline").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
    }

    @Test
    void dryRun_offline_predictsTheLiveRunsCalls_withTheForceStopConditional() {
        String id = unmanagedWindows();
        Inputs in = WindowsDriverUpgrade.inputs(id).with(ALLOW_OFFLINE, true);
        RunResult dry = runner.dryRun().run(plan, in);
        assertThat(dry.status()).as(dry.toString()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(Testbed.mutatingCalls(proxy)).isZero();
        assertThat(dry.toString()).contains("only if the instance is not stopped when this step starts");

        runner.run(plan, in).orThrow();
        assertFidelity(dry);
    }

    @Test
    void offline_whenAutomationFails_restoresEnaAndTheInstanceAndReportsBackupAndReason() {
        String id = unmanagedWindows();
        proxy.scenario().automationOutcome(WindowsDriverUpgrade.RESCUE_DOCUMENT,
                AutomationOutcome.failed("Step runScriptForWindows failed: root volume is encrypted"));
        RunResult r = runner.run(plan, WindowsDriverUpgrade.inputs(id).with(ALLOW_OFFLINE, true));
        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.reason()).contains("upgradeDriversOffline").contains("root volume is encrypted");
        assertThat(r.output(PRE_OFFLINE_UPGRADE_BACKUP)).isPresent();
        assertThat(r.step("restoreInstanceState").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(Testbed.state(aws, id)).isEqualTo("running");
        assertThat(proxy.scenario().enaSupport(id)).as("ENA support back to its value when found").contains(false);
        assertThat(proxy.counts().sentCommands()).as("no PV install after a failed offline upgrade").isEmpty();
    }

    @Test
    void unmanaged_withoutAllowOffline_failsWithTheReasonAndChangesNothing() {
        String id = Testbed.launch(aws, Testbed.WINDOWS_AMI);
        RunResult r = runner.run(plan, WindowsDriverUpgrade.inputs(id));
        assertThat(r.status()).as("nothing was upgraded: not a success").isEqualTo(RunStatus.FAILED);
        assertThat(r.reason()).contains("AllowOffline is true").contains("SSM does not manage the instance")
                .contains("nothing was changed or upgraded");
        assertThat(Testbed.mutatingCalls(proxy)).isZero();
        assertThat(Testbed.state(aws, id)).isEqualTo("running");
    }

    @Test
    void linuxInstance_stopsAtTheWindowsCheckWithNoImageMade() {
        String id = Testbed.launch(aws, Testbed.LINUX_AMI);
        proxy.scenario().managedInstance(id, "Linux");
        RunResult r = runner.run(plan, WindowsDriverUpgrade.inputs(id));
        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.reason()).contains("Instance " + id + ": EC2 reports its platform as Linux/UNIX")
                .contains("upgrades Windows instances only");
        assertThat(r.failure().type()).isEqualTo(DriverPreflightException.class.getName());
        assertThat(Testbed.images(aws)).isEmpty();
        assertThat(Testbed.mutatingCalls(proxy)).isZero();
    }

    @Test
    void malformedInstanceId_isRefusedBeforeAnyCall() {
        assertThatThrownBy(() -> runner.run(plan, WindowsDriverUpgrade.inputs("i-12")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("InstanceId \"i-12\" does not match i-([0-9a-f]{8}|[0-9a-f]{17})");
        assertThatThrownBy(() -> runner.run(plan, WindowsDriverUpgrade.inputs("i-0123456789abcdef0")
                .with(WindowsDriverUpgrade.SUBNET_ID, "vpc-1234")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("SubnetId \"vpc-1234\" must be");
        assertThat(proxy.counts().total()).isZero();
    }

    @Test
    void unknownInstance_failsWithAClearMessageAndChangesNothing() {
        RunResult r = runner.run(plan, WindowsDriverUpgrade.inputs("i-0123456789abcdef0"));
        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.reason()).contains("Instance i-0123456789abcdef0 does not exist in us-east-1");
        assertThat(Testbed.mutatingCalls(proxy)).isZero();
    }

    @Test
    void driverInstallFailure_failsAtThatStep_andTheReportShowsBackupAndOutput() {
        String id = managedWindows();
        proxy.scenario().commandOutcome(id, "AWS-ConfigureAWSPackage",
                CommandOutcome.failed("Failed to install package; install script exited with code 1603", 1));
        RunResult r = runner.run(plan, WindowsDriverUpgrade.inputs(id));
        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        StepResult failed = r.step("installAwsEnaNetworkDriverOnInstance").orElseThrow();
        assertThat(failed.status()).isEqualTo(StepStatus.FAILED);
        assertThat(failed.failure().message()).contains("exited with code 1603").contains("exit code 1");
        assertThat(r.output(PRE_UPGRADE_BACKUP)).isPresent();
        assertThat(r.toString()).contains("preUpgradeBackup.ImageId=ami-").contains("exited with code 1603");
        assertThat(r.step("installAWSNVMeOnInstance").orElseThrow().status()).isEqualTo(StepStatus.NOT_REACHED);
    }

    @Test
    void throttling_isRetriedAndTheRunCompletes() {
        String id = managedWindows();
        proxy.faults().throttle("SendCommand").times(3);
        RunResult r = runner.run(plan, WindowsDriverUpgrade.inputs(id));
        assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(proxy.counts().count("SendCommand")).as("3 throttled + 4 sent").isEqualTo(7);
        assertThat(proxy.counts().sentCommands()).hasSize(4);
        assertThat(r.step("checkDomainRole").orElseThrow().attempts())
                .as("the SDK tried twice, then the step's own retry succeeded").isEqualTo(2);
    }

    @Test
    void backup_whenThisRunAlreadyTaggedAnImage_reusesItInsteadOfMakingASecond() {
        String id = managedWindows();
        List<String> preexisting = new ArrayList<>();
        Runner seeding = runner.withListener(e -> {
            if (e instanceof RunEvent.StepStarted s && s.step().equals("preUpgradeBackup")) {
                // as if an earlier attempt of this very run had created the image and then died
                String ami = aws.ec2().createImage(b -> b.instanceId(id).name("earlier-attempt")).imageId();
                aws.ec2().createTags(b -> b.resources(ami).tags(
                        Tag.builder().key(Ec2Steps.RUN_TAG).value(e.run().runId()).build(),
                        Tag.builder().key(Ec2Steps.STEP_TAG).value("preUpgradeBackup").build()));
                preexisting.add(ami);
            }
        });
        RunResult r = seeding.run(plan, WindowsDriverUpgrade.inputs(id));
        assertThat(r.output(PRE_UPGRADE_BACKUP)).contains(preexisting.get(0));
        assertThat(Testbed.images(aws)).hasSize(1);
        assertThat(proxy.counts().count("CreateImage")).isEqualTo(1);
    }

    @Test
    void install_whenPollingFailsAfterTheCommandWasSent_followsThatCommandInsteadOfSendingAgain() {
        String id = managedWindows();
        // two throttles exhaust the SDK's two attempts on the first poll: the step's attempt fails after SendCommand
        proxy.faults().throttle("ListCommandInvocations").times(2);
        RunResult r = runner.run(plan, WindowsDriverUpgrade.inputs(id));
        assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.step("checkDomainRole").orElseThrow().attempts()).isEqualTo(2);
        assertThat(changingCommands()).as("one command per driver, none sent twice")
                .extracting(c -> c.parameters().get("name"))
                .containsExactly(List.of("AwsEnaNetworkDriver"), List.of("AWSNVMe"), List.of("AWSPVDriver"));
        assertThat(proxy.counts().count("ListCommands")).isEqualTo(1);
    }

    private static List<Prediction> predictions(RunResult dry) {
        return dry.steps().stream().flatMap(s -> s.predictions().stream()).filter(Prediction::isCall).toList();
    }

    /** Every certain prediction was made; no mutating call was made that no prediction announced. */
    private void assertFidelity(RunResult dry) {
        List<Prediction> predicted = predictions(dry);
        // the read-only domain-role command runs in both runs and is no prediction
        long readOnlyCommands = proxy.counts().sentCommands().size() - changingCommands().size();
        for (String op : Testbed.MUTATING_OPERATIONS) {
            long certain = predicted.stream().filter(p -> p.operation().equals(op) && p.isCertain()).count();
            long possible = predicted.stream().filter(p -> p.operation().equals(op)).count();
            long live = proxy.counts().count(op) - (op.equals("SendCommand") ? readOnlyCommands : 0);
            assertThat(live).as("live %s calls vs the dry run's predictions", op).isBetween(certain, possible);
        }
        Map<String, Long> all = proxy.counts().asMap();
        assertThat(all.keySet()).as("no mutating operation outside the predicted set")
                .filteredOn(Testbed.MUTATING_OPERATIONS::contains)
                .allMatch(op -> predicted.stream().anyMatch(p -> p.operation().equals(op)));
    }
}
