package dev.stepwise.temporal;

import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.RolloutProgress;
import dev.stepwise.core.rollout.RolloutResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.CanceledFailure;
import io.temporal.client.WorkflowUpdateException;
import java.util.Objects;

/**
 * A rollout on Temporal, by id: wait for its {@link RolloutResult}, ask where it stands (the same
 * {@link RolloutProgress} value the embedded runner's {@code Rollouts.status} gives, read from the workflow by a
 * query), answer its pending approval with the approver's name, or cancel it. Thread-safe; any process can make one
 * for a known id.
 *
 * <pre>{@code
 * TemporalRollout r = stepwise.rollout(patchRollout, "patch-2026-11");
 * System.out.println(r.status());          // WAITING, resumeAt = when the soak ends
 * r.approve("alice");
 * RolloutResult result = r.await();
 * }</pre>
 */
public final class TemporalRollout {
    private final WorkflowClient client;
    private final Rollout rollout;
    private final String id;

    TemporalRollout(WorkflowClient client, Rollout rollout, String id) {
        this.client = client;
        this.rollout = rollout;
        this.id = id;
    }

    /** The rollout id (the workflow id). */
    public String id() {
        return id;
    }

    /**
     * Waits for the rollout to finish; halts and cancellation are reported in the result, not thrown.
     *
     * @throws TemporalRefusedException if the worker did not know the rollout, or it changed
     */
    public RolloutResult await() {
        try {
            Wire.RolloutState s = TemporalClient.stub(client, id).getResult(Wire.RolloutState.class);
            return Results.rollout(rollout, s, null);
        } catch (WorkflowFailedException e) {
            if (e.getCause() instanceof CanceledFailure) {
                // Temporal closes a cancelled workflow as cancelled, without its return value: the final state is
                // read back by a query, which replays the workflow's history to its end
                return Results.rollout(rollout, client.newWorkflowStub(RolloutWorkflow.class, id).progress().state(), null);
            }
            throw TemporalClient.unwrap(e);
        } catch (WorkflowException e) {
            throw TemporalClient.unwrap(e);
        }
    }

    /**
     * Where the rollout stands: its state, each wave's, what it waits for and until when, who approved what.
     *
     * @throws TemporalRefusedException (reason {@code CHANGED}) if the rollout started on another version of its
     *         rollout or plan than the workers now have: it waits, running nothing, until a worker with the version
     *         it started with takes it again; the message names both fingerprints
     */
    public RolloutProgress status() {
        try {
            return Results.progress(id, client.newWorkflowStub(RolloutWorkflow.class, id).progress());
        } catch (RuntimeException e) {
            throw StepActivitiesImpl.refusedOnReplay(e).orElseThrow(() -> e);
        }
    }

    /** Approves the pending approval as {@code by}. */
    public void approve(String by) {
        answer(true, by, "");
    }

    /** Approves the pending approval as {@code by}, with a comment. */
    public void approve(String by, String comment) {
        answer(true, by, comment);
    }

    /** Rejects the pending approval as {@code by}: the rollout halts before the wave. */
    public void reject(String by, String reason) {
        answer(false, by, reason);
    }

    private void answer(boolean approved, String by, String comment) {
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(comment, "comment");
        try {
            client.newWorkflowStub(RolloutWorkflow.class, id).answer(new Wire.ApprovalAnswer(approved, by, comment));
        } catch (WorkflowUpdateException e) {
            throw new TemporalRefusedException(TemporalRefusedException.Reason.NO_PENDING_APPROVAL, "Rollout " + id
                    + " (" + rollout.name() + ") has no approval pending: nothing was " + (approved ? "approved" : "rejected"));
        }
    }

    /** Cancels the rollout: targets in flight are cancelled, and the result says where it stopped. */
    public void cancel() {
        TemporalClient.stub(client, id).cancel();
    }

    @Override
    public String toString() {
        return "TemporalRollout{" + id + "}";
    }
}
