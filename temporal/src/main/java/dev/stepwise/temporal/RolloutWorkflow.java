package dev.stepwise.temporal;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One rollout as a workflow: checkpoints as durable timers, approvals and activities, each target's run as a child
 * {@link PlanWorkflow}. Public only because Temporal's proxies need it; use {@link TemporalClient}.
 */
@WorkflowInterface
public interface RolloutWorkflow {

    /** Runs the rollout; returns its state, which the client turns into a {@code RolloutResult}. */
    @WorkflowMethod(name = "StepwiseRollout")
    Wire.RolloutState run(Wire.RolloutRequest request);

    /** Where the rollout stands and what it waits for. */
    @QueryMethod(name = "progress")
    Wire.Progress progress();

    /** Answers the pending approval; refused by the validator when none is pending. */
    @UpdateMethod(name = "answer")
    String answer(Wire.ApprovalAnswer answer);

    /** Refuses an answer when no approval is pending. */
    @UpdateValidatorMethod(updateName = "answer")
    void validateAnswer(Wire.ApprovalAnswer answer);
}
