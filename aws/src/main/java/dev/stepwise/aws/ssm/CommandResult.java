package dev.stepwise.aws.ssm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one Run Command did on each of its instances.
 *
 * <p>A record, not a generated value: the outcome of a Run Command, journaled as a step output and read back by
 * Jackson; users only read it. Its canonical constructor is public only because a record cannot hide it, and it
 * may gain components.
 *
 * @param documentName the SSM document
 * @param commandIds   the commands sent (one per batch of at most 50 instances)
 * @param invocations  per instance, in the order the instances were given
 */
public record CommandResult(String documentName, List<String> commandIds, Map<String, Invocation> invocations) {

    /**
     * One instance's outcome.
     *
     * @param instanceId    the instance
     * @param commandId     the command that reached it
     * @param status        SSM's status: {@code Success}, {@code Failed}, {@code TimedOut}, {@code Cancelled}, …
     * @param statusDetails SSM's detail, e.g. {@code DeliveryTimedOut}
     * @param responseCode  the exit code, or -1 when none was reported
     * @param output        the output SSM returned (cut by SSM at 2,500 characters)
     */
    public record Invocation(String instanceId, String commandId, String status, String statusDetails, int responseCode,
            String output) {
        public boolean succeeded() {
            return "Success".equals(status);
        }

        @Override
        public String toString() {
            return instanceId + " " + status + (responseCode >= 0 ? " (exit " + responseCode + ")" : "");
        }
    }

    public CommandResult {
        Objects.requireNonNull(documentName, "documentName");
        commandIds = List.copyOf(commandIds);
        invocations = Collections.unmodifiableMap(new LinkedHashMap<>(invocations));
    }

    /** Whether every instance reported {@code Success}. */
    public boolean allSucceeded() {
        return invocations.values().stream().allMatch(Invocation::succeeded);
    }

    /** The instances whose invocation did not succeed. */
    public List<Invocation> failures() {
        return invocations.values().stream().filter(i -> !i.succeeded()).toList();
    }

    /** The output of the instance's invocation, or empty. */
    public String outputOf(String instanceId) {
        Invocation i = invocations.get(instanceId);
        return i == null ? "" : i.output();
    }

    @Override
    public String toString() {
        long ok = invocations.values().stream().filter(Invocation::succeeded).count();
        return documentName + ": " + ok + "/" + invocations.size() + " succeeded"
                + (failures().isEmpty() ? "" : ", failed: " + failures());
    }
}
