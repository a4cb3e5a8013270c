package dev.stepwise.core.rollout;

import java.time.Instant;
import java.util.Objects;

/**
 * What an {@link Approver} is asked: may wave {@code wave} of rollout {@code rollout} start, given how the
 * rollout has gone so far? Immutable and thread-safe.
 *
 * <pre>{@code
 * Approver console = request -> {
 *     System.out.println(request.soFar());
 *     return CompletableFuture.completedFuture(ApprovalDecision.approve(System.getProperty("user.name")));
 * };
 * }</pre>
 *
 * @param rollout     the rollout's name
 * @param rolloutId   the rollout's id
 * @param wave        the wave waiting for approval
 * @param description the approval's description
 * @param soFar       the rollout's result so far (status RUNNING)
 * @param requestedAt when the request was made, on the rollout's clock
 * @param deadline    when the approval's timeout rule decides, on the rollout's clock
 */
public record ApprovalRequest(String rollout, String rolloutId, String wave, String description, RolloutResult soFar,
        Instant requestedAt, Instant deadline) {
    public ApprovalRequest {
        Objects.requireNonNull(rollout, "rollout");
        Objects.requireNonNull(wave, "wave");
        Objects.requireNonNull(soFar, "soFar");
    }

    @Override
    public String toString() {
        return "ApprovalRequest{" + rollout + " (" + rolloutId + "): may wave " + wave + " start? " + description
                + ", answer by " + deadline + "}";
    }
}
