package dev.stepwise.aws.ssm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.AwsTimings;
import dev.stepwise.aws.CommandFailedException;
import dev.stepwise.aws.Testbed;
import dev.stepwise.aws.testkit.AutomationOutcome;
import dev.stepwise.aws.testkit.CommandOutcome;
import dev.stepwise.aws.testkit.FillInProxy;
import dev.stepwise.aws.testkit.MotoExtension;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.run.RunEvent;
import dev.stepwise.core.run.RunHandle;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.StepResult;
import dev.stepwise.core.run.VirtualTimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Run Command and Automation waits against the fill-in proxy, on a virtual clock with production-like
 * timings (poll every 5 s), so the number of polls and the waits between them are exact.
 */
class SsmStepsPollingIT {
    @RegisterExtension
    static final MotoExtension MOTO = MotoExtension.create();

    private static final String DOCUMENT = "AWS-RunShellScript";
    private static final Key<CommandResult> RESULT = Key.of("result", CommandResult.class);
    private static final Key<AutomationResult> AUTOMATION = Key.of("automation", AutomationResult.class);
    private static final Duration POLL = Duration.ofSeconds(5);

    private final VirtualTimeSource time = VirtualTimeSource.create();
    private FillInProxy proxy;
    private AwsContext aws;
    private String instanceId;

    @BeforeEach
    void setUp() {
        proxy = MOTO.proxy();
        aws = Testbed.context(proxy, AwsTimings.builder().pollInterval(POLL).commandTimeout(Duration.ofSeconds(30))
                .automationTimeout(Duration.ofSeconds(20)).build());
        instanceId = Testbed.launch(aws, Testbed.LINUX_AMI);
        proxy.scenario().managedInstance(instanceId, "Linux");
    }

    @AfterEach
    void tearDown() {
        aws.close();
    }

    private Plan runCommand() {
        return Plan.builder("ssm").step(SsmSteps.using(aws).runCommand("run", DOCUMENT, ctx -> List.of(instanceId),
                ctx -> Map.of("commands", List.of("echo hi")), RESULT)).build();
    }

    private static StepResult step(RunResult r, String name) {
        return r.step(name).orElseThrow();
    }

    @Test
    void runCommand_whenSsmDoesNotListTheInvocationAtFirst_treatsItAsPendingAndSucceeds() {
        proxy.scenario().commandOutcome(instanceId, DOCUMENT,
                CommandOutcome.success("hi").afterPolls(2).invocationDoesNotExistForPolls(2));

        RunResult r = Runner.create().withTimeSource(time).run(runCommand(), Inputs.empty());

        assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.output(RESULT).orElseThrow().outputOf(instanceId)).contains("hi");
        long listings = proxy.counts().count("ListCommandInvocations");
        assertThat(listings).isGreaterThan(2);
        assertThat(time.waits()).as("one poll interval between two listings")
                .hasSize((int) listings - 1).containsOnly(POLL);
    }

    @Test
    void runCommand_whenItOutlastsTheCommandTimeout_cancelsTheCommandAndNamesTheTimeout() {
        proxy.scenario().commandOutcome(instanceId, DOCUMENT, CommandOutcome.success("late").afterPolls(1000));

        RunResult r = Runner.create().withTimeSource(time).run(runCommand(), Inputs.empty());

        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(step(r, "run").failure().type()).isEqualTo(CommandFailedException.class.getName());
        assertThat(step(r, "run").failure().message())
                .isEqualTo(DOCUMENT + " did not finish on 1 instance(s) within PT30S; the commands were cancelled");
        assertThat(proxy.counts().count("ListCommandInvocations")).as("probes at 0, 5, ..., 25 s").isEqualTo(6);
        assertThat(time.waits()).containsExactly(POLL, POLL, POLL, POLL, POLL);
        assertThat(proxy.counts().count("CancelCommand")).isEqualTo(1);
    }

    @Test
    void runCommand_whenRunIsCancelledBeforeTheFirstPoll_cancelsTheCommandItSent() throws Exception {
        proxy.scenario().commandOutcome(instanceId, DOCUMENT, CommandOutcome.success("late").afterPolls(1000));
        AtomicReference<RunHandle> handle = new AtomicReference<>();
        CountDownLatch handed = new CountDownLatch(1);
        Runner runner = Runner.create().withTimeSource(time).withListener(e -> {
            if (e instanceof RunEvent.StepStarted) {
                try {
                    handed.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                }
                handle.get().cancel("operator pressed stop");
            }
        });

        handle.set(runner.start(runCommand(), Inputs.empty()));
        handed.countDown();
        RunResult r = handle.get().await();

        assertThat(r.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(proxy.counts().count("SendCommand")).isEqualTo(1);
        assertThat(proxy.counts().count("ListCommandInvocations")).as("cancellation is checked before each poll").isZero();
        assertThat(proxy.counts().count("CancelCommand")).isEqualTo(1);
    }

    @Test
    void automation_whenItOutlastsTheAutomationTimeout_stopsTheExecutionAndNamesTheTimeout() {
        proxy.scenario().automationOutcome("Custom-Slow", AutomationOutcome.success().afterPolls(1000));
        Plan plan = Plan.builder("automation").step(SsmSteps.using(aws).startAutomation("automate", "Custom-Slow",
                ctx -> Map.of("InstanceId", List.of(instanceId)), AUTOMATION)).build();

        RunResult r = Runner.create().withTimeSource(time).run(plan, Inputs.empty());

        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(step(r, "automate").failure().type()).isEqualTo(CommandFailedException.class.getName());
        assertThat(step(r, "automate").failure().message()).startsWith("Automation Custom-Slow execution ")
                .endsWith(" after PT20S; it was stopped");
        assertThat(proxy.counts().count("GetAutomationExecution")).as("probes at 0, 5, 10 and 15 s").isEqualTo(4);
        assertThat(proxy.counts().count("StopAutomationExecution")).isEqualTo(1);
        assertThat(time.waits()).containsExactly(POLL, POLL, POLL);
    }
}
