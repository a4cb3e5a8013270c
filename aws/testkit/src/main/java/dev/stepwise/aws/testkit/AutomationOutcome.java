package dev.stepwise.aws.testkit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a scripted Automation execution (such as {@code AWSSupport-StartEC2RescueWorkflow}) ends.
 *
 * <p>Time is counted in {@code GetAutomationExecution} calls: with {@code afterPolls(n)} the first call
 * reports {@code Pending}, calls 2 to n {@code InProgress}, and later calls the final status with the
 * outputs. Defaults: no polls, no outputs. Immutable and thread-safe.
 *
 * <pre>{@code
 * proxy.scenario().automationOutcome("AWSSupport-StartEC2RescueWorkflow",
 *     AutomationOutcome.success().
 *         withOutput("runScriptForWindows.Output", "drivers staged").
 *         afterPolls(2));
 * }</pre>
 */
public final class AutomationOutcome {

    /** Final Automation statuses, with SSM's spelling. */
    public enum Status {
        /** {@code Success}. */
        SUCCESS("Success"),
        /** {@code Failed}. */
        FAILED("Failed"),
        /** {@code TimedOut}. */
        TIMED_OUT("TimedOut"),
        /** {@code Cancelled}. */
        CANCELLED("Cancelled");

        private final String wireName;

        Status(String wireName) {
            this.wireName = wireName;
        }

        /** @return SSM's {@code AutomationExecutionStatus} value */
        public String wireName() {
            return wireName;
        }
    }

    private final Status status;
    private final Map<String, List<String>> outputs;
    private final String failureMessage;
    private final int polls;

    private AutomationOutcome(Status status, Map<String, List<String>> outputs, String failureMessage, int polls) {
        this.status = Objects.requireNonNull(status, "status");
        this.outputs = Map.copyOf(outputs);
        this.failureMessage = Objects.requireNonNull(failureMessage, "failureMessage");
        if (polls < 0) {
            throw new IllegalArgumentException("afterPolls " + polls + " is negative; it must be 0 or more");
        }
        this.polls = polls;
    }

    /** @return a success with no outputs */
    public static AutomationOutcome success() {
        return new AutomationOutcome(Status.SUCCESS, Map.of(), "", 0);
    }

    /**
     * @param failureMessage the {@code FailureMessage}
     * @return a failure
     */
    public static AutomationOutcome failed(String failureMessage) {
        return new AutomationOutcome(Status.FAILED, Map.of(), failureMessage, 0);
    }

    /** @return a time-out */
    public static AutomationOutcome timedOut() {
        return new AutomationOutcome(Status.TIMED_OUT, Map.of(), "Step timed out", 0);
    }

    /** @return a cancellation */
    public static AutomationOutcome cancelled() {
        return new AutomationOutcome(Status.CANCELLED, Map.of(), "", 0);
    }

    /**
     * @param name  an output name, such as {@code runScriptForWindows.Output} or {@code preScriptBackup.ImageId}
     * @param value its value
     * @return a copy with the output added
     */
    public AutomationOutcome withOutput(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Map<String, List<String>> copy = new LinkedHashMap<>(outputs);
        copy.put(name, List.of(value));
        return new AutomationOutcome(status, copy, failureMessage, polls);
    }

    /**
     * @param n polls before the end
     * @return a copy
     */
    public AutomationOutcome afterPolls(int n) {
        return new AutomationOutcome(status, outputs, failureMessage, n);
    }

    /** @return the final status */
    public Status status() {
        return status;
    }

    /** @return the outputs, reported once the execution ends */
    public Map<String, List<String>> outputs() {
        return outputs;
    }

    /** @return the failure message, empty for success */
    public String failureMessage() {
        return failureMessage;
    }

    /** @return the polls before the end */
    public int polls() {
        return polls;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AutomationOutcome a && a.status == status && a.outputs.equals(outputs)
                && a.failureMessage.equals(failureMessage) && a.polls == polls;
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, outputs, failureMessage, polls);
    }

    @Override
    public String toString() {
        return "AutomationOutcome[" + status.wireName() + ", afterPolls=" + polls + ", outputs=" + outputs.keySet()
                + (failureMessage.isEmpty() ? "" : ", failureMessage=" + failureMessage) + "]";
    }
}
