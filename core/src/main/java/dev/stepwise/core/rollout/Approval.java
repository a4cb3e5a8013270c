package dev.stepwise.core.rollout;

import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.internal.ResultRendering;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A manual approval before a wave: who is asked, how long the rollout waits, and what silence means.
 *
 * <p>Defaults: timeout 24 hours on the rollout's clock; on timeout, {@link TimeoutRule#REJECT} (the rollout
 * halts). The decision — who, when, why, or that the timeout rule decided — goes into the wave's
 * {@link CheckpointResult}. Cancelling the rollout ends the wait at once. Immutable and thread-safe; the
 * {@code with}-style methods return changed copies, and refuse a bad value at once with a
 * {@link PlanValidationException} (there is no {@code build()} to report it later).
 *
 * <pre>{@code
 * Approval.by(approver).
 *     timeout(Duration.ofHours(4)).
 *     onTimeout(Approval.TimeoutRule.REJECT).
 *     describedAs("change board sign-off for production")
 * }</pre>
 */
public final class Approval implements Checkpoint {
    /** The default timeout: 24 hours. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(24);

    /** What it means when nobody answers before the timeout. */
    public enum TimeoutRule {
        /** Silence approves: the next wave starts (the decision says "timeout rule"). */
        APPROVE,
        /** Silence rejects: the rollout halts. */
        REJECT
    }

    private final Approver approver;
    private final Duration timeout;
    private final TimeoutRule onTimeout;
    private final String description;

    private Approval(Approver approver, Duration timeout, TimeoutRule onTimeout, String description) {
        this.approver = approver;
        this.timeout = timeout;
        this.onTimeout = onTimeout;
        this.description = description;
    }

    /** An approval asked of {@code approver}, with the defaults. */
    public static Approval by(Approver approver) {
        return new Approval(Objects.requireNonNull(approver, "approver"), DEFAULT_TIMEOUT, TimeoutRule.REJECT,
                "manual approval");
    }

    /**
     * A copy that waits at most {@code timeout} on the rollout's clock.
     *
     * @throws PlanValidationException unless {@code timeout} is more than zero
     */
    public Approval timeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new PlanValidationException("Approval", List.of("timeout " + timeout + " must be more than zero"));
        }
        return new Approval(approver, timeout, onTimeout, description);
    }

    /** A copy where silence until the timeout means {@code rule}. */
    public Approval onTimeout(TimeoutRule rule) {
        return new Approval(approver, timeout, Objects.requireNonNull(rule, "onTimeout"), description);
    }

    /**
     * A copy with {@code text} as its description.
     *
     * @throws PlanValidationException if {@code text} is blank
     */
    public Approval describedAs(String text) {
        Objects.requireNonNull(text, "description");
        if (text.isBlank()) {
            throw new PlanValidationException("Approval", List.of("description \"" + text + "\" must not be blank"));
        }
        return new Approval(approver, timeout, onTimeout, text);
    }

    public Approver approver() {
        return approver;
    }

    public Duration timeout() {
        return timeout;
    }

    public TimeoutRule onTimeout() {
        return onTimeout;
    }

    @Override
    public Kind kind() {
        return Kind.APPROVAL;
    }

    @Override
    public String description() {
        return description + " (timeout " + ResultRendering.human(timeout) + ", then " + (onTimeout == TimeoutRule.APPROVE ? "approve" : "reject") + ")";
    }

    @Override
    public String toString() {
        return "Approval{" + description() + "}";
    }
}
