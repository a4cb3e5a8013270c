package dev.stepwise.core.poll;

import dev.stepwise.core.Durations;
import dev.stepwise.core.StepTimeoutException;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@link Poll} ran out of time: no probe within its timeout found the thing done. The message names the
 * step, what was awaited, the timeout, how many probes were made and the last state seen, e.g.
 * {@code Step "stop": timed out after 10 min waiting for instance i-1 to stop (120 probes; last state: stopping)}.
 *
 * <p>It is a {@link StepTimeoutException}, so code that already handles a step running out of time handles
 * this too, and the runner reports it as the step's cause rather than replacing it with a generic step
 * timeout. It lives beside {@link Poll} because only a poll throws it and its accessors describe a poll.
 * Callers that must clean up on a timeout (cancel a command, stop an execution) catch it, clean up, and throw
 * their own failure with this one as the cause.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * try {
 *     return poll.until(ctx, () -> ec2.describe(id).state(), "stopped"::equals);
 * } catch (PollTimeoutException e) {
 *     return e.lastState();   // a graceful stop that did not finish: a force stop follows
 * }
 * }</pre>
 */
public class PollTimeoutException extends StepTimeoutException {
    private static final long serialVersionUID = 1L;

    private final String step;
    private final String description;
    private final Duration timeout;
    private final long probes;
    private final String lastState;

    /**
     * @param step        the step that polled
     * @param description what was awaited, e.g. {@code "instance i-1 to stop"}
     * @param timeout     the poll's timeout
     * @param probes      how many probes were made
     * @param lastState   what the last probe saw
     */
    public PollTimeoutException(String step, String description, Duration timeout, long probes, String lastState) {
        super(step, "timed out after " + Durations.exact(timeout) + " waiting for " + description + " (" + probes
                + (probes == 1 ? " probe" : " probes") + "; last state: " + lastState + ")");
        this.step = Objects.requireNonNull(step, "step");
        this.description = Objects.requireNonNull(description, "description");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.probes = probes;
        this.lastState = Objects.requireNonNull(lastState, "lastState");
    }

    /** The step that polled. */
    public String step() {
        return step;
    }

    /** What was awaited, as the poll describes it. */
    public String description() {
        return description;
    }

    /** The poll's timeout. */
    public Duration timeout() {
        return timeout;
    }

    /** How many probes were made. */
    public long probes() {
        return probes;
    }

    /** What the last probe saw. */
    public String lastState() {
        return lastState;
    }
}
