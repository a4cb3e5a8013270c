package dev.stepwise.core.rollout;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Decides whether a wave may start: a person behind a chat message, a ticket, a console prompt, or a policy.
 *
 * <p>The rollout calls {@link #request} once per approval, on the rollout's thread, and waits for the returned
 * future on its clock until the approval's timeout; then the approval's {@link Approval.TimeoutRule} decides.
 * Return quickly and complete the future later; a synchronous {@link #answering} approver blocks the rollout
 * while it decides, and its timeout cannot cut it short. A future completed exceptionally, or a
 * {@code request} that throws, rejects. Implementations must be thread-safe if shared by rollouts.
 *
 * <pre>{@code
 * CompletableFuture<ApprovalDecision> answer = new CompletableFuture<>();
 * Approver viaChat = request -> { chat.post("Approve " + request.wave() + "?"); return answer; };
 * // later, from the chat handler:
 * answer.complete(ApprovalDecision.approve("alice"));
 * }</pre>
 */
@FunctionalInterface
public interface Approver {

    /** Asks for a decision; the future completes with it. */
    CompletionStage<ApprovalDecision> request(ApprovalRequest request) throws Exception;

    /** An approver that decides at once, on the rollout's thread. */
    static Approver answering(Function<ApprovalRequest, ApprovalDecision> decide) {
        Objects.requireNonNull(decide, "decide");
        return r -> CompletableFuture.completedFuture(decide.apply(r));
    }

    /** An approver answered by {@code decision}, a future that may already be complete or be completed later. */
    static Approver of(CompletionStage<ApprovalDecision> decision) {
        Objects.requireNonNull(decision, "decision");
        return r -> decision;
    }

    /** Approves everything, as {@code who} (for pipelines where the approval is the pipeline's own). */
    static Approver autoApprove(String who) {
        ApprovalDecision d = ApprovalDecision.approve(who, "automatic");
        return r -> CompletableFuture.completedFuture(d);
    }
}
