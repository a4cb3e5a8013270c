package dev.stepwise.aws.drivers;

import static dev.stepwise.aws.drivers.WindowsDriverUpgrade.ALLOW_OFFLINE;
import static dev.stepwise.aws.drivers.WindowsDriverUpgrade.AUTOMATION_ASSUME_ROLE;
import static dev.stepwise.aws.drivers.WindowsDriverUpgrade.OFFLINE_OUTPUT;
import static dev.stepwise.aws.drivers.WindowsDriverUpgrade.PRE_OFFLINE_UPGRADE_BACKUP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.Testbed;
import dev.stepwise.aws.testkit.AutomationOutcome;
import dev.stepwise.aws.testkit.FillInProxy;
import dev.stepwise.aws.testkit.MotoExtension;
import dev.stepwise.core.InvalidInputException;
import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.StepStatus;
import dev.stepwise.core.run.VirtualTimeSource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Honest outcomes of the offline path: a failure never leaves the instance stopped or booted with ENA support but
 * without the ENA driver, PV is installed online or the run says it was not, and EC2Rescue gets a short UniqueId,
 * the role and the script.
 */
class DriversOutcomeIT {
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

    private String unmanagedWindows(String scriptOutput) {
        String id = Testbed.launch(aws, Testbed.WINDOWS_AMI);
        proxy.scenario().enaSupport(id, false).automationOutcome(WindowsDriverUpgrade.RESCUE_DOCUMENT,
                AutomationOutcome.success().withOutput("runScriptForWindows.Output", scriptOutput));
        return id;
    }

    private Inputs offline(String id) {
        return WindowsDriverUpgrade.inputs(id).with(ALLOW_OFFLINE, true);
    }

    @Test
    void failedOfflineBackup_startsTheInstanceAgain_andTouchesNothingElse() {
        String id = unmanagedWindows("unused");
        proxy.faults().serverError("CreateImage").always();
        RunResult r = runner.run(plan, offline(id));
        assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.FAILED);
        assertThat(r.reason()).contains("preOfflineUpgradeBackup");
        assertThat(r.step("restoreInstanceState").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(Testbed.state(aws, id)).as("not left stopped").isEqualTo("running");
        assertThat(proxy.counts().count("ModifyInstanceAttribute")).isZero();
        assertThat(proxy.counts().count("StartAutomationExecution")).isZero();
        assertThat(proxy.scenario().enaSupport(id)).contains(false);
    }

    @Test
    void domainControllerFoundByTheScript_returnsEnaSupportBeforeTheStart_andFails() {
        String id = unmanagedWindows(OfflineScript.DOMAIN_CONTROLLER_MARKER + ": the offline Windows image is a domain "
                + "controller (ProductType LanmanNt); no driver was changed");
        proxy.scenario().onlineAfterStart(id);
        RunResult r = runner.run(plan, offline(id));
        assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.FAILED);
        assertThat(r.failure().type()).isEqualTo(DriverPreflightException.class.getName());
        assertThat(r.reason()).contains("Instance " + id).contains("found a domain controller");
        assertThat(r.step("restoreEnaSupport").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(proxy.scenario().enaSupport(id)).as("ENA support as found").contains(false);
        assertThat(proxy.counts().count("ModifyInstanceAttribute")).as("enabled, then returned").isEqualTo(2);
        assertThat(Testbed.state(aws, id)).isEqualTo("running");
        assertThat(proxy.counts().sentCommands()).as("no PV install").isEmpty();
        assertThat(r.output(PRE_OFFLINE_UPGRADE_BACKUP)).isPresent();
    }

    @Test
    void enaSupportAlreadyOn_isLeftOn_afterAFailedRescue() {
        String id = unmanagedWindows("unused");
        proxy.scenario().enaSupport(id, true).automationOutcome(WindowsDriverUpgrade.RESCUE_DOCUMENT,
                AutomationOutcome.failed("Step runScriptForWindows failed"));
        RunResult r = runner.run(plan, offline(id));
        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(proxy.scenario().enaSupport(id)).contains(true);
        assertThat(proxy.counts().count("ModifyInstanceAttribute")).as("only the runbook's enable").isEqualTo(1);
    }

    @Test
    void pvAfterOffline_whenSsmNeverReportsTheInstanceOnline_failsNamingWhatWasDone() {
        String id = unmanagedWindows("STEPWISE-INJECTED: AwsEnaNetworkDriver 2.8.0 (was 2.2.3)");
        // polls every 200 ms of virtual time: the wait for Online gives up after a handful of polls, not a thousand
        try (AwsContext slower = Testbed.context(proxy, aws.timings().toBuilder().pollInterval(Duration.ofMillis(200))
                .build())) {
            RunResult r = runner.run(WindowsDriverUpgrade.plan(slower), offline(id));
            assertPvNotUpgraded(r, id);
        }
    }

    private void assertPvNotUpgraded(RunResult r, String id) {
        assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.FAILED);
        assertThat(r.reason()).contains("installAWSPVDriverAfterOfflineUpgrade")
                .contains("ENA and NVMe were upgraded offline, but AWSPVDriver was not upgraded")
                .contains("SSM did not report " + id + " Online");
        assertThat(r.output(OFFLINE_OUTPUT)).contains(
                List.of("runScriptForWindows.Output=STEPWISE-INJECTED: AwsEnaNetworkDriver 2.8.0 (was 2.2.3)"));
        assertThat(proxy.scenario().enaSupport(id)).as("drivers installed: ENA support stays on").contains(true);
        assertThat(Testbed.state(aws, id)).isEqualTo("running");
        assertThat(proxy.counts().sentCommands()).isEmpty();
    }

    @Test
    void pvAfterOffline_whenTheInstanceWasFoundStopped_leavesItStopped_andSaysPvWasNotUpgraded() {
        String id = unmanagedWindows("drivers injected");
        aws.ec2().stopInstances(r -> r.instanceIds(id));
        RunResult r = runner.run(plan, offline(id));
        assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.FAILED);
        assertThat(r.reason()).contains("AWSPVDriver was not upgraded").contains("found stopped and is left stopped");
        assertThat(Testbed.state(aws, id)).isEqualTo("stopped");
    }

    @Test
    void rescue_getsAShortAlphanumericUniqueId_theRole_andTheAsciiScript() {
        String id = unmanagedWindows("done");
        proxy.scenario().onlineAfterStart(id);
        String role = "arn:aws:iam::123456789012:role/ssm.automation_role";
        RunResult dry = runner.dryRun().run(plan, offline(id).with(AUTOMATION_ASSUME_ROLE, role));
        assertThat(dry.toString()).contains("UniqueId=[" + WindowsDriverUpgrade.uniqueId(dry.runId()) + "]")
                .contains("AutomationAssumeRole=[" + role + "]");

        RunResult r = runner.run(plan, offline(id).with(AUTOMATION_ASSUME_ROLE, role));
        assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(proxy.scenario().offlineScripts()).containsExactly(OfflineScript.of(false).text());
        assertThat(proxy.counts().count("StartAutomationExecution")).isEqualTo(1);
        assertThat(WindowsDriverUpgrade.uniqueId(r.runId())).matches("[a-z0-9]{16}");
    }

    @Test
    void planRunningAsAutomationRole_makesEveryCallAsTheRole_andPassesItToEc2Rescue() {
        String id = unmanagedWindows("done");
        proxy.scenario().onlineAfterStart(id);
        String role = "arn:aws:iam::123456789012:role/AutomationRole";
        try (AwsContext asRole = aws.toBuilder().assumeRole(role).build()) {
            Plan asRolePlan = WindowsDriverUpgrade.planRunningAsAutomationRole(asRole);
            RunResult dry = runner.dryRun().run(asRolePlan, offline(id));
            assertThat(dry.toString()).as("passed without being given").contains("AutomationAssumeRole=[" + role + "]");
            assertThat(proxy.counts().count("AssumeRole")).as("the calls ran as the role").isPositive();

            RunResult r = runner.run(asRolePlan, offline(id));
            assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
            assertThatThrownBy(() -> runner.run(asRolePlan, offline(id).with(AUTOMATION_ASSUME_ROLE,
                    "arn:aws:iam::123456789012:role/Other"))).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("AutomationAssumeRole").hasMessageContaining("the role every call of this plan runs as");
        }
        assertThatThrownBy(() -> WindowsDriverUpgrade.planRunningAsAutomationRole(aws))
                .isInstanceOf(PlanValidationException.class).hasMessageContaining("assumes no role");
    }
}
