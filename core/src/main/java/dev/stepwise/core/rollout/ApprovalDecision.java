package dev.stepwise.core.rollout;

import dev.stepwise.core.PlanValidationException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An answer to an {@link ApprovalRequest}: approved or not, by whom, when, and why.
 *
 * <p>{@code at} may be left null by the approver; the rollout fills it in from its clock when the answer
 * arrives. A decision taken by an approval's timeout rule has {@code timedOut} set and {@code by}
 * {@code "timeout rule"}. A blank {@code by} is refused with a {@link PlanValidationException}. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * ApprovalDecision.approve("alice");
 * ApprovalDecision.reject("bob", "error rate on the dashboard is up");
 * }</pre>
 *
 * @param approved whether the next wave may start
 * @param by       who decided
 * @param comment  why, possibly empty
 * @param at       when, on the rollout's clock
 * @param timedOut whether nobody answered in time and the timeout rule decided
 */
public record ApprovalDecision(boolean approved, String by, String comment, Instant at, boolean timedOut) {
    public ApprovalDecision {
        Objects.requireNonNull(by, "by");
        if (by.isBlank()) {
            throw new PlanValidationException("ApprovalDecision", List.of("by \"" + by + "\" must name who decided"));
        }
        comment = comment == null ? "" : comment;
    }

    /** Approved by {@code by}. */
    public static ApprovalDecision approve(String by) {
        return new ApprovalDecision(true, by, "", null, false);
    }

    /** Approved by {@code by}, with a comment. */
    public static ApprovalDecision approve(String by, String comment) {
        return new ApprovalDecision(true, by, comment, null, false);
    }

    /** Rejected by {@code by}, for {@code reason}. */
    public static ApprovalDecision reject(String by, String reason) {
        return new ApprovalDecision(false, by, reason, null, false);
    }

    /** A copy stamped with {@code instant}, unless it already has a time. */
    public ApprovalDecision at(Instant instant) {
        return at != null ? this : new ApprovalDecision(approved, by, comment, instant, timedOut);
    }

    @Override
    public String toString() {
        return (approved ? "approved" : "rejected") + " by " + by + (at == null ? "" : " at " + at)
                + (comment.isEmpty() ? "" : ": " + comment);
    }
}
