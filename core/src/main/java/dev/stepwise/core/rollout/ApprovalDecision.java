package dev.stepwise.core.rollout;

import dev.stepwise.core.Nullable;
import dev.stepwise.core.PlanValidationException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.immutables.value.Value;

/**
 * An answer to an {@link ApprovalRequest}: approved or not, by whom, when, and why.
 *
 * <p>{@code at} may be left null by the approver; the rollout fills it in from its clock when the answer
 * arrives ({@link #withAt(Instant)}). A decision taken by an approval's timeout rule has {@code timedOut} set
 * and {@code by} {@code "timeout rule"}. A blank {@code by} is refused with a {@link PlanValidationException}.
 * Defaults: an empty comment, no time, not timed out. Immutable and thread-safe.
 *
 * <pre>{@code
 * ApprovalDecision.approve("alice");
 * ApprovalDecision.reject("bob", "error rate on the dashboard is up");
 * ApprovalDecision.builder().approved(true).by("carol").comment("checked the canary").build();
 * }</pre>
 */
@Value.Immutable
public abstract class ApprovalDecision {

    ApprovalDecision() {
    }

    /** Approved by {@code by}. */
    public static ApprovalDecision approve(String by) {
        return builder().approved(true).by(by).build();
    }

    /** Approved by {@code by}, with a comment. */
    public static ApprovalDecision approve(String by, String comment) {
        return builder().approved(true).by(by).comment(comment).build();
    }

    /** Rejected by {@code by}, for {@code reason}. */
    public static ApprovalDecision reject(String by, String reason) {
        return builder().approved(false).by(by).comment(reason).build();
    }

    /** Starts a decision; {@code approved} and {@code by} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this decision's values. */
    public Builder toBuilder() {
        return new Builder().from(this);
    }

    /** Whether the next wave may start. */
    public abstract boolean approved();

    /** Who decided. */
    public abstract String by();

    /** Why, possibly empty. */
    @Value.Default
    public String comment() {
        return "";
    }

    /** When, on the rollout's clock; null until the rollout stamps it. */
    @Nullable
    public abstract Instant at();

    /** Whether nobody answered in time and the timeout rule decided. */
    @Value.Default
    public boolean timedOut() {
        return false;
    }

    /** A copy stamped with {@code instant}, unless it already has a time (then this decision). */
    public ApprovalDecision withAt(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        return at() != null ? this : toBuilder().at(instant).build();
    }

    @Value.Check
    void check() {
        if (by().isBlank()) {
            throw new PlanValidationException("ApprovalDecision", List.of("by \"" + by() + "\" must name who decided"));
        }
    }

    @Override
    public String toString() {
        return (approved() ? "approved" : "rejected") + " by " + by() + (at() == null ? "" : " at " + at())
                + (comment().isEmpty() ? "" : ": " + comment());
    }

    /** Builds an {@link ApprovalDecision}; a missing required value throws a {@code PlanValidationException}. */
    public static final class Builder extends ImmutableApprovalDecision.Builder {
        Builder() {
        }
    }
}
