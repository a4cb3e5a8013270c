package dev.stepwise.temporal;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The activities a worker offers: everything that may touch the outside world — a step, a check, a wave's
 * targets, a gate — runs here, on a worker, and its outcome is recorded in the workflow's history, so a replay
 * never calls out again. Public only because Temporal's proxies need it; not part of Stepwise's API.
 */
@ActivityInterface(namePrefix = "Stepwise")
public interface StepActivities {

    /** Runs one step with the embedded runner's attempt machinery; its failure is an outcome, not an exception. */
    @ActivityMethod
    Wire.StepOutcome runStep(Wire.StepCall call);

    /** Evaluates one precondition or branch condition. */
    @ActivityMethod
    Wire.CheckOutcome check(Wire.CheckCall call);

    /** Resolves a wave's targets (fixed, from a provider, or from earlier waves) and each target's inputs. */
    @ActivityMethod
    Wire.Targets targets(Wire.TargetsCall call);

    /** Appends entries to the rollout's journal in the worker's journal store; does nothing without one. */
    @ActivityMethod
    void journal(Wire.JournalCall call);

    /** Sends an announcement's notice (one attempt: never sent twice). */
    @ActivityMethod
    Wire.AnnounceOutcome announce(Wire.AnnounceCall call);

    /**
     * Asks an approval's configured approver, once: its answer when it gives one at once; an answer it gives later in
     * this worker's JVM reaches the workflow as an update.
     */
    @ActivityMethod
    Wire.AskOutcome ask(Wire.AskCall call);

    /** Evaluates a gate over the rollout's result so far. */
    @ActivityMethod
    Wire.GateOutcome gate(Wire.GateCall call);
}
