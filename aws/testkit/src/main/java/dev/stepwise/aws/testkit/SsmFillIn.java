package dev.stepwise.aws.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.aws.testkit.ScenarioState.AutomationRun;
import dev.stepwise.aws.testkit.ScenarioState.CommandRun;
import dev.stepwise.aws.testkit.ScenarioState.Invocation;
import dev.stepwise.aws.testkit.ScenarioState.PatchInventory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers the SSM operations Moto lacks or gets wrong, from the scenario, in SSM's JSON 1.1 protocol. */
final class SsmFillIn {

    private static final Logger log = LoggerFactory.getLogger(SsmFillIn.class);

    static final int STDOUT_LIMIT = 24_000;
    static final int PLUGIN_OUTPUT_LIMIT = 2_500;
    static final String EC2_RESCUE = "AWSSupport-StartEC2RescueWorkflow";
    static final String PATCH_BASELINE = "AWS-RunPatchBaseline";
    static final Set<String> FILLED_IN = Set.of("DescribeInstanceInformation", "SendCommand", "GetCommandInvocation",
            "ListCommandInvocations", "ListCommands", "CancelCommand", "DescribeInstancePatchStates",
            "DescribeInstancePatches", "DescribeInstancePatchStatesForPatchGroup", "StartAutomationExecution",
            "GetAutomationExecution", "StopAutomationExecution", "GetPatchBaseline");

    private final ScenarioState state;
    private final RequestLog requests;

    public SsmFillIn(ScenarioState state, RequestLog requests) {
        this.state = state;
        this.requests = requests;
    }

    /** A request the fill-in rejects, answered as SSM's JSON error. */
    static final class SsmError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String code;

        SsmError(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    /**
     * @param operation the operation from {@code X-Amz-Target}
     * @param body      the JSON body
     * @return the answer, or empty to forward the request to Moto
     */
    public Optional<Wire.Response> handle(String operation, byte[] body) {
        if (!FILLED_IN.contains(operation)) {
            return Optional.empty();
        }
        JsonNode req;
        try {
            req = body.length == 0 ? Wire.JSON.createObjectNode() : Wire.JSON.readTree(body);
        } catch (IOException e) {
            return Optional.of(Wire.jsonError(400, "SerializationException", "body is not JSON: " + e.getMessage()));
        }
        try {
            synchronized (state) {
                Object answer = switch (operation) {
                    case "DescribeInstanceInformation" -> describeInstanceInformation(req);
                    case "SendCommand" -> sendCommand(req);
                    case "GetCommandInvocation" -> getCommandInvocation(req);
                    case "ListCommandInvocations" -> listCommandInvocations(req);
                    case "ListCommands" -> listCommands(req);
                    case "CancelCommand" -> cancelCommand(req);
                    case "DescribeInstancePatchStates" -> describeInstancePatchStates(req);
                    case "DescribeInstancePatches" -> describeInstancePatches(req);
                    case "DescribeInstancePatchStatesForPatchGroup" -> describePatchStatesForGroup(req);
                    case "StartAutomationExecution" -> startAutomation(req);
                    case "GetAutomationExecution" -> getAutomation(req);
                    case "StopAutomationExecution" -> stopAutomation(req);
                    case "GetPatchBaseline" -> getPatchBaseline(req);
                    default -> null;
                };
                if (answer == null) {
                    return Optional.empty();
                }
                log.debug("filled in SSM {}", operation);
                return Optional.of(Wire.json(200, answer));
            }
        } catch (SsmError e) {
            return Optional.of(Wire.jsonError(400, e.code, e.getMessage()));
        }
    }

    // ---- DescribeInstanceInformation ----

    private ObjectNode describeInstanceInformation(JsonNode req) {
        List<Predicate<ManagedInstance>> filters = new ArrayList<>();
        for (JsonNode f : req.path("InstanceInformationFilterList")) {
            filters.add(instanceFilter(f.path("key").asText(f.path("Key").asText()), strings(f.path("valueSet"))));
        }
        for (JsonNode f : req.path("Filters")) {
            filters.add(instanceFilter(f.path("Key").asText(), strings(f.path("Values"))));
        }
        List<ManagedInstance> matching = state.managed.values().stream()
                .filter(m -> filters.stream().allMatch(p -> p.test(m))).toList();
        Page<ManagedInstance> page = page(matching, req, 50, 5, 50);
        ObjectNode out = Wire.JSON.createObjectNode();
        ArrayNode list = out.putArray("InstanceInformationList");
        Instant now = state.clock.instant();
        for (ManagedInstance m : page.items) {
            ObjectNode n = list.addObject();
            n.put("InstanceId", m.instanceId());
            n.put("PingStatus", m.pingStatus().wireName());
            n.put("LastPingDateTime", Wire.epoch(m.pingStatus() == ManagedInstance.PingStatus.ONLINE
                    ? now : now.minus(Duration.ofHours(1))));
            n.put("AgentVersion", m.agentVersion());
            n.put("IsLatestVersion", m.latestAgent());
            n.put("PlatformType", m.platformType().wireName());
            n.put("PlatformName", m.platformName());
            n.put("PlatformVersion", m.platformVersion());
            n.put("ResourceType", m.instanceId().startsWith("mi-") ? "ManagedInstance" : "EC2Instance");
            n.put("ComputerName", m.instanceId() + ".ec2.internal");
            n.put("IPAddress", "10.0.0.1");
            n.put("AssociationStatus", "Success");
        }
        page.token.ifPresent(t -> out.put("NextToken", t));
        return out;
    }

    private static Predicate<ManagedInstance> instanceFilter(String key, List<String> values) {
        return switch (key) {
            case "InstanceIds" -> m -> values.contains(m.instanceId());
            case "PingStatus" -> m -> values.contains(m.pingStatus().wireName());
            case "PlatformTypes", "PlatformType" -> m -> values.contains(m.platformType().wireName());
            case "AgentVersion" -> m -> values.contains(m.agentVersion());
            case "ResourceType" -> m -> values.contains(m.instanceId().startsWith("mi-") ? "ManagedInstance" : "EC2Instance");
            default -> throw new SsmError("InvalidInstanceInformationFilterValue",
                    "filter key \"" + key + "\" is not supported by the fill-in proxy; use InstanceIds, PingStatus,"
                            + " PlatformTypes, AgentVersion or ResourceType");
        };
    }

    // ---- Run Command ----

    private ObjectNode sendCommand(JsonNode req) {
        String document = req.path("DocumentName").asText("");
        Map<String, List<String>> parameters = stringLists(req.path("Parameters"));
        String comment = req.path("Comment").asText("");
        Set<String> ids = new LinkedHashSet<>(strings(req.path("InstanceIds")));
        boolean otherTargets = false;
        for (JsonNode t : req.path("Targets")) {
            if ("InstanceIds".equals(t.path("Key").asText())) {
                ids.addAll(strings(t.path("Values")));
            } else {
                otherTargets = true;
            }
        }
        if (otherTargets) {
            // Moto resolves tag targets against its own EC2 instances; the proxy cannot model those.
            requests.recordCommand(new SentCommand("", document, parameters, List.copyOf(ids), comment));
            return null;
        }
        try {
            if (document.isEmpty()) {
                throw new SsmError("ValidationException",
                        "1 validation error detected: Value null at 'documentName' failed to satisfy constraint: "
                                + "Member must not be null");
            }
            if (ids.isEmpty()) {
                throw new SsmError("ValidationException", "SendCommand needs InstanceIds or Targets; both are empty");
            }
            if (ids.size() > 50) {
                throw new SsmError("ValidationException", "1 validation error detected: Value at 'instanceIds' failed "
                        + "to satisfy constraint: Member must have length less than or equal to 50 (was " + ids.size() + ")");
            }
            List<String> unmanaged = ids.stream().filter(id -> !state.managed.containsKey(id)).toList();
            if (!unmanaged.isEmpty()) {
                throw new SsmError("InvalidInstanceId", "Instances " + unmanaged
                        + " not in a valid state for account 123456789012 (the scenario does not call them managed)");
            }
        } catch (SsmError e) {
            requests.recordCommand(new SentCommand("", document, parameters, List.copyOf(ids), comment));
            throw e;
        }
        Instant now = state.clock.instant();
        String commandId = UUID.randomUUID().toString();
        CommandRun run = new CommandRun(commandId, document, req.path("DocumentVersion").asText("$DEFAULT"),
                parameters, List.copyOf(ids), comment, req.path("TimeoutSeconds").asInt(3600), now);
        // reference §1 InstallOverrideList: "Giving it together with BaselineOverride makes the document fail"
        boolean bothOverrides = PATCH_BASELINE.equals(document)
                && parameters.getOrDefault("InstallOverrideList", List.of()).stream().anyMatch(v -> !v.isEmpty())
                && parameters.getOrDefault("BaselineOverride", List.of()).stream().anyMatch(v -> !v.isEmpty());
        for (String id : ids) {
            Optional<String> unknownOverride = PATCH_BASELINE.equals(document) && !bothOverrides
                    ? unknownOverride(parameters, id) : Optional.empty();
            Invocation inv = new Invocation(id, bothOverrides ? CommandOutcome.failed("AWS-RunPatchBaseline: "
                    + "InstallOverrideList and BaselineOverride cannot be given together", 1)
                    : unknownOverride.isPresent() ? CommandOutcome.failed(unknownOverride.get(), 1)
                    : state.outcomeFor(id, document));
            run.invocations.put(id, inv);
            if (inv.terminal(inv.statusAt(0))) {
                reachTerminal(run, inv, now);
            }
        }
        state.commands.put(commandId, run);
        requests.recordCommand(new SentCommand(commandId, document, parameters, run.instanceIds, comment));
        log.info("SendCommand {} of {} to {} filled in", commandId, document, ids);
        ObjectNode out = Wire.JSON.createObjectNode();
        ObjectNode command = commandJson(run);
        command.put("Status", "Pending");
        command.put("StatusDetails", "Pending");
        command.put("CompletedCount", 0);
        command.put("ErrorCount", 0);
        command.put("DeliveryTimedOutCount", 0);
        out.set("Command", command);
        return out;
    }

    /** One poll of an invocation: reports its status and moves it on. */
    private String observe(CommandRun run, Invocation inv) {
        Instant now = state.clock.instant();
        String status = inv.statusAt(inv.polls);
        inv.polls++;
        if (inv.started == null && !status.equals("Pending")) {
            inv.started = now;
        }
        if (inv.terminal(status) && inv.ended == null) {
            reachTerminal(run, inv, now);
        }
        return status;
    }

    private void reachTerminal(CommandRun run, Invocation inv, Instant now) {
        if (inv.started == null) {
            inv.started = now;
        }
        inv.ended = now;
        if (!inv.cancelled && inv.outcome.status() == CommandOutcome.Status.SUCCESS
                && PATCH_BASELINE.equals(run.documentName)) {
            applyPatchBaseline(run, inv.instanceId, now);
        }
    }

    private ObjectNode getCommandInvocation(JsonNode req) {
        String commandId = req.path("CommandId").asText("");
        String instanceId = req.path("InstanceId").asText("");
        CommandRun run = state.commands.get(commandId);
        if (run == null) {
            return null;
        }
        Invocation inv = run.invocations.get(instanceId);
        if (inv == null) {
            throw new SsmError("InvocationDoesNotExist", "");
        }
        if (inv.notFoundLeft > 0) {
            inv.notFoundLeft--;
            throw new SsmError("InvocationDoesNotExist", "");
        }
        String plugin = pluginName(run, instanceId);
        String askedPlugin = req.path("PluginName").asText("");
        if (!askedPlugin.isEmpty() && !askedPlugin.equals(plugin)) {
            throw new SsmError("InvalidPluginName", "PluginName \"" + askedPlugin + "\" is not a plugin of "
                    + run.documentName + "; the fill-in proxy names it \"" + plugin + "\"");
        }
        String status = observe(run, inv);
        boolean done = inv.terminal(status);
        ObjectNode out = Wire.JSON.createObjectNode();
        out.put("CommandId", commandId);
        out.put("InstanceId", instanceId);
        out.put("Comment", run.comment);
        out.put("DocumentName", run.documentName);
        out.put("DocumentVersion", run.documentVersion);
        out.put("PluginName", plugin);
        out.put("ResponseCode", done ? exitCode(inv) : -1);
        out.put("ExecutionStartDateTime", inv.started == null || status.equals("Pending") ? "" : iso(inv.started));
        out.put("ExecutionElapsedTime", inv.started == null || status.equals("Pending") ? ""
                : Duration.between(inv.started, done ? inv.ended : state.clock.instant()).toString());
        out.put("ExecutionEndDateTime", done ? iso(inv.ended) : "");
        out.put("Status", status);
        out.put("StatusDetails", inv.details(status));
        out.put("StandardOutputContent", done && !inv.cancelled ? cut(inv.outcome.output(), STDOUT_LIMIT) : "");
        out.put("StandardOutputUrl", "");
        out.put("StandardErrorContent", done && !inv.cancelled ? cut(inv.outcome.errorOutput(), STDOUT_LIMIT) : "");
        out.put("StandardErrorUrl", "");
        ObjectNode cw = out.putObject("CloudWatchOutputConfig");
        cw.put("CloudWatchLogGroupName", "");
        cw.put("CloudWatchOutputEnabled", false);
        return out;
    }

    private ObjectNode listCommandInvocations(JsonNode req) {
        String commandId = req.path("CommandId").asText("");
        String instanceId = req.path("InstanceId").asText("");
        if (!commandId.isEmpty() && !state.commands.containsKey(commandId)) {
            throw new SsmError("InvalidCommandId", "CommandId \"" + commandId + "\" is not a command of the fill-in proxy");
        }
        Predicate<CommandRun> runFilter = commandFilters(req.path("Filters"));
        List<Map.Entry<CommandRun, Invocation>> visible = new ArrayList<>();
        for (CommandRun run : newestFirst()) {
            if (!commandId.isEmpty() && !run.commandId.equals(commandId) || !runFilter.test(run)) {
                continue;
            }
            for (Invocation inv : run.invocations.values()) {
                if (!instanceId.isEmpty() && !inv.instanceId.equals(instanceId)) {
                    continue;
                }
                if (inv.notFoundLeft > 0) {
                    inv.notFoundLeft--;
                    continue;
                }
                visible.add(Map.entry(run, inv));
            }
        }
        Page<Map.Entry<CommandRun, Invocation>> page = page(visible, req, 50, 1, 50);
        boolean details = req.path("Details").asBoolean(false);
        ObjectNode out = Wire.JSON.createObjectNode();
        ArrayNode list = out.putArray("CommandInvocations");
        for (Map.Entry<CommandRun, Invocation> e : page.items) {
            CommandRun run = e.getKey();
            Invocation inv = e.getValue();
            String status = observe(run, inv);
            boolean done = inv.terminal(status);
            ObjectNode n = list.addObject();
            n.put("CommandId", run.commandId);
            n.put("InstanceId", inv.instanceId);
            n.put("InstanceName", "");
            n.put("Comment", run.comment);
            n.put("DocumentName", run.documentName);
            n.put("DocumentVersion", run.documentVersion);
            n.put("RequestedDateTime", Wire.epoch(run.requested));
            n.put("Status", status);
            n.put("StatusDetails", inv.details(status));
            n.put("TraceOutput", "");
            n.put("StandardOutputUrl", "");
            n.put("StandardErrorUrl", "");
            ArrayNode plugins = n.putArray("CommandPlugins");
            if (details) {
                ObjectNode p = plugins.addObject();
                p.put("Name", pluginName(run, inv.instanceId));
                p.put("Status", status);
                p.put("StatusDetails", inv.details(status));
                p.put("ResponseCode", done ? exitCode(inv) : -1);
                if (inv.started != null && !status.equals("Pending")) {
                    p.put("ResponseStartDateTime", Wire.epoch(inv.started));
                }
                if (done) {
                    p.put("ResponseFinishDateTime", Wire.epoch(inv.ended));
                }
                p.put("Output", done && !inv.cancelled ? cut(inv.outcome.output(), PLUGIN_OUTPUT_LIMIT) : "");
                p.put("StandardOutputUrl", "");
                p.put("StandardErrorUrl", "");
                p.put("OutputS3Region", "us-east-1");
                p.put("OutputS3BucketName", "");
                p.put("OutputS3KeyPrefix", "");
            }
            n.put("ServiceRole", "");
            ObjectNode cw = n.putObject("CloudWatchOutputConfig");
            cw.put("CloudWatchLogGroupName", "");
            cw.put("CloudWatchOutputEnabled", false);
        }
        page.token.ifPresent(t -> out.put("NextToken", t));
        return out;
    }

    private ObjectNode listCommands(JsonNode req) {
        String commandId = req.path("CommandId").asText("");
        if (!commandId.isEmpty() && !state.commands.containsKey(commandId)) {
            return null;
        }
        String instanceId = req.path("InstanceId").asText("");
        Predicate<CommandRun> filter = commandFilters(req.path("Filters"));
        List<CommandRun> runs = newestFirst().stream()
                .filter(r -> commandId.isEmpty() || r.commandId.equals(commandId))
                .filter(r -> instanceId.isEmpty() || r.invocations.containsKey(instanceId))
                .filter(filter).toList();
        Page<CommandRun> page = page(runs, req, 50, 1, 50);
        ObjectNode out = Wire.JSON.createObjectNode();
        ArrayNode list = out.putArray("Commands");
        page.items.forEach(r -> list.add(commandJson(r)));
        page.token.ifPresent(t -> out.put("NextToken", t));
        return out;
    }

    private ObjectNode cancelCommand(JsonNode req) {
        String commandId = req.path("CommandId").asText("");
        CommandRun run = state.commands.get(commandId);
        if (run == null) {
            throw new SsmError("InvalidCommandId", "CommandId \"" + commandId + "\" is not a command of the fill-in proxy");
        }
        List<String> only = strings(req.path("InstanceIds"));
        Instant now = state.clock.instant();
        for (Invocation inv : run.invocations.values()) {
            if ((only.isEmpty() || only.contains(inv.instanceId)) && !inv.terminal(inv.currentStatus())) {
                inv.cancelled = true;
                reachTerminal(run, inv, now);
            }
        }
        log.info("CancelCommand {} filled in", commandId);
        return Wire.JSON.createObjectNode();
    }

    private List<CommandRun> newestFirst() {
        List<CommandRun> runs = new ArrayList<>(state.commands.values());
        Collections.reverse(runs);
        return runs;
    }

    private Predicate<CommandRun> commandFilters(JsonNode filters) {
        Predicate<CommandRun> all = r -> true;
        for (JsonNode f : filters) {
            String key = f.path("key").asText(f.path("Key").asText());
            String value = f.path("value").asText(f.path("Value").asText());
            Predicate<CommandRun> p = switch (key) {
                case "DocumentName" -> r -> r.documentName.equals(value);
                case "Status" -> r -> commandStatus(r).equals(value);
                case "ExecutionStage" -> r -> value.equals("Complete") == isTerminal(commandStatus(r));
                case "InvokedAfter" -> r -> !r.requested.isBefore(Instant.parse(value));
                case "InvokedBefore" -> r -> !r.requested.isAfter(Instant.parse(value));
                default -> throw new SsmError("InvalidFilterKey", "filter key \"" + key
                        + "\" is not one of DocumentName, Status, ExecutionStage, InvokedAfter, InvokedBefore");
            };
            all = all.and(p);
        }
        return all;
    }

    private ObjectNode commandJson(CommandRun run) {
        ObjectNode c = Wire.JSON.createObjectNode();
        c.put("CommandId", run.commandId);
        c.put("DocumentName", run.documentName);
        c.put("DocumentVersion", run.documentVersion);
        c.put("Comment", run.comment);
        c.put("ExpiresAfter", Wire.epoch(run.requested.plusSeconds(run.timeoutSeconds)));
        ObjectNode params = c.putObject("Parameters");
        run.parameters.forEach((k, v) -> v.forEach(params.putArray(k)::add));
        ArrayNode ids = c.putArray("InstanceIds");
        run.instanceIds.forEach(ids::add);
        c.putArray("Targets");
        c.put("RequestedDateTime", Wire.epoch(run.requested));
        String status = commandStatus(run);
        c.put("Status", status);
        c.put("StatusDetails", commandDetails(run, status));
        c.put("OutputS3Region", "us-east-1");
        c.put("OutputS3BucketName", "");
        c.put("OutputS3KeyPrefix", "");
        c.put("MaxConcurrency", "50");
        c.put("MaxErrors", "0");
        c.put("TargetCount", run.invocations.size());
        int completed = 0;
        int errors = 0;
        int deliveryTimedOut = 0;
        for (Invocation inv : run.invocations.values()) {
            String s = inv.currentStatus();
            if (inv.terminal(s)) {
                completed++;
                if (!inv.cancelled && inv.outcome.status() == CommandOutcome.Status.DELIVERY_TIMED_OUT) {
                    deliveryTimedOut++;
                } else if (s.equals("Failed") || s.equals("TimedOut")) {
                    errors++;
                }
            }
        }
        c.put("CompletedCount", completed);
        c.put("ErrorCount", errors);
        c.put("DeliveryTimedOutCount", deliveryTimedOut);
        c.put("ServiceRole", "");
        ObjectNode cw = c.putObject("CloudWatchOutputConfig");
        cw.put("CloudWatchLogGroupName", "");
        cw.put("CloudWatchOutputEnabled", false);
        c.put("TimeoutSeconds", run.timeoutSeconds);
        return c;
    }

    /** The command's status from its invocations' current states. */
    static String commandStatus(CommandRun run) {
        List<String> statuses = run.invocations.values().stream().map(Invocation::currentStatus).toList();
        if (statuses.stream().anyMatch(s -> !isTerminal(s))) {
            return statuses.stream().allMatch("Pending"::equals) ? "Pending" : "InProgress";
        }
        for (String worst : List.of("Failed", "TimedOut", "Cancelled")) {
            if (statuses.contains(worst)) {
                return worst;
            }
        }
        return "Success";
    }

    private static String commandDetails(CommandRun run, String status) {
        if (status.equals("TimedOut")) {
            boolean delivery = run.invocations.values().stream().allMatch(i -> !i.cancelled
                    && i.outcome.status() == CommandOutcome.Status.DELIVERY_TIMED_OUT
                    || !i.currentStatus().equals("TimedOut"));
            return delivery ? "DeliveryTimedOut" : "ExecutionTimedOut";
        }
        return status;
    }

    static boolean isTerminal(String status) {
        return !status.equals("Pending") && !status.equals("InProgress");
    }

    private static int exitCode(Invocation inv) {
        return inv.cancelled ? -1 : inv.outcome.exitCode();
    }

    private String pluginName(CommandRun run, String instanceId) {
        return switch (run.documentName) {
            case "AWS-RunPowerShellScript" -> "aws:runPowerShellScript";
            case "AWS-RunShellScript" -> "aws:runShellScript";
            case "AWS-ConfigureAWSPackage" -> "configurePackage";
            case PATCH_BASELINE -> {
                ManagedInstance m = state.managed.get(instanceId);
                yield m != null && m.platformType() == ManagedInstance.PlatformType.WINDOWS ? "PatchWindows" : "PatchLinux";
            }
            default -> "aws:runDocument";
        };
    }

    // ---- Patch Manager ----

    private void applyPatchBaseline(CommandRun run, String instanceId, Instant now) {
        PatchInventory inv = state.patches.get(instanceId);
        if (inv == null) {
            return;
        }
        String operation = run.parameter("Operation").orElse("Scan");
        String reboot = run.parameter("RebootOption").orElse("RebootIfNeeded");
        boolean rebooted = state.rebootedSinceInstall.remove(instanceId);
        // reference §1 InstallOverrideList: Install installs only the listed patches; Scan ignores the list
        Optional<String> listUrl = operation.equals("Install") ? run.parameter("InstallOverrideList") : Optional.empty();
        List<String[]> listed = listUrl.map(url -> overrideEntries(overrideList(url))).orElse(null);
        if (listUrl.isPresent() && listed.isEmpty()) {
            log.warn("InstallOverrideList {} lists nothing: {} installs nothing", listUrl.get(), instanceId);
        }
        // reference §1 BaselineOverride: the entry for the node's OS replaces the default baseline (for this
        // operation); its approval rules decide what an Install approves. Compliance is not overwritten.
        Optional<LocalDateCut> cut = operation.equals("Install")
                ? run.parameter("BaselineOverride").filter(u -> !u.isEmpty()).flatMap(u -> approveUntil(u, inv))
                : Optional.empty();
        List<Patch> updated = new ArrayList<>();
        for (Patch p : inv.patches) {
            if (operation.equals("Install") && p.state() == Patch.State.MISSING && cut.isPresent()
                    && !cut.get().approves(p)) {
                // reference §1 "Approval rules": ApproveUntilDate approves patches by release date (UTC); one
                // released after it is not approved, so not installed, and stays missing
                updated.add(p);
                continue;
            }
            Patch q = p;
            if (p.state() == Patch.State.INSTALLED_PENDING_REBOOT
                    && (rebooted || operation.equals("Install") && reboot.equals("RebootIfNeeded"))) {
                q = p.withState(Patch.State.INSTALLED, null);
            } else if (operation.equals("Install") && p.state() == Patch.State.MISSING
                    && (listed == null || listed.stream().anyMatch(e -> listMatches(e, p)))) {
                q = p.withState(reboot.equals("NoReboot") ? Patch.State.INSTALLED_PENDING_REBOOT : Patch.State.INSTALLED, now);
            }
            updated.add(q);
        }
        inv.patches.clear();
        inv.patches.addAll(updated);
        inv.operation = operation;
        inv.rebootOption = reboot;
        inv.operationStart = run.requested;
        inv.operationEnd = now;
        run.parameter("SnapshotId").ifPresent(s -> inv.snapshotId = s);
        if (operation.equals("Install") && reboot.equals("NoReboot")) {
            inv.lastNoRebootInstall = now;
        }
        log.info("AWS-RunPatchBaseline {} on {} applied to the scripted inventory", operation, instanceId);
    }

    /**
     * Why the fill-in will not play an AWS-RunPatchBaseline carrying an override on {@code instanceId}, if it will
     * not. An Install's {@code InstallOverrideList} it cannot read: reference §1 documents only what a readable list
     * does. A {@code BaselineOverride}: reference §1 documents the override only as a readable S3 JSON array shaped like
     * {@code GetPatchBaseline} output; what the document does with one it cannot read or parse is not documented, so
     * the command fails saying so rather than guessing. An instance whose baseline the scenario does not script
     * ({@code Scenario.baselineDefinition}) has no OS to pick the override's entry by: a scenario gap, said as such.
     */
    private Optional<String> unknownOverride(Map<String, List<String>> parameters, String instanceId) {
        String list = parameters.getOrDefault("InstallOverrideList", List.of()).stream().filter(v -> !v.isEmpty())
                .findFirst().orElse(null);
        if (list != null && parameters.getOrDefault("Operation", List.of()).contains("Install")
                && overrideList(list) == null) {
            // reference §1 documents what a readable list does; an unreadable one is not documented either
            return Optional.of("unknown behaviour: InstallOverrideList " + list + " cannot be read, and the reference "
                    + "(§1) does not say what AWS-RunPatchBaseline does then; the fill-in does not guess");
        }
        String url = parameters.getOrDefault("BaselineOverride", List.of()).stream().filter(v -> !v.isEmpty())
                .findFirst().orElse(null);
        if (url == null) {
            return Optional.empty();
        }
        String json = overrideList(url);
        if (json == null) {
            return Optional.of("unknown behaviour: BaselineOverride " + url + " cannot be read, and the reference (§1) "
                    + "does not say what AWS-RunPatchBaseline does then; the fill-in does not guess");
        }
        try {
            if (!Wire.JSON.readTree(json).isArray()) {
                return Optional.of("unknown behaviour: BaselineOverride " + url + " is not a JSON array, the only "
                        + "shape the reference (§1) documents; the fill-in does not guess");
            }
        } catch (IOException e) {
            return Optional.of("unknown behaviour: BaselineOverride " + url + " is not JSON (" + e.getMessage()
                    + "); the reference (§1) does not say what AWS-RunPatchBaseline does then");
        }
        PatchInventory inv = state.patches.get(instanceId);
        if (inv != null && !state.baselines.containsKey(inv.baselineId)) {
            return Optional.of("the scenario does not script baseline " + inv.baselineId + " of " + instanceId
                    + " (Scenario.baselineDefinition), so the fill-in cannot tell which entry of BaselineOverride "
                    + url + " is for its OS");
        }
        return Optional.empty();
    }

    /** The cut-off of a BaselineOverride's entry for an instance's OS: the latest ApproveUntilDate of its rules. */
    private record LocalDateCut(java.time.LocalDate until, boolean undated) {
        /**
         * Whether a rule approves {@code p}: released on or before the date (the model's PatchRule.ApproveUntilDate
         * documentation, [M] botocore ssm service-2.json: "Any patches released on or before this date are installed
         * automatically"); a patch the scenario gives no release date is approved.
         */
        boolean approves(Patch p) {
            return undated || p.releaseDate().map(d -> !d.isAfter(until)).orElse(true);
        }
    }

    /**
     * The approval cut-off the BaselineOverride at {@code url} sets for {@code inv}'s instance: the entry whose
     * {@code OperatingSystem} is that of the instance's baseline (reference §1 BaselineOverride "The entry for the
     * node's OS replaces the default baseline"); empty when it has no entry for the OS (the default baseline then
     * applies). An override that cannot be read or parsed never gets here: the command failed when it was sent
     * ({@link #unknownOverride}). A rule with {@code ApproveAfterDays} instead approves regardless of the date
     * here (the scenario's patches are all past any delay).
     */
    private Optional<LocalDateCut> approveUntil(String url, PatchInventory inv) {
        String json = overrideList(url);
        String base = state.baselines.get(inv.baselineId);
        if (json == null || base == null) {
            throw new IllegalStateException("BaselineOverride " + url + " was checked when its command was sent");
        }
        try {
            String os = Wire.JSON.readTree(base).path("OperatingSystem").asText("");
            for (JsonNode entry : Wire.JSON.readTree(json)) {
                if (!os.equals(entry.path("OperatingSystem").asText())) {
                    continue;
                }
                java.time.LocalDate latest = null;
                boolean undated = false;
                for (JsonNode rule : entry.path("ApprovalRules").path("PatchRules")) {
                    if (rule.hasNonNull("ApproveUntilDate")) {
                        java.time.LocalDate d = java.time.LocalDate.parse(rule.get("ApproveUntilDate").asText());
                        latest = latest == null || d.isAfter(latest) ? d : latest;
                    } else {
                        undated = true;
                    }
                }
                return latest == null && !undated ? Optional.empty()
                        : Optional.of(new LocalDateCut(latest == null ? java.time.LocalDate.MAX : latest, undated));
            }
        } catch (IOException | java.time.DateTimeException e) {
            log.warn("BaselineOverride {} is not a JSON array of baselines: {}", url, e.toString());
        }
        return Optional.empty();
    }

    /**
     * GetPatchBaseline from the scenario's baselines (Moto answers 500, reference moto.md "SSM"); an unknown id is
     * {@code DoesNotExistException}, as the model ([M] botocore ssm service-2.json GetPatchBaseline errors) lists.
     */
    private ObjectNode getPatchBaseline(JsonNode req) {
        String id = req.path("BaselineId").asText("");
        String json = state.baselines.get(id);
        if (json == null) {
            throw new SsmError("DoesNotExistException", "Patch baseline " + id + " does not exist (the scenario has no "
                    + "baselineDefinition for it)");
        }
        try {
            return (ObjectNode) Wire.JSON.readTree(json);
        } catch (IOException e) {
            throw new SsmError("InternalServerError", "the scripted baseline " + id + " is not JSON");
        }
    }

    /**
     * The list at {@code url}: the scenario's, else for {@code s3://bucket/key} the object in Moto's S3 (path-style
     * GET; Moto picks the service from the credential scope and does not check the signature, reference moto.md
     * "Server"); null if neither holds it.
     */
    private String overrideList(String url) {
        String held = state.overrideLists.get(url);
        if (held != null || !url.startsWith("s3://") || state.upstream == null) {
            return held;
        }
        String path = url.substring("s3://".length());
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(state.upstream.toString().replaceAll("/+$", "")
                            + "/" + path)).timeout(java.time.Duration.ofSeconds(10))
                            .header("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/s3/"
                                    + "aws4_request, SignedHeaders=host, Signature=0")
                            .header("x-amz-content-sha256", "UNSIGNED-PAYLOAD").GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * The {@code (id, title)} entries of an install override list; other fields are ignored (reference §1). Empty
     * for a list the scenario does not hold.
     */
    static List<String[]> overrideEntries(String yaml) {
        List<String[]> out = new ArrayList<>();
        if (yaml == null) {
            return out;
        }
        String[] current = null;
        for (String raw : yaml.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("- ")) {
                current = new String[] {"", null};
                out.add(current);
                line = line.substring(2).strip();
            }
            if (current != null && line.startsWith("id:")) {
                current[0] = unquote(line.substring(3));
            } else if (current != null && line.startsWith("title:")) {
                current[1] = unquote(line.substring(6));
            }
        }
        return out;
    }

    private static String unquote(String v) {
        String s = v.strip();
        if (s.length() >= 2 && s.startsWith("'") && s.endsWith("'")) {
            return s.substring(1, s.length() - 1).replace("''", "'");
        }
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    /**
     * Whether a list entry names the patch: the id matches ({@code name.arch} on Linux, KB on Windows; wildcards
     * allowed), and, where the entry has a title, the title too — on Linux the title carries the version, so
     * another version does not match (reference §1, "— Linux", "— Windows").
     */
    static boolean listMatches(String[] entry, Patch p) {
        return glob(entry[0], p.kbId()) && (entry[1] == null || glob(entry[1], p.title()));
    }

    private static boolean glob(String pattern, String value) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            re.append(c == '*' ? ".*" : java.util.regex.Pattern.quote(String.valueOf(c)));
        }
        return value.matches(re.toString());
    }

    private ObjectNode describeInstancePatchStates(JsonNode req) {
        List<String> ids = strings(req.path("InstanceIds"));
        if (ids.isEmpty() || ids.size() > 50) {
            throw new SsmError("ValidationException", "InstanceIds has " + ids.size()
                    + " entries; it must have 1 to 50");
        }
        List<Map.Entry<String, PatchInventory>> found = new ArrayList<>();
        for (String id : ids) {
            PatchInventory inv = state.patches.get(id);
            if (inv != null) {
                found.add(Map.entry(id, inv));
            }
        }
        Page<Map.Entry<String, PatchInventory>> page = page(found, req, 50, 10, 100);
        ObjectNode out = Wire.JSON.createObjectNode();
        ArrayNode list = out.putArray("InstancePatchStates");
        page.items.forEach(e -> list.add(patchStateJson(e.getKey(), e.getValue())));
        page.token.ifPresent(t -> out.put("NextToken", t));
        return out;
    }

    private ObjectNode patchStateJson(String instanceId, PatchInventory inv) {
        ObjectNode n = Wire.JSON.createObjectNode();
        n.put("InstanceId", instanceId);
        n.put("PatchGroup", inv.patchGroup);
        n.put("BaselineId", inv.baselineId);
        if (!inv.snapshotId.isEmpty()) {
            n.put("SnapshotId", inv.snapshotId);
        }
        Map<Patch.State, Integer> counts = new LinkedHashMap<>();
        int critical = 0;
        int security = 0;
        int other = 0;
        for (Patch p : inv.patches) {
            counts.merge(p.state(), 1, Integer::sum);
            boolean nonCompliant = p.state() == Patch.State.MISSING || p.state() == Patch.State.FAILED
                    || p.state() == Patch.State.INSTALLED_PENDING_REBOOT;
            if (nonCompliant) {
                if (p.severity().equalsIgnoreCase("Critical")) {
                    critical++;
                } else if (p.classification().equalsIgnoreCase("SecurityUpdates")) {
                    security++;
                } else {
                    other++;
                }
            }
        }
        n.put("InstalledCount", counts.getOrDefault(Patch.State.INSTALLED, 0));
        n.put("InstalledOtherCount", counts.getOrDefault(Patch.State.INSTALLED_OTHER, 0));
        n.put("InstalledPendingRebootCount", counts.getOrDefault(Patch.State.INSTALLED_PENDING_REBOOT, 0));
        n.put("InstalledRejectedCount", counts.getOrDefault(Patch.State.INSTALLED_REJECTED, 0));
        n.put("MissingCount", counts.getOrDefault(Patch.State.MISSING, 0));
        n.put("FailedCount", counts.getOrDefault(Patch.State.FAILED, 0));
        n.put("UnreportedNotApplicableCount", 0);
        n.put("NotApplicableCount", counts.getOrDefault(Patch.State.NOT_APPLICABLE, 0));
        n.put("AvailableSecurityUpdateCount", counts.getOrDefault(Patch.State.AVAILABLE_SECURITY_UPDATE, 0));
        n.put("OperationStartTime", Wire.epoch(inv.operationStart));
        n.put("OperationEndTime", Wire.epoch(inv.operationEnd));
        n.put("Operation", inv.operation);
        if (inv.lastNoRebootInstall != null) {
            n.put("LastNoRebootInstallOperationTime", Wire.epoch(inv.lastNoRebootInstall));
        }
        n.put("RebootOption", inv.rebootOption);
        n.put("CriticalNonCompliantCount", critical);
        n.put("SecurityNonCompliantCount", security);
        n.put("OtherNonCompliantCount", other);
        return n;
    }

    private ObjectNode describeInstancePatches(JsonNode req) {
        String instanceId = req.path("InstanceId").asText("");
        PatchInventory inv = state.patches.get(instanceId);
        if (inv == null && !state.managed.containsKey(instanceId)) {
            throw new SsmError("InvalidInstanceId", "Instance \"" + instanceId
                    + "\" is neither managed nor has a patch inventory in the scenario");
        }
        Predicate<Patch> filter = p -> true;
        for (JsonNode f : req.path("Filters")) {
            String key = f.path("Key").asText();
            List<String> values = strings(f.path("Values"));
            Predicate<Patch> p = switch (key) {
                case "State" -> x -> values.contains(x.state().name());
                case "Classification" -> x -> values.contains(x.classification());
                case "Severity" -> x -> values.contains(x.severity());
                case "KBId" -> x -> values.contains(x.kbId());
                default -> throw new SsmError("InvalidFilter", "filter key \"" + key
                        + "\" is not one of State, Classification, Severity, KBId");
            };
            filter = filter.and(p);
        }
        List<Patch> matching = inv == null ? List.of() : inv.patches.stream().filter(filter).toList();
        Page<Patch> page = page(matching, req, 50, 10, 100);
        ObjectNode out = Wire.JSON.createObjectNode();
        ArrayNode list = out.putArray("Patches");
        for (Patch p : page.items) {
            ObjectNode n = list.addObject();
            n.put("Title", p.title());
            n.put("KBId", p.kbId());
            n.put("Classification", p.classification());
            n.put("Severity", p.severity());
            n.put("State", p.state().name());
            n.put("InstalledTime", Wire.epoch(p.installedTime().orElse(Instant.EPOCH)));
            if (!p.cveIds().isEmpty()) {
                n.put("CVEIds", p.cveIds());
            }
        }
        page.token.ifPresent(t -> out.put("NextToken", t));
        return out;
    }

    private ObjectNode describePatchStatesForGroup(JsonNode req) {
        String group = req.path("PatchGroup").asText("");
        if (group.isEmpty()) {
            throw new SsmError("ValidationException", "PatchGroup is empty; name the patch group");
        }
        List<Map.Entry<String, ObjectNode>> rows = new ArrayList<>();
        state.patches.forEach((id, inv) -> {
            if (inv.patchGroup.equals(group)) {
                rows.add(Map.entry(id, patchStateJson(id, inv)));
            }
        });
        for (JsonNode f : req.path("Filters")) {
            String key = f.path("Key").asText();
            String type = f.path("Type").asText("Equal");
            List<String> values = strings(f.path("Values"));
            if (values.size() != 1) {
                throw new SsmError("ValidationException", "filter " + key + " has " + values.size()
                        + " values; patch state filters take exactly one");
            }
            long v = Long.parseLong(values.get(0));
            rows.removeIf(r -> {
                JsonNode field = r.getValue().get(key);
                if (field == null || !field.isNumber()) {
                    throw new SsmError("ValidationException", "filter key \"" + key + "\" is not a count field");
                }
                long actual = field.asLong();
                boolean keep = switch (type) {
                    case "Equal" -> actual == v;
                    case "NotEqual" -> actual != v;
                    case "LessThan" -> actual < v;
                    case "GreaterThan" -> actual > v;
                    default -> throw new SsmError("ValidationException", "filter type \"" + type
                            + "\" is not one of Equal, NotEqual, LessThan, GreaterThan");
                };
                return !keep;
            });
        }
        Page<Map.Entry<String, ObjectNode>> page = page(rows, req, 50, 10, 100);
        ObjectNode out = Wire.JSON.createObjectNode();
        ArrayNode list = out.putArray("InstancePatchStates");
        page.items.forEach(e -> list.add(e.getValue()));
        page.token.ifPresent(t -> out.put("NextToken", t));
        return out;
    }

    // ---- Automation ----

    private ObjectNode startAutomation(JsonNode req) {
        String document = req.path("DocumentName").asText("");
        Map<String, List<String>> parameters = stringLists(req.path("Parameters"));
        String instanceId = Optional.ofNullable(parameters.get("InstanceId")).filter(l -> !l.isEmpty())
                .map(l -> l.get(0)).orElse(null);
        AutomationOutcome outcome = state.automationOutcomeFor(document, instanceId);
        if (outcome == null && !EC2_RESCUE.equals(document)) {
            return null;
        }
        if (EC2_RESCUE.equals(document)) {
            for (String required : List.of("InstanceId", "OfflineScript")) {
                if (!parameters.containsKey(required) || parameters.get(required).isEmpty()
                        || parameters.get(required).get(0).isEmpty()) {
                    throw new SsmError("InvalidAutomationExecutionParametersException",
                            "Parameter \"" + required + "\" is required by " + EC2_RESCUE + " but was not provided");
                }
            }
            recordOfflineScript(parameters.get("OfflineScript").get(0));
        }
        if (outcome == null) {
            outcome = AutomationOutcome.success();
        }
        String id = UUID.randomUUID().toString();
        state.automations.put(id, new AutomationRun(id, document, req.path("DocumentVersion").asText("1"),
                parameters, outcome, state.clock.instant()));
        log.info("StartAutomationExecution {} of {} filled in", id, document);
        ObjectNode out = Wire.JSON.createObjectNode();
        out.put("AutomationExecutionId", id);
        return out;
    }

    /**
     * Checks an EC2Rescue {@code OfflineScript} as AWS documents it, base64 matching
     * {@code ^[a-zA-Z0-9+/]{3,}[=]{0,2}$} (reference aws-patching-and-drivers.md section 4, [SSM18]), and keeps
     * its decoded text for tests. The decoder EC2Rescue uses is not documented, and AWS's pages encode both as UTF-16LE
     * ({@code [Text.Encoding]::Unicode}, 2018 and 2021) and as ASCII (current pages) (same section, "Encoding
     * discrepancy"), so both are accepted: text with a NUL in every odd byte is read as UTF-16LE, any other as
     * UTF-8 (of which ASCII is a part).
     */
    private void recordOfflineScript(String encoded) {
        if (!encoded.matches("^[a-zA-Z0-9+/]{3,}[=]{0,2}$")) {
            throw new SsmError("InvalidAutomationExecutionParametersException",
                    "Parameter \"OfflineScript\" of " + EC2_RESCUE + " does not match ^[a-zA-Z0-9+/]{3,}[=]{0,2}$");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new SsmError("InvalidAutomationExecutionParametersException",
                    "Parameter \"OfflineScript\" of " + EC2_RESCUE + " is not base64: " + e.getMessage());
        }
        synchronized (state) {
            state.offlineScripts.add(OfflineScriptText.decode(raw));
        }
    }

    private ObjectNode getAutomation(JsonNode req) {
        String id = req.path("AutomationExecutionId").asText("");
        AutomationRun run = state.automations.get(id);
        if (run == null) {
            throw new SsmError("AutomationExecutionNotFoundException",
                    "AutomationExecutionId \"" + id + "\" is not an execution of the fill-in proxy");
        }
        String status = run.statusAt(run.polls);
        run.polls++;
        boolean done = isTerminal(status);
        if (done && run.ended == null) {
            run.ended = state.clock.instant();
        }
        ObjectNode out = Wire.JSON.createObjectNode();
        ObjectNode e = out.putObject("AutomationExecution");
        e.put("AutomationExecutionId", id);
        e.put("DocumentName", run.documentName);
        e.put("DocumentVersion", run.documentVersion);
        e.put("ExecutionStartTime", Wire.epoch(run.started));
        if (done) {
            e.put("ExecutionEndTime", Wire.epoch(run.ended));
        }
        e.put("AutomationExecutionStatus", status);
        e.put("Mode", "Auto");
        e.put("ExecutedBy", "arn:aws:sts::123456789012:assumed-role/testkit/stepwise");
        e.putArray("StepExecutions");
        ObjectNode params = e.putObject("Parameters");
        run.parameters.forEach((k, v) -> v.forEach(params.putArray(k)::add));
        ObjectNode outputs = e.putObject("Outputs");
        if (done && !run.cancelled) {
            run.outcome.outputs().forEach((k, v) -> v.forEach(outputs.putArray(k)::add));
        }
        if (done && !run.outcome.failureMessage().isEmpty() && !run.cancelled) {
            e.put("FailureMessage", run.outcome.failureMessage());
        }
        return out;
    }

    private ObjectNode stopAutomation(JsonNode req) {
        String id = req.path("AutomationExecutionId").asText("");
        AutomationRun run = state.automations.get(id);
        if (run == null) {
            return null;
        }
        if (!isTerminal(run.statusAt(Math.max(run.polls - 1, 0))) && !run.cancelled) {
            run.cancelled = true;
            run.ended = state.clock.instant();
        }
        return Wire.JSON.createObjectNode();
    }

    // ---- helpers ----

    private record Page<T>(List<T> items, Optional<String> token) {
    }

    private static <T> Page<T> page(List<T> all, JsonNode req, int defaultMax, int min, int max) {
        int size = req.path("MaxResults").asInt(defaultMax);
        if (size < min || size > max) {
            throw new SsmError("ValidationException", "MaxResults " + size + " is outside " + min + ".." + max);
        }
        int from = 0;
        String token = req.path("NextToken").asText("");
        if (!token.isEmpty()) {
            try {
                from = Integer.parseInt(new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new SsmError("InvalidNextToken", "NextToken \"" + token + "\" was not issued by the fill-in proxy");
            }
        }
        from = Math.min(from, all.size());
        int to = Math.min(from + size, all.size());
        Optional<String> next = to < all.size()
                ? Optional.of(Base64.getEncoder().encodeToString(Integer.toString(to).getBytes(StandardCharsets.UTF_8)))
                : Optional.empty();
        return new Page<>(all.subList(from, to), next);
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) {
            out.add(n.asText());
        }
        return out;
    }

    static Map<String, List<String>> stringLists(JsonNode object) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            out.put(e.getKey(), List.copyOf(strings(e.getValue())));
        }
        return out;
    }

    private static String cut(String s, int limit) {
        return s.length() <= limit ? s : s.substring(0, limit);
    }

    private static String iso(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
