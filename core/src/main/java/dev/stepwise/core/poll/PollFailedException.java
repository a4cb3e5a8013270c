package dev.stepwise.core.poll;

import dev.stepwise.core.StepwiseException;
import java.util.Objects;

/**
 * A probe of a {@link Poll} answered {@link Outcome#failed(String)}: what the poll waited for will never
 * happen, so it stopped without waiting out its timeout. The message starts with the step and the probe's
 * reason and names what was awaited and how many probes were made, e.g.
 * {@code Step "backup": image ami-1 is failed; it cannot serve as a backup (gave up waiting for image ami-1 to be
 * available after 3 probes)}.
 *
 * <p>Like any failure of a step's action, it fails the attempt and the step's retry policy decides whether
 * to try again. Immutable and thread-safe.
 *
 * <pre>{@code
 * try {
 *     return poll.until(ctx, probe);
 * } catch (PollFailedException e) {
 *     return Verdict.rejected(e.reason());   // a failed image is an answer, not an error, for this step
 * }
 * }</pre>
 */
public class PollFailedException extends StepwiseException {
    private static final long serialVersionUID = 1L;

    private final String step;
    private final String description;
    private final long probes;
    private final String reason;

    /**
     * @param step        the step that polled
     * @param description what was awaited, e.g. {@code "image ami-1 to be available"}
     * @param probes      how many probes were made, the failing one included
     * @param reason      the failing probe's reason
     */
    public PollFailedException(String step, String description, long probes, String reason) {
        super("Step \"" + step + "\": " + reason + " (gave up waiting for " + description + " after " + probes
                + (probes == 1 ? " probe)" : " probes)"));
        this.step = Objects.requireNonNull(step, "step");
        this.description = Objects.requireNonNull(description, "description");
        this.probes = probes;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The step that polled. */
    public String step() {
        return step;
    }

    /** What was awaited, as the poll describes it. */
    public String description() {
        return description;
    }

    /** How many probes were made, the failing one included. */
    public long probes() {
        return probes;
    }

    /** The failing probe's reason. */
    public String reason() {
        return reason;
    }
}
