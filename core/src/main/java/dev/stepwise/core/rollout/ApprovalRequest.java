package dev.stepwise.core.rollout;

import dev.stepwise.core.Nullable;
import java.time.Instant;
import org.immutables.value.Value;

/**
 * What an {@link Approver} is asked: may wave {@code wave} of rollout {@code rollout} start, given how the
 * rollout has gone so far?
 *
 * <p>Made by the rollout runner; {@link #builder()} is there for tests of an approver. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * Approver console = request -> {
 *     System.out.println(request.soFar());
 *     return CompletableFuture.completedFuture(ApprovalDecision.approve(System.getProperty("user.name")));
 * };
 * }</pre>
 */
@Value.Immutable
public abstract class ApprovalRequest {

    ApprovalRequest() {
    }

    /** Starts a request; {@code rollout}, {@code wave} and {@code soFar} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this request's values. */
    public Builder toBuilder() {
        return new Builder().from(this);
    }

    /** The rollout's name. */
    public abstract String rollout();

    /** The rollout's id, or null. */
    @Nullable
    public abstract String rolloutId();

    /** The wave waiting for approval. */
    public abstract String wave();

    /** The approval's description, or null. */
    @Nullable
    public abstract String description();

    /** The rollout's result so far (status RUNNING). */
    public abstract RolloutResult soFar();

    /** When the request was made, on the rollout's clock, or null. */
    @Nullable
    public abstract Instant requestedAt();

    /** When the approval's timeout rule decides, on the rollout's clock, or null. */
    @Nullable
    public abstract Instant deadline();

    @Override
    public String toString() {
        return "ApprovalRequest{" + rollout() + " (" + rolloutId() + "): may wave " + wave() + " start? "
                + description() + ", answer by " + deadline() + "}";
    }

    /** Builds an {@link ApprovalRequest}; a missing required value throws a {@code PlanValidationException} naming it. */
    public static final class Builder extends ImmutableApprovalRequest.Builder {
        Builder() {
        }
    }
}
