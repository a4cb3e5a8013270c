package dev.stepwise.temporal;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One run of a plan as a workflow; returns the run's {@code RunResult} as JSON. Public only because Temporal's
 * proxies need it; use {@link TemporalClient}.
 */
@WorkflowInterface
public interface PlanWorkflow {

    /** Runs the plan. */
    @WorkflowMethod(name = "StepwisePlan")
    String run(Wire.PlanRequest request);

    /** Tells a run stopped at a step that needs a human decision to re-run the step or to skip it. */
    @SignalMethod(name = "decide")
    void decide(Wire.Decision decision);

    /** The run's result once it ended (null before), as JSON. */
    @QueryMethod(name = "result")
    String result();

    /** What the run waits for, if anything. */
    @QueryMethod(name = "view")
    Wire.RunView view();
}
