package dev.stepwise.aws.ssm;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.AwsRetry;
import dev.stepwise.aws.CommandFailedException;
import dev.stepwise.core.CancelledException;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Prediction;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.plan.StepContext;
import dev.stepwise.core.poll.Outcome;
import dev.stepwise.core.poll.Poll;
import dev.stepwise.core.poll.PollTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ssm.model.AutomationExecution;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.CommandInvocation;
import software.amazon.awssdk.services.ssm.model.CommandPlugin;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;
import software.amazon.awssdk.services.ssm.model.InstanceInformationStringFilter;
import software.amazon.awssdk.services.ssm.model.ListCommandInvocationsResponse;

/**
 * Reusable SSM steps: the managed-instance check, Run Command and Automation. Run Command sends at most 50
 * instance ids per {@code SendCommand} and polls each command with one {@code ListCommandInvocations} per
 * round (50 results a page), treating invocations SSM does not list yet as pending. A cancelled run cancels
 * the commands it sent. Every MUTATING step predicts the exact calls it would make. Thread-safe.
 *
 * <pre>{@code
 * SsmSteps ssm = SsmSteps.using(aws);
 * Step.Builder<CommandResult> scan = ssm.runCommand("scan", "AWS-RunPatchBaseline",
 *     ctx -> List.of(ctx.get(INSTANCE_ID)), ctx -> Map.of("Operation", List.of("Scan")), SCAN_RESULT);
 * }</pre>
 */
public final class SsmSteps {
    private static final Logger log = LoggerFactory.getLogger(SsmSteps.class);

    /** The most instance ids one SendCommand takes. */
    public static final int MAX_INSTANCES_PER_COMMAND = 50;
    private static final Set<String> TERMINAL = Set.of("Success", "Failed", "TimedOut", "Cancelled");
    private static final Set<String> AUTOMATION_TERMINAL = Set.of("Success", "Failed", "TimedOut", "Cancelled",
            "CompletedWithSuccess", "CompletedWithFailure", "Rejected", "Exited");

    private static final String RERUN_SAFETY = "looks for the command this run and step sent, by its comment, before sending";

    private final AwsContext aws;

    private SsmSteps(AwsContext aws) {
        this.aws = Objects.requireNonNull(aws, "aws");
    }

    /** Steps acting in {@code aws}. */
    public static SsmSteps using(AwsContext aws) {
        return new SsmSteps(aws);
    }

    /** READ_ONLY: whether SSM manages the instance and its agent answers ({@code PingStatus} {@code Online}). */
    public Step.Builder<Boolean> isManaged(String name, Key<String> instanceId, Key<Boolean> out) {
        return Step.readOnly(name).output(out).reads(instanceId).retry(AwsRetry.throttling())
                .describedAs("ask SSM whether it manages the instance and its agent is online")
                .action(ctx -> managed(List.of(ctx.get(instanceId))).containsKey(ctx.get(instanceId)));
    }

    /** The instances among {@code instanceIds} that SSM manages with an online agent, with their information. */
    public Map<String, InstanceInformation> managed(List<String> instanceIds) {
        Map<String, InstanceInformation> out = new LinkedHashMap<>();
        for (List<String> batch : batches(instanceIds)) {
            String token = null;
            do {
                String t = token;
                var resp = aws.ssm().describeInstanceInformation(r -> r.nextToken(t).maxResults(50)
                        .filters(InstanceInformationStringFilter.builder().key("InstanceIds").values(batch).build()));
                for (InstanceInformation i : resp.instanceInformationList()) {
                    if ("Online".equals(i.pingStatusAsString())) {
                        out.put(i.instanceId(), i);
                    }
                }
                token = resp.nextToken();
            } while (token != null && !token.isEmpty());
        }
        return out;
    }

    /**
     * What SSM reports for one instance ({@code DescribeInstanceInformation}), whatever its {@code PingStatus};
     * empty when SSM does not know it.
     */
    public Optional<InstanceInformation> information(String instanceId) {
        return aws.ssm().describeInstanceInformation(r -> r.maxResults(5)
                        .filters(InstanceInformationStringFilter.builder().key("InstanceIds").values(instanceId).build()))
                .instanceInformationList().stream().filter(i -> instanceId.equals(i.instanceId())).findFirst();
    }

    /**
     * Polls until SSM reports the instance {@code Online}, on the run's clock, for at most {@code timeout}.
     *
     * @throws PollTimeoutException when it never does
     */
    public InstanceInformation awaitOnline(StepContext ctx, String instanceId, Duration timeout) {
        return pollFor(timeout, "SSM to report " + instanceId + " Online").until(ctx, () -> {
            Optional<InstanceInformation> i = information(instanceId);
            return i.isPresent() && "Online".equals(i.get().pingStatusAsString()) ? Outcome.done(i.get())
                    : Outcome.waiting(i.map(InstanceInformation::pingStatusAsString).orElse("not managed"));
        });
    }

    /**
     * MUTATING: runs an SSM document on instances through Run Command and waits for every invocation to end.
     * The step fails with {@link CommandFailedException}, carrying each failed instance's output, unless every
     * invocation succeeded.
     */
    public Step.Builder<CommandResult> runCommand(String name, String documentName,
            Function<StepContext, List<String>> instanceIds, Function<StepContext, Map<String, List<String>>> parameters,
            Key<CommandResult> out) {
        Objects.requireNonNull(documentName, "documentName");
        return Step.mutating(name).output(out).retry(AwsRetry.throttling())
                .rerunnable(RERUN_SAFETY)
                .describedAs("run " + documentName + " through Run Command and wait for every instance")
                .predict(ctx -> predictSend(ctx, documentName, instanceIds.apply(ctx), parameters.apply(ctx)))
                .action(ctx -> requireSuccess(run(ctx, documentName, instanceIds.apply(ctx), parameters.apply(ctx))));
    }

    /**
     * MUTATING: installs one package on one instance with {@code AWS-ConfigureAWSPackage} ({@code action}
     * Install); the output is the command's output on the instance.
     *
     * @param installationType {@code "Uninstall and reinstall"} or {@code "In-place update"}, or null for SSM's default
     */
    public Step.Builder<String> installPackage(String name, Key<String> instanceId, String packageName,
            String installationType, Key<String> out) {
        Function<StepContext, Map<String, List<String>>> params = ctx -> {
            Map<String, List<String>> p = new LinkedHashMap<>();
            p.put("action", List.of("Install"));
            if (installationType != null) {
                p.put("installationType", List.of(installationType));
            }
            p.put("name", List.of(packageName));
            return p;
        };
        return Step.mutating(name).output(out).reads(instanceId).retry(AwsRetry.throttling())
                .rerunnable(RERUN_SAFETY)
                .describedAs("install " + packageName + " with AWS-ConfigureAWSPackage"
                        + (installationType == null ? "" : " (" + installationType + ")"))
                .predict(ctx -> predictSend(ctx, "AWS-ConfigureAWSPackage", List.of(ctx.get(instanceId)), params.apply(ctx)))
                .action(ctx -> {
                    String id = ctx.get(instanceId);
                    return requireSuccess(run(ctx, "AWS-ConfigureAWSPackage", List.of(id), params.apply(ctx))).outputOf(id);
                });
    }

    /**
     * Returns {@code r} if every invocation succeeded; otherwise throws a {@link CommandFailedException} naming each
     * failed instance with its status, exit code and output.
     */
    public static CommandResult requireSuccess(CommandResult r) {
        if (!r.allSucceeded()) {
            throw new CommandFailedException(describeFailures(r));
        }
        return r;
    }

    private static String describeFailures(CommandResult r) {
        StringBuilder b = new StringBuilder(r.documentName()).append(" did not succeed on ")
                .append(r.failures().size()).append(" of ").append(r.invocations().size()).append(" instance(s)");
        for (CommandResult.Invocation i : r.failures()) {
            b.append("; ").append(i.instanceId()).append(": ").append(i.status())
                    .append(i.statusDetails().isEmpty() || i.statusDetails().equals(i.status()) ? "" : " (" + i.statusDetails() + ")")
                    .append(i.responseCode() >= 0 ? ", exit code " + i.responseCode() : "")
                    .append(i.output().isBlank() ? "" : ", output: " + i.output().strip());
        }
        return b.toString();
    }

    /** The SendCommand calls {@link #run} makes for these instances (one per batch of 50), as a dry run shows them. */
    public static List<Prediction> predictSend(StepContext ctx, String documentName, List<String> instanceIds,
            Map<String, List<String>> parameters) {
        List<Prediction> out = new ArrayList<>();
        for (List<String> batch : batches(instanceIds)) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("DocumentName", documentName);
            p.put("InstanceIds", batch);
            p.put("Parameters", parameters);
            p.put("Comment", comment(ctx));
            out.add(Prediction.call("ssm", "SendCommand", p));
        }
        return out;
    }

    /** The comment every command carries, so a resumed run can find what it sent: {@code stepwise:<runId>:<step>}. */
    public static String comment(StepContext ctx) {
        String c = "stepwise:" + ctx.runId() + ":" + ctx.stepName();
        return c.length() <= 100 ? c : c.substring(0, 100);
    }

    static List<List<String>> batches(List<String> ids) {
        if (ids.isEmpty()) {
            throw new dev.stepwise.core.PlanValidationException("Run Command",
                    List.of("instanceIds [] is empty: give at least one instance id"));
        }
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += MAX_INSTANCES_PER_COMMAND) {
            out.add(List.copyOf(ids.subList(i, Math.min(ids.size(), i + MAX_INSTANCES_PER_COMMAND))));
        }
        return out;
    }

    /** Sends the document in batches and waits for every invocation; cancels the commands if the run is cancelled. */
    public CommandResult run(StepContext ctx, String documentName, List<String> instanceIds,
            Map<String, List<String>> parameters) {
        Poll commandPoll = pollFor(aws.timings().commandTimeout(), documentName + " to finish on "
                + instanceIds.size() + " instance(s)");
        List<String> commandIds = new ArrayList<>();
        String comment = comment(ctx);
        for (List<String> batch : batches(instanceIds)) {
            if (ctx.isRerun()) {
                Optional<String> earlier = findSentCommand(comment, documentName, batch);
                if (earlier.isPresent()) {
                    log.info("Following command {} that this run's step {} already sent", earlier.get(), ctx.stepName());
                    commandIds.add(earlier.get());
                    continue;
                }
            }
            String id = aws.ssm().sendCommand(r -> r.documentName(documentName).instanceIds(batch)
                    .parameters(parameters).comment(comment)).command().commandId();
            commandIds.add(id);
            log.info("Sent {} to {} instance(s) as command {}", documentName, batch.size(), id);
        }
        Map<String, CommandResult.Invocation> done = new LinkedHashMap<>();
        try {
            commandPoll.until(ctx, () -> {
                for (String commandId : commandIds) {
                    poll(commandId, done);
                }
                int pending = instanceIds.size() - done.size();
                return done.keySet().containsAll(instanceIds) ? Outcome.done(done)
                        : Outcome.waiting(pending + " of " + instanceIds.size() + " instance(s) not finished");
            });
        } catch (PollTimeoutException e) {
            cancel(commandIds);
            throw new CommandFailedException(documentName + " did not finish on " + (instanceIds.size() - done.size())
                    + " instance(s) within " + e.timeout() + "; the commands were cancelled", e);
        } catch (CancelledException e) {
            cancel(commandIds);
            throw e;
        }
        Map<String, CommandResult.Invocation> ordered = new LinkedHashMap<>();
        for (String id : instanceIds) {
            ordered.put(id, done.get(id));
        }
        return new CommandResult(documentName, commandIds, ordered);
    }

    /** The command a run's step sent to this batch, found by its comment. */
    public Optional<String> findSentCommand(String comment, String documentName, List<String> batch) {
        String token = null;
        do {
            String t = token;
            var resp = aws.ssm().listCommands(r -> r.instanceId(batch.get(0)).maxResults(50).nextToken(t));
            for (Command c : resp.commands()) {
                if (comment.equals(c.comment()) && documentName.equals(c.documentName())
                        && c.instanceIds().containsAll(batch)) {
                    return Optional.of(c.commandId());
                }
            }
            token = resp.nextToken();
        } while (token != null && !token.isEmpty());
        return Optional.empty();
    }

    private void poll(String commandId, Map<String, CommandResult.Invocation> done) {
        String token = null;
        do {
            String t = token;
            ListCommandInvocationsResponse resp = aws.ssm().listCommandInvocations(r -> r.commandId(commandId)
                    .details(true).maxResults(50).nextToken(t));
            for (CommandInvocation inv : resp.commandInvocations()) {
                String status = inv.statusAsString();
                if (TERMINAL.contains(status) && !done.containsKey(inv.instanceId())) {
                    List<CommandPlugin> plugins = inv.commandPlugins();
                    String output = plugins.stream().map(p -> p.output() == null ? "" : p.output())
                            .reduce((a, b) -> a.isEmpty() ? b : b.isEmpty() ? a : a + "\n" + b).orElse("");
                    int code = plugins.stream().mapToInt(p -> p.responseCode() == null ? -1 : p.responseCode())
                            .filter(c -> c != 0).findFirst().orElse(plugins.isEmpty() ? -1 : 0);
                    done.put(inv.instanceId(), new CommandResult.Invocation(inv.instanceId(), commandId, status,
                            inv.statusDetails() == null ? "" : inv.statusDetails(), code, output));
                }
            }
            token = resp.nextToken();
        } while (token != null && !token.isEmpty());
    }

    private Poll pollFor(Duration timeout, String description) {
        return Poll.builder().every(aws.timings().pollInterval()).timeout(timeout).describedAs(description).build();
    }

    private void cancel(List<String> commandIds) {
        for (String id : commandIds) {
            try {
                aws.ssm().cancelCommand(r -> r.commandId(id));
                log.info("Cancelled command {}", id);
            } catch (AwsServiceException e) {
                log.warn("Could not cancel command {}: {}", id, e.awsErrorDetails() == null ? e.getMessage()
                        : e.awsErrorDetails().errorCode());
            }
        }
    }

    /**
     * MUTATING: starts an SSM Automation execution and waits for it to end; fails with
     * {@link CommandFailedException} unless it succeeded.
     */
    public Step.Builder<AutomationResult> startAutomation(String name, String documentName,
            Function<StepContext, Map<String, List<String>>> parameters, Key<AutomationResult> out) {
        return Step.mutating(name).output(out).retry(AwsRetry.throttling())
                .describedAs("run the Automation document " + documentName + " and wait for it to end")
                .predict(ctx -> List.of(Prediction.call("ssm", "StartAutomationExecution",
                        Map.of("DocumentName", documentName, "Parameters", redact(parameters.apply(ctx))))))
                .action(ctx -> {
                    AutomationResult r = automation(ctx, documentName, parameters.apply(ctx));
                    if (!r.succeeded()) {
                        throw new CommandFailedException("Automation " + documentName + " execution " + r.executionId()
                                + " ended " + r.status() + (r.failureMessage().isEmpty() ? "" : ": " + r.failureMessage()));
                    }
                    return r;
                });
    }

    /** Long encoded scripts make predictions unreadable: they are shown by length. */
    private static Map<String, Object> redact(Map<String, List<String>> params) {
        Map<String, Object> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, v.size() == 1 && v.get(0).length() > 120
                ? List.of("<" + v.get(0).length() + " characters>") : v));
        return out;
    }

    /** Starts an Automation execution and polls it to a terminal status. */
    public AutomationResult automation(StepContext ctx, String documentName, Map<String, List<String>> parameters) {
        Poll automationPoll = pollFor(aws.timings().automationTimeout(), "Automation " + documentName + " to end");
        String executionId = aws.ssm().startAutomationExecution(r -> r.documentName(documentName).parameters(parameters))
                .automationExecutionId();
        log.info("Started Automation {} as {}", documentName, executionId);
        try {
            return automationPoll.until(ctx, () -> {
                AutomationExecution e = aws.ssm().getAutomationExecution(r -> r.automationExecutionId(executionId))
                        .automationExecution();
                String status = e.automationExecutionStatusAsString();
                return AUTOMATION_TERMINAL.contains(status)
                        ? Outcome.done(new AutomationResult(executionId, status, e.outputs(), e.failureMessage()))
                        : Outcome.waiting(status);
            });
        } catch (PollTimeoutException t) {
            aws.ssm().stopAutomationExecution(r -> r.automationExecutionId(executionId));
            throw new CommandFailedException("Automation " + documentName + " execution " + executionId
                    + " was still " + t.lastState() + " after " + t.timeout() + "; it was stopped", t);
        } catch (CancelledException c) {
            try {
                aws.ssm().stopAutomationExecution(r -> r.automationExecutionId(executionId));
            } catch (AwsServiceException e) {
                log.warn("Could not stop Automation execution {}: {}", executionId, e.getMessage());
            }
            throw c;
        }
    }
}
