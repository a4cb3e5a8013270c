package dev.stepwise.aws.ssm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The end of an SSM Automation execution.
 *
 * <p>A record, not a generated value: the outcome of an Automation execution, journaled as a step output and read
 * back by Jackson; users only read it. Its canonical constructor is public only because a record cannot hide it,
 * and it may gain components.
 *
 * @param executionId    the execution's id
 * @param status         SSM's status: {@code Success}, {@code Failed}, {@code TimedOut}, {@code Cancelled}
 * @param outputs        the execution's outputs, by name (e.g. {@code runScriptForWindows.Output})
 * @param failureMessage SSM's failure message, or empty
 */
public record AutomationResult(String executionId, String status, Map<String, List<String>> outputs, String failureMessage) {

    public AutomationResult {
        outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        failureMessage = failureMessage == null ? "" : failureMessage;
    }

    public boolean succeeded() {
        return "Success".equals(status);
    }

    /** The first value of output {@code name}, or empty. */
    public String output(String name) {
        List<String> v = outputs.get(name);
        return v == null || v.isEmpty() ? "" : v.get(0);
    }

    @Override
    public String toString() {
        return executionId + " " + status + (failureMessage.isEmpty() ? "" : ": " + failureMessage);
    }
}
