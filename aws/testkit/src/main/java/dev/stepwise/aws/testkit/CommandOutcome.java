package dev.stepwise.aws.testkit;

import java.util.Objects;

/**
 * How one Run Command invocation (one instance, one document) ends, and how long it takes to get there.
 *
 * <p>Time is counted in polls: an invocation with {@code afterPolls(n)} reports {@code Pending} on the first
 * poll, {@code InProgress} on polls 2 to n, and its final status from poll n + 1 on. A poll is a
 * {@code GetCommandInvocation} for the invocation or a {@code ListCommandInvocations} answer that contains
 * it; {@code ListCommands} only looks. With {@code invocationDoesNotExistForPolls(k)} the first k polls
 * answer {@code InvocationDoesNotExist} (or leave the invocation out of the list), as real SSM does
 * shortly after {@code SendCommand}.
 *
 * <p>Defaults: no polls before the end, no output, exit code 0 for success, -1 for outcomes without an
 * exit code. Immutable and thread-safe.
 *
 * <pre>{@code
 * proxy.scenario().commandOutcome("i-0123456789abcdef0", "AWS-RunPowerShellScript",
 *     CommandOutcome.failed("driver not found", 2).afterPolls(3).invocationDoesNotExistForPolls(1));
 * }</pre>
 */
public final class CommandOutcome {

    /** The final status of an invocation, with SSM's spelling. */
    public enum Status {
        /** {@code Success}. */
        SUCCESS("Success", "Success"),
        /** {@code Failed}: the document ran and returned a non-zero exit code. */
        FAILED("Failed", "Failed"),
        /** {@code TimedOut} with details {@code ExecutionTimedOut}. */
        TIMED_OUT("TimedOut", "ExecutionTimedOut"),
        /** {@code TimedOut} with details {@code DeliveryTimedOut}: the agent never picked the command up. */
        DELIVERY_TIMED_OUT("TimedOut", "DeliveryTimedOut"),
        /** {@code Cancelled}. */
        CANCELLED("Cancelled", "Cancelled");

        private final String wireName;
        private final String details;

        Status(String wireName, String details) {
            this.wireName = wireName;
            this.details = details;
        }

        /** @return SSM's {@code Status} value */
        public String wireName() {
            return wireName;
        }

        /** @return SSM's {@code StatusDetails} value */
        public String statusDetails() {
            return details;
        }
    }

    private final Status status;
    private final String output;
    private final String errorOutput;
    private final int exitCode;
    private final int polls;
    private final int notFoundPolls;

    private CommandOutcome(Status status, String output, String errorOutput, int exitCode, int polls, int notFoundPolls) {
        this.status = Objects.requireNonNull(status, "status");
        this.output = Objects.requireNonNull(output, "output");
        this.errorOutput = Objects.requireNonNull(errorOutput, "errorOutput");
        if (polls < 0) {
            throw new IllegalArgumentException("afterPolls " + polls + " is negative; it must be 0 or more");
        }
        if (notFoundPolls < 0) {
            throw new IllegalArgumentException(
                    "invocationDoesNotExistForPolls " + notFoundPolls + " is negative; it must be 0 or more");
        }
        this.exitCode = exitCode;
        this.polls = polls;
        this.notFoundPolls = notFoundPolls;
    }

    /**
     * @param output standard output
     * @return a success with exit code 0
     */
    public static CommandOutcome success(String output) {
        return new CommandOutcome(Status.SUCCESS, output, "", 0, 0, 0);
    }

    /** @return a success with no output */
    public static CommandOutcome success() {
        return success("");
    }

    /**
     * @param output   standard output
     * @param exitCode the exit code, reported as {@code ResponseCode}
     * @return a failure
     */
    public static CommandOutcome failed(String output, int exitCode) {
        return new CommandOutcome(Status.FAILED, output, "", exitCode, 0, 0);
    }

    /** @return an execution time-out ({@code TimedOut} / {@code ExecutionTimedOut}, exit code -1) */
    public static CommandOutcome timedOut() {
        return new CommandOutcome(Status.TIMED_OUT, "", "", -1, 0, 0);
    }

    /** @return a delivery time-out ({@code TimedOut} / {@code DeliveryTimedOut}, exit code -1) */
    public static CommandOutcome deliveryTimedOut() {
        return new CommandOutcome(Status.DELIVERY_TIMED_OUT, "", "", -1, 0, 0);
    }

    /** @return an invocation that someone else cancelled ({@code Cancelled}, exit code -1) */
    public static CommandOutcome cancelled() {
        return new CommandOutcome(Status.CANCELLED, "", "", -1, 0, 0);
    }

    /**
     * @param n polls that report {@code Pending}, then {@code InProgress}, before the end
     * @return a copy
     */
    public CommandOutcome afterPolls(int n) {
        return new CommandOutcome(status, output, errorOutput, exitCode, n, notFoundPolls);
    }

    /**
     * @param n first polls that answer {@code InvocationDoesNotExist}
     * @return a copy
     */
    public CommandOutcome invocationDoesNotExistForPolls(int n) {
        return new CommandOutcome(status, output, errorOutput, exitCode, polls, n);
    }

    /**
     * @param stderr standard error content
     * @return a copy
     */
    public CommandOutcome withStandardError(String stderr) {
        return new CommandOutcome(status, output, stderr, exitCode, polls, notFoundPolls);
    }

    /** @return the final status */
    public Status status() {
        return status;
    }

    /** @return standard output */
    public String output() {
        return output;
    }

    /** @return standard error */
    public String errorOutput() {
        return errorOutput;
    }

    /** @return the exit code ({@code ResponseCode}) at the end */
    public int exitCode() {
        return exitCode;
    }

    /** @return the polls before the end */
    public int polls() {
        return polls;
    }

    /** @return the first polls that find no invocation */
    public int invocationDoesNotExistPolls() {
        return notFoundPolls;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CommandOutcome c && c.status == status && c.output.equals(output)
                && c.errorOutput.equals(errorOutput) && c.exitCode == exitCode && c.polls == polls
                && c.notFoundPolls == notFoundPolls;
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, output, errorOutput, exitCode, polls, notFoundPolls);
    }

    @Override
    public String toString() {
        return "CommandOutcome[" + status.wireName() + "/" + status.statusDetails() + ", exitCode=" + exitCode
                + ", afterPolls=" + polls + ", invocationDoesNotExistForPolls=" + notFoundPolls
                + ", output=" + output.length() + " chars]";
    }
}
