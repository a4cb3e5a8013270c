package dev.stepwise.core.run;

import dev.stepwise.core.plan.Prediction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a run publishes to its {@link RunListener}s, in order, on the thread that runs the plan. Progress
 * displays, audit logs and metrics hang off these. Every event names its run and carries the instant on the
 * runner's clock.
 *
 * <p>The events stay records with positional constructors, unlike the results: they are constructed by the
 * runner; listeners only read them, so a field added later breaks no user code that compiles against them.
 */
public sealed interface RunEvent {

    /** Which run an event belongs to. {@code target} is null unless the run is part of a rollout. */
    record RunRef(String plan, String runId, String target) {
        @Override
        public String toString() {
            return plan + "/" + runId + (target == null ? "" : " @" + target);
        }
    }

    /** The run this event belongs to. */
    RunRef run();

    /** When it happened, on the runner's clock. */
    Instant at();

    /** The run began; inputs were valid. */
    record PlanStarted(RunRef run, Instant at, boolean dryRun) implements RunEvent {
    }

    /** The run finished. */
    record PlanFinished(RunRef run, Instant at, RunStatus status) implements RunEvent {
    }

    /** A step's first attempt is about to start. */
    record StepStarted(RunRef run, Instant at, String step) implements RunEvent {
    }

    /** One attempt failed; a {@link RetryScheduled} or a {@link StepFailed} follows. */
    record AttemptFailed(RunRef run, Instant at, String step, int attempt, Failure failure) implements RunEvent {
    }

    /** Another attempt will start after {@code delay}. */
    record RetryScheduled(RunRef run, Instant at, String step, int nextAttempt, Duration delay) implements RunEvent {
    }

    /** The step succeeded. */
    record StepSucceeded(RunRef run, Instant at, String step, int attempts) implements RunEvent {
    }

    /** The step failed after {@code attempts} attempts. */
    record StepFailed(RunRef run, Instant at, String step, int attempts, Failure failure) implements RunEvent {
    }

    /** The step was not run: the other arm of a branch, or jumped over. */
    record StepSkipped(RunRef run, Instant at, String step, String reason) implements RunEvent {
    }

    /** Dry run: the step was not run; this is what it would have done. */
    record StepPredicted(RunRef run, Instant at, String step, List<Prediction> predictions) implements RunEvent {
    }

    /** A precondition or branch condition was evaluated; {@code outcome} is "held", "failed", "then" or "otherwise". */
    record CheckEvaluated(RunRef run, Instant at, String check, String outcome) implements RunEvent {
    }
}
