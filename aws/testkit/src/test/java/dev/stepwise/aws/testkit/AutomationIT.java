package dev.stepwise.aws.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.AutomationExecution;
import software.amazon.awssdk.services.ssm.model.AutomationExecutionNotFoundException;
import software.amazon.awssdk.services.ssm.model.AutomationExecutionStatus;
import software.amazon.awssdk.services.ssm.model.InvalidAutomationExecutionParametersException;

@ExtendWith(MotoExtension.class)
class AutomationIT {

    private static final String RESCUE = Scenario.EC2_RESCUE_WORKFLOW;

    private static String start(SsmClient ssm, String instanceId) {
        return ssm.startAutomationExecution(r -> r.documentName(RESCUE).parameters(Map.of(
                "InstanceId", List.of(instanceId), "OfflineScript", List.of("ZWNobyBoaQ==")))).automationExecutionId();
    }

    private static AutomationExecution get(SsmClient ssm, String id) {
        return ssm.getAutomationExecution(r -> r.automationExecutionId(id)).automationExecution();
    }

    @Test
    void getAutomationExecution_whenSuccessAfterTwoPolls_reportsProgressThenOutputs(FillInProxy proxy) {
        try (Ec2Client ec2 = AwsClients.ec2(proxy.endpoint()); SsmClient ssm = AwsClients.ssm(proxy.endpoint())) {
            String instance = AwsClients.runInstance(ec2, AwsClients.WINDOWS_AMI);
            ec2.stopInstances(r -> r.instanceIds(instance));
            proxy.scenario().automationOutcome(RESCUE, AutomationOutcome.success()
                    .withOutput("runScriptForWindows.Output", "drivers staged")
                    .withOutput("preScriptBackup.ImageId", "ami-0123456789abcdef0").afterPolls(2));

            String id = start(ssm, instance);
            AutomationExecution first = get(ssm, id);
            AutomationExecution second = get(ssm, id);
            AutomationExecution third = get(ssm, id);

            assertThat(first.automationExecutionStatus()).isEqualTo(AutomationExecutionStatus.PENDING);
            assertThat(first.outputs()).isEmpty();
            assertThat(second.automationExecutionStatus()).isEqualTo(AutomationExecutionStatus.IN_PROGRESS);
            assertThat(third.automationExecutionStatus()).isEqualTo(AutomationExecutionStatus.SUCCESS);
            assertThat(third.outputs()).containsEntry("runScriptForWindows.Output", List.of("drivers staged"))
                    .containsEntry("preScriptBackup.ImageId", List.of("ami-0123456789abcdef0"));
            assertThat(third.parameters()).containsEntry("InstanceId", List.of(instance));
            assertThat(third.documentName()).isEqualTo(RESCUE);
            assertThat(third.executionEndTime()).isNotNull();
        }
    }

    @Test
    void getAutomationExecution_whenOutcomeScriptedForOneInstance_failsOnlyThatInstance(FillInProxy proxy) {
        try (SsmClient ssm = AwsClients.ssm(proxy.endpoint())) {
            proxy.scenario().automationOutcome(RESCUE, "i-0000000000000000b",
                    AutomationOutcome.failed("Step runScriptForWindows failed"));

            AutomationExecution ok = get(ssm, start(ssm, "i-0000000000000000a"));
            AutomationExecution failed = get(ssm, start(ssm, "i-0000000000000000b"));

            assertThat(ok.automationExecutionStatus()).isEqualTo(AutomationExecutionStatus.SUCCESS);
            assertThat(failed.automationExecutionStatus()).isEqualTo(AutomationExecutionStatus.FAILED);
            assertThat(failed.failureMessage()).isEqualTo("Step runScriptForWindows failed");
        }
    }

    @Test
    void startAutomationExecution_whenOfflineScriptMissing_throwsInvalidParameters(FillInProxy proxy) {
        try (SsmClient ssm = AwsClients.ssm(proxy.endpoint())) {
            assertThatThrownBy(() -> ssm.startAutomationExecution(r -> r.documentName(RESCUE)
                    .parameters(Map.of("InstanceId", List.of("i-0000000000000000a")))))
                    .isInstanceOf(InvalidAutomationExecutionParametersException.class)
                    .hasMessageContaining("OfflineScript");
        }
    }

    @Test
    void getAutomationExecution_whenIdUnknown_throwsNotFound(FillInProxy proxy) {
        try (SsmClient ssm = AwsClients.ssm(proxy.endpoint())) {
            assertThatThrownBy(() -> get(ssm, "00000000-0000-0000-0000-000000000000"))
                    .isInstanceOf(AutomationExecutionNotFoundException.class);
        }
    }

    @Test
    void stopAutomationExecution_whenInProgress_reportsCancelled(FillInProxy proxy) {
        try (SsmClient ssm = AwsClients.ssm(proxy.endpoint())) {
            proxy.scenario().automationOutcome(RESCUE, AutomationOutcome.success().afterPolls(5));
            String id = start(ssm, "i-0000000000000000a");
            get(ssm, id);

            ssm.stopAutomationExecution(r -> r.automationExecutionId(id));

            assertThat(get(ssm, id).automationExecutionStatus()).isEqualTo(AutomationExecutionStatus.CANCELLED);
        }
    }
}
