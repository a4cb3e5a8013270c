package dev.stepwise.aws.testkit;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The scenario's model: what tests scripted and what the fill-ins did with it. Every access holds the
 * object's monitor ({@code synchronized (state)}), so fill-ins see one consistent state.
 */
final class ScenarioState {

    public static final String ANY_DOCUMENT = "*";
    public static final String DEFAULT_BASELINE = "pb-0123456789abcdef0";

    public final Clock clock;
    public final Map<String, ManagedInstance> managed = new LinkedHashMap<>();
    public final Map<String, CommandOutcome> commandOutcomes = new HashMap<>();
    public final Map<String, CommandRun> commands = new LinkedHashMap<>();
    public final Map<String, PatchInventory> patches = new LinkedHashMap<>();
    /** Install override lists by URL, as instances would read them (reference aws-patching-and-drivers.md §1). */
    public final Map<String, String> overrideLists = new HashMap<>();
    /** GetPatchBaseline answers by baseline id (Moto does not implement GetPatchBaseline, reference moto.md). */
    public final Map<String, String> baselines = new HashMap<>();
    /** Where the proxy forwards to, so that the patch fill-in can read an s3:// override list from Moto's S3. */
    public volatile java.net.URI upstream;
    public final Map<String, AutomationOutcome> automationOutcomes = new HashMap<>();
    public final Map<String, AutomationRun> automations = new LinkedHashMap<>();
    public final Map<String, Boolean> ena = new HashMap<>();
    public final Set<String> rebootedSinceInstall = new HashSet<>();
    /** Drivers runbook: Marketplace product codes per instance, agents that come online at a start, scripts sent. */
    public final Map<String, List<String>> marketplaceCodes = new HashMap<>();
    public final Set<String> onlineAfterStart = new HashSet<>();
    public final List<String> offlineScripts = new ArrayList<>();

    public ScenarioState(Clock clock) {
        this.clock = clock;
    }

    public static String outcomeKey(String instanceId, String document) {
        return instanceId + "\u0000" + document;
    }

    public synchronized CommandOutcome outcomeFor(String instanceId, String document) {
        CommandOutcome o = commandOutcomes.get(outcomeKey(instanceId, document));
        if (o == null) {
            o = commandOutcomes.get(outcomeKey(instanceId, ANY_DOCUMENT));
        }
        if (o == null) {
            ManagedInstance m = managed.get(instanceId);
            o = m != null && m.pingStatus() != ManagedInstance.PingStatus.ONLINE
                    ? CommandOutcome.deliveryTimedOut() : CommandOutcome.success();
        }
        return o;
    }

    public synchronized AutomationOutcome automationOutcomeFor(String document, String instanceId) {
        AutomationOutcome o = instanceId == null ? null : automationOutcomes.get(outcomeKey(instanceId, document));
        if (o == null) {
            o = automationOutcomes.get(outcomeKey("*", document));
        }
        return o;
    }

    public synchronized void clear() {
        managed.clear();
        commandOutcomes.clear();
        commands.clear();
        patches.clear();
        baselines.clear();
        automationOutcomes.clear();
        automations.clear();
        ena.clear();
        rebootedSinceInstall.clear();
        marketplaceCodes.clear();
        onlineAfterStart.clear();
        offlineScripts.clear();
    }

    /** A patch inventory and the last patch operation of one instance. */
    public static final class PatchInventory {
        public final List<Patch> patches = new ArrayList<>();
        public String patchGroup = "";
        public String baselineId = DEFAULT_BASELINE;
        public String snapshotId = "";
        public String operation = "Scan";
        public String rebootOption = "RebootIfNeeded";
        public Instant operationStart;
        public Instant operationEnd;
        public Instant lastNoRebootInstall;

        public PatchInventory(Instant now) {
            operationStart = now;
            operationEnd = now;
        }
    }

    /** One SendCommand the proxy answered. */
    public static final class CommandRun {
        public final String commandId;
        public final String documentName;
        public final String documentVersion;
        public final Map<String, List<String>> parameters;
        public final List<String> instanceIds;
        public final String comment;
        public final int timeoutSeconds;
        public final Instant requested;
        public final Map<String, Invocation> invocations = new LinkedHashMap<>();

        public CommandRun(String commandId, String documentName, String documentVersion,
                          Map<String, List<String>> parameters, List<String> instanceIds, String comment,
                          int timeoutSeconds, Instant requested) {
            this.commandId = commandId;
            this.documentName = documentName;
            this.documentVersion = documentVersion;
            this.parameters = parameters;
            this.instanceIds = instanceIds;
            this.comment = comment;
            this.timeoutSeconds = timeoutSeconds;
            this.requested = requested;
        }

        public Optional<String> parameter(String name) {
            List<String> values = parameters.get(name);
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }
    }

    /** One instance's part of a command, and how far its script has got. */
    public static final class Invocation {
        public final String instanceId;
        public final CommandOutcome outcome;
        public int notFoundLeft;
        /** Polls answered so far (not counting not-found answers). */
        public int polls;
        public boolean cancelled;
        public Instant started;
        public Instant ended;

        public Invocation(String instanceId, CommandOutcome outcome) {
            this.instanceId = instanceId;
            this.outcome = outcome;
            this.notFoundLeft = outcome.invocationDoesNotExistPolls();
        }

        /** Status after {@code seen} polls: Pending first, InProgress until the scripted polls are used. */
        public String statusAt(int seen) {
            if (cancelled) {
                return "Cancelled";
            }
            if (seen < outcome.polls()) {
                return seen == 0 ? "Pending" : "InProgress";
            }
            return outcome.status().wireName();
        }

        /** The status the last poll reported, or the status at send time if there was none. */
        public String currentStatus() {
            return statusAt(Math.max(polls - 1, 0));
        }

        public boolean terminal(String status) {
            return !status.equals("Pending") && !status.equals("InProgress");
        }

        public String details(String status) {
            return switch (status) {
                case "Pending", "InProgress", "Success", "Failed", "Cancelled" -> status;
                default -> outcome.status().statusDetails();
            };
        }
    }

    /** One Automation execution the proxy answered. */
    public static final class AutomationRun {
        public final String executionId;
        public final String documentName;
        public final String documentVersion;
        public final Map<String, List<String>> parameters;
        public final AutomationOutcome outcome;
        public final Instant started;
        public int polls;
        public boolean cancelled;
        public Instant ended;

        public AutomationRun(String executionId, String documentName, String documentVersion,
                             Map<String, List<String>> parameters, AutomationOutcome outcome, Instant started) {
            this.executionId = executionId;
            this.documentName = documentName;
            this.documentVersion = documentVersion;
            this.parameters = parameters;
            this.outcome = outcome;
            this.started = started;
        }

        public String statusAt(int seen) {
            if (cancelled) {
                return "Cancelled";
            }
            if (seen < outcome.polls()) {
                return seen == 0 ? "Pending" : "InProgress";
            }
            return outcome.status().wireName();
        }
    }
}
