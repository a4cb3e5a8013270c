package dev.stepwise.aws.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.CommandFilter;
import software.amazon.awssdk.services.ssm.model.CommandInvocation;
import software.amazon.awssdk.services.ssm.model.CommandInvocationStatus;
import software.amazon.awssdk.services.ssm.model.CommandStatus;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.InvalidInstanceIdException;
import software.amazon.awssdk.services.ssm.model.InvocationDoesNotExistException;
import software.amazon.awssdk.services.ssm.model.ListCommandInvocationsResponse;
import software.amazon.awssdk.services.ssm.model.Target;

@ExtendWith(MotoExtension.class)
class RunCommandIT {

    private static final String PS = "AWS-RunPowerShellScript";

    private final FillInProxy proxy;
    private SsmClient ssm;
    private Ec2Client ec2;

    RunCommandIT(FillInProxy proxy) {
        this.proxy = proxy;
    }

    @BeforeEach
    void clients() {
        ssm = AwsClients.ssm(proxy.endpoint());
        ec2 = AwsClients.ec2(proxy.endpoint());
    }

    @AfterEach
    void close() {
        ssm.close();
        ec2.close();
    }

    private String managedWindowsInstance() {
        String id = AwsClients.runInstance(ec2, AwsClients.WINDOWS_AMI);
        proxy.scenario().managedInstance(id, "Windows");
        return id;
    }

    private String send(String instanceId, String document) {
        return ssm.sendCommand(r -> r.documentName(document).instanceIds(instanceId).comment("test")
                .parameters(Map.of("commands", List.of("Get-Date")))).command().commandId();
    }

    private GetCommandInvocationResponse poll(String commandId, String instanceId) {
        return ssm.getCommandInvocation(r -> r.commandId(commandId).instanceId(instanceId));
    }

    @Test
    void getCommandInvocation_whenOutcomeAfterTwoPolls_reportsPendingInProgressThenSuccess() {
        String id = managedWindowsInstance();
        proxy.scenario().commandOutcome(id, PS, CommandOutcome.success("hello").afterPolls(2));

        Command sent = ssm.sendCommand(r -> r.documentName(PS).instanceIds(id)
                .parameters(Map.of("commands", List.of("Get-Date")))).command();
        assertThat(sent.status()).isEqualTo(CommandStatus.PENDING);
        assertThat(sent.instanceIds()).containsExactly(id);

        GetCommandInvocationResponse first = poll(sent.commandId(), id);
        GetCommandInvocationResponse second = poll(sent.commandId(), id);
        GetCommandInvocationResponse third = poll(sent.commandId(), id);

        assertThat(first.status()).isEqualTo(CommandInvocationStatus.PENDING);
        assertThat(first.responseCode()).isEqualTo(-1);
        assertThat(second.status()).isEqualTo(CommandInvocationStatus.IN_PROGRESS);
        assertThat(third.status()).isEqualTo(CommandInvocationStatus.SUCCESS);
        assertThat(third.statusDetails()).isEqualTo("Success");
        assertThat(third.responseCode()).isZero();
        assertThat(third.standardOutputContent()).isEqualTo("hello");
        assertThat(third.pluginName()).isEqualTo("aws:runPowerShellScript");
        assertThat(third.executionEndDateTime()).isNotEmpty();
        assertThat(proxy.counts().count("SendCommand")).isEqualTo(1);
        assertThat(proxy.counts().count("GetCommandInvocation")).isEqualTo(3);
    }

    @Test
    void getCommandInvocation_whenInvocationDoesNotExistForFirstPoll_throwsThenAnswers() {
        String id = managedWindowsInstance();
        proxy.scenario().commandOutcome(id, PS, CommandOutcome.success("ok").invocationDoesNotExistForPolls(1));
        String commandId = send(id, PS);

        assertThatThrownBy(() -> poll(commandId, id)).isInstanceOf(InvocationDoesNotExistException.class);
        assertThat(poll(commandId, id).status()).isEqualTo(CommandInvocationStatus.SUCCESS);
    }

    @Test
    void listCommandInvocations_whenFailed_reportsOutputAndExitCodeAndCommandFailed() {
        String id = managedWindowsInstance();
        proxy.scenario().commandOutcome(id, PS, CommandOutcome.failed("driver missing", 3).withStandardError("boom"));
        String commandId = send(id, PS);

        ListCommandInvocationsResponse list = ssm.listCommandInvocations(r -> r.commandId(commandId).details(true));
        CommandInvocation inv = list.commandInvocations().get(0);
        assertThat(inv.status()).isEqualTo(CommandInvocationStatus.FAILED);
        assertThat(inv.commandPlugins()).singleElement().satisfies(p -> {
            assertThat(p.responseCode()).isEqualTo(3);
            assertThat(p.output()).isEqualTo("driver missing");
        });
        GetCommandInvocationResponse got = poll(commandId, id);
        assertThat(got.standardErrorContent()).isEqualTo("boom");
        Command command = ssm.listCommands(r -> r.commandId(commandId)).commands().get(0);
        assertThat(command.status()).isEqualTo(CommandStatus.FAILED);
        assertThat(command.errorCount()).isEqualTo(1);
        assertThat(command.completedCount()).isEqualTo(1);
    }

    @Test
    void getCommandInvocation_whenTimedOutOrCancelledScripted_reportsThoseStatuses() {
        String slow = managedWindowsInstance();
        String gone = managedWindowsInstance();
        proxy.scenario().commandOutcome(slow, PS, CommandOutcome.timedOut());
        proxy.scenario().commandOutcome(gone, PS, CommandOutcome.cancelled());
        String commandId = ssm.sendCommand(r -> r.documentName(PS).instanceIds(slow, gone)).command().commandId();

        GetCommandInvocationResponse timedOut = poll(commandId, slow);
        GetCommandInvocationResponse cancelled = poll(commandId, gone);

        assertThat(timedOut.status()).isEqualTo(CommandInvocationStatus.TIMED_OUT);
        assertThat(timedOut.statusDetails()).isEqualTo("ExecutionTimedOut");
        assertThat(cancelled.status()).isEqualTo(CommandInvocationStatus.CANCELLED);
        assertThat(ssm.listCommands(r -> r.commandId(commandId)).commands().get(0).status())
                .isEqualTo(CommandStatus.TIMED_OUT);
    }

    @Test
    void sendCommand_whenInstanceConnectionLostAndUnscripted_endsDeliveryTimedOut() {
        String id = AwsClients.runInstance(ec2, AwsClients.WINDOWS_AMI);
        proxy.scenario().managedInstance(ManagedInstance.windows(id)
                .withPingStatus(ManagedInstance.PingStatus.CONNECTION_LOST));
        String commandId = send(id, PS);

        GetCommandInvocationResponse got = poll(commandId, id);

        assertThat(got.status()).isEqualTo(CommandInvocationStatus.TIMED_OUT);
        assertThat(got.statusDetails()).isEqualTo("DeliveryTimedOut");
        assertThat(ssm.listCommands(r -> r.commandId(commandId)).commands().get(0).deliveryTimedOutCount()).isEqualTo(1);
    }

    @Test
    void cancelCommand_whenInProgress_cancelsOnlyUnfinishedInvocations() {
        String running = managedWindowsInstance();
        String done = managedWindowsInstance();
        proxy.scenario().commandOutcome(running, PS, CommandOutcome.success("late").afterPolls(5));
        String commandId = ssm.sendCommand(r -> r.documentName(PS).instanceIds(running, done)).command().commandId();
        assertThat(poll(commandId, running).status()).isEqualTo(CommandInvocationStatus.PENDING);
        assertThat(ssm.listCommands(r -> r.commandId(commandId)).commands().get(0).status())
                .isEqualTo(CommandStatus.IN_PROGRESS);

        ssm.cancelCommand(r -> r.commandId(commandId));

        assertThat(poll(commandId, running).status()).isEqualTo(CommandInvocationStatus.CANCELLED);
        assertThat(poll(commandId, done).status()).isEqualTo(CommandInvocationStatus.SUCCESS);
        assertThat(ssm.listCommands(r -> r.commandId(commandId)).commands().get(0).status())
                .isEqualTo(CommandStatus.CANCELLED);
    }

    @Test
    void sendCommand_whenInstanceNotManaged_throwsInvalidInstanceIdAndRecordsTheAttempt() {
        String id = AwsClients.runInstance(ec2, AwsClients.WINDOWS_AMI);

        assertThatThrownBy(() -> send(id, PS)).isInstanceOf(InvalidInstanceIdException.class)
                .hasMessageContaining(id);
        assertThat(proxy.counts().sentCommands()).singleElement().satisfies(c -> {
            assertThat(c.commandId()).isEmpty();
            assertThat(c.instanceIds()).containsExactly(id);
        });
    }

    @Test
    void sendCommand_whenTargetIsInstanceIds_recordsDocumentParametersInstancesAndComment() {
        String id = managedWindowsInstance();

        String commandId = ssm.sendCommand(r -> r.documentName("AWS-ConfigureAWSPackage").comment("ena")
                .targets(Target.builder().key("InstanceIds").values(id).build())
                .parameters(Map.of("action", List.of("Install"), "name", List.of("AwsEnaNetworkDriver"))))
                .command().commandId();

        assertThat(proxy.counts().sentCommands()).singleElement().isEqualTo(new SentCommand(commandId,
                "AWS-ConfigureAWSPackage", Map.of("action", List.of("Install"), "name", List.of("AwsEnaNetworkDriver")),
                List.of(id), "ena"));
    }

    @Test
    void listCommandInvocations_whenMoreThanMaxResults_pagesWithNextToken() {
        List<String> ids = AwsClients.runInstances(ec2, AwsClients.WINDOWS_AMI, 3).stream()
                .map(i -> i.instanceId()).toList();
        ids.forEach(id -> proxy.scenario().managedInstance(id, "Windows"));
        String commandId = ssm.sendCommand(r -> r.documentName(PS).instanceIds(ids)).command().commandId();

        ListCommandInvocationsResponse first = ssm.listCommandInvocations(r -> r.commandId(commandId).maxResults(2));
        ListCommandInvocationsResponse second = ssm.listCommandInvocations(
                r -> r.commandId(commandId).maxResults(2).nextToken(first.nextToken()));

        assertThat(first.commandInvocations()).hasSize(2);
        assertThat(second.commandInvocations()).hasSize(1);
        assertThat(second.nextToken()).isNull();
        assertThat(ssm.listCommandInvocationsPaginator(r -> r.commandId(commandId).maxResults(2))
                .commandInvocations().stream().map(CommandInvocation::instanceId)).containsExactlyElementsOf(ids);
    }

    @Test
    void listCommands_whenNoCommandId_listsProxyCommandsNewestFirstWithStatusFilter() {
        String id = managedWindowsInstance();
        proxy.scenario().commandOutcome(id, "Slow-Doc", CommandOutcome.success().afterPolls(3));
        String fast = send(id, PS);
        String slow = send(id, "Slow-Doc");

        assertThat(ssm.listCommands().commands()).extracting(Command::commandId).containsExactly(slow, fast);
        assertThat(ssm.listCommands(r -> r.filters(CommandFilter.builder().key("Status").value("Success").build())).commands())
                .extracting(Command::commandId).containsExactly(fast);
    }
}
