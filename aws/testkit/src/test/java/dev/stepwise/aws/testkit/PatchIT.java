package dev.stepwise.aws.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.CommandInvocationStatus;
import software.amazon.awssdk.services.ssm.model.InstancePatchState;
import software.amazon.awssdk.services.ssm.model.InstancePatchStateFilter;
import software.amazon.awssdk.services.ssm.model.InstancePatchStateOperatorType;
import software.amazon.awssdk.services.ssm.model.PatchComplianceData;
import software.amazon.awssdk.services.ssm.model.PatchComplianceDataState;
import software.amazon.awssdk.services.ssm.model.PatchOperationType;
import software.amazon.awssdk.services.ssm.model.PatchOrchestratorFilter;
import software.amazon.awssdk.services.ssm.model.RebootOption;

@ExtendWith(MotoExtension.class)
class PatchIT {

    private static final String BASELINE = "AWS-RunPatchBaseline";

    private final FillInProxy proxy;
    private SsmClient ssm;
    private Ec2Client ec2;
    private String instance;

    PatchIT(FillInProxy proxy) {
        this.proxy = proxy;
    }

    @BeforeEach
    void instanceWithPatches() {
        ssm = AwsClients.ssm(proxy.endpoint());
        ec2 = AwsClients.ec2(proxy.endpoint());
        instance = AwsClients.runInstance(ec2, AwsClients.WINDOWS_AMI);
        proxy.scenario().managedInstance(instance, "Windows")
                .patchGroup(instance, "non-production")
                .patches(instance,
                        Patch.missing("KB5031356").withSeverity("Critical"),
                        Patch.missing("KB5030216").withClassification("Updates").withSeverity("Moderate"),
                        Patch.installed("KB5029244"));
    }

    @AfterEach
    void close() {
        ssm.close();
        ec2.close();
    }

    private InstancePatchState state() {
        return ssm.describeInstancePatchStates(r -> r.instanceIds(instance)).instancePatchStates().get(0);
    }

    private void runBaseline(String operation, String rebootOption) {
        String commandId = ssm.sendCommand(r -> r.documentName(BASELINE).instanceIds(instance)
                .parameters(Map.of("Operation", List.of(operation), "RebootOption", List.of(rebootOption),
                        "SnapshotId", List.of("6a5d7c1e-0000-4000-8000-000000000001")))).command().commandId();
        assertThat(ssm.getCommandInvocation(r -> r.commandId(commandId).instanceId(instance)).status())
                .isEqualTo(CommandInvocationStatus.SUCCESS);
    }

    @Test
    void describeInstancePatchStates_whenScripted_reportsCountsAndCompliance() {
        InstancePatchState s = state();

        assertThat(s.instanceId()).isEqualTo(instance);
        assertThat(s.patchGroup()).isEqualTo("non-production");
        assertThat(s.missingCount()).isEqualTo(2);
        assertThat(s.installedCount()).isEqualTo(1);
        assertThat(s.criticalNonCompliantCount()).isEqualTo(1);
        assertThat(s.otherNonCompliantCount()).isEqualTo(1);
        assertThat(s.operation()).isEqualTo(PatchOperationType.SCAN);
        assertThat(s.baselineId()).isNotEmpty();
    }

    @Test
    void sendCommand_whenInstallWithNoReboot_leavesPatchesInstalledPendingReboot() {
        runBaseline("Install", "NoReboot");

        InstancePatchState s = state();
        assertThat(s.missingCount()).isZero();
        assertThat(s.installedPendingRebootCount()).isEqualTo(2);
        assertThat(s.operation()).isEqualTo(PatchOperationType.INSTALL);
        assertThat(s.rebootOption()).isEqualTo(RebootOption.NO_REBOOT);
        assertThat(s.snapshotId()).isEqualTo("6a5d7c1e-0000-4000-8000-000000000001");
        assertThat(s.lastNoRebootInstallOperationTime()).isNotNull();
        assertThat(proxy.scenario().patchesOf(instance)).extracting(Patch::state)
                .containsOnly(Patch.State.INSTALLED_PENDING_REBOOT, Patch.State.INSTALLED);
    }

    @Test
    void sendCommand_whenInstallWithRebootIfNeeded_installsMissingPatches() {
        runBaseline("Install", "RebootIfNeeded");

        InstancePatchState s = state();
        assertThat(s.missingCount()).isZero();
        assertThat(s.installedCount()).isEqualTo(3);
        assertThat(s.installedPendingRebootCount()).isZero();
        assertThat(s.criticalNonCompliantCount()).isZero();
    }

    @Test
    void sendCommand_whenScan_changesNoPatchButTheOperation() {
        runBaseline("Install", "NoReboot");
        runBaseline("Scan", "RebootIfNeeded");

        InstancePatchState s = state();
        assertThat(s.operation()).isEqualTo(PatchOperationType.SCAN);
        assertThat(s.installedPendingRebootCount()).isEqualTo(2);
    }

    @Test
    void sendCommand_whenScanAfterRebootInstances_reportsPendingPatchesInstalled() {
        runBaseline("Install", "NoReboot");
        ec2.rebootInstances(r -> r.instanceIds(instance));
        runBaseline("Scan", "RebootIfNeeded");

        InstancePatchState s = state();
        assertThat(s.installedPendingRebootCount()).isZero();
        assertThat(s.installedCount()).isEqualTo(3);
    }

    @Test
    void sendCommand_whenInstallFails_leavesInventoryUnchanged() {
        proxy.scenario().commandOutcome(instance, BASELINE, CommandOutcome.failed("WSUS unreachable", 1));
        String commandId = ssm.sendCommand(r -> r.documentName(BASELINE).instanceIds(instance)
                .parameters(Map.of("Operation", List.of("Install")))).command().commandId();
        ssm.getCommandInvocation(r -> r.commandId(commandId).instanceId(instance));

        assertThat(state().missingCount()).isEqualTo(2);
    }

    @Test
    void describeInstancePatches_whenFilteredByState_returnsThosePatches() {
        List<PatchComplianceData> missing = ssm.describeInstancePatches(r -> r.instanceId(instance)
                .filters(PatchOrchestratorFilter.builder().key("State").values("MISSING").build())).patches();

        assertThat(missing).extracting(PatchComplianceData::kbId).containsExactly("KB5031356", "KB5030216");
        assertThat(missing).extracting(PatchComplianceData::state).containsOnly(PatchComplianceDataState.MISSING);
        assertThat(missing.get(0).severity()).isEqualTo("Critical");
    }

    @Test
    void describeInstancePatchStatesForPatchGroup_whenFilteredByMissingCount_returnsMatchingInstances() {
        proxy.scenario().patchGroup("i-0000000000000000f", "non-production")
                .patches("i-0000000000000000f", Patch.installed("KB5031356"));

        List<InstancePatchState> needing = ssm.describeInstancePatchStatesForPatchGroup(r -> r
                .patchGroup("non-production")
                .filters(InstancePatchStateFilter.builder().key("MissingCount")
                        .type(InstancePatchStateOperatorType.GREATER_THAN).values("0").build()))
                .instancePatchStates();
        List<InstancePatchState> all = ssm.describeInstancePatchStatesForPatchGroup(r -> r.patchGroup("non-production"))
                .instancePatchStates();

        assertThat(needing).extracting(InstancePatchState::instanceId).containsExactly(instance);
        assertThat(all).hasSize(2);
    }
}
