package dev.stepwise.temporal;

import dev.stepwise.core.run.RunResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.CanceledFailure;
import java.util.Objects;
import java.util.Optional;

/**
 * A plan's run on Temporal, by id: wait for its {@link RunResult} (the same value the embedded runner returns),
 * see whether a step waits for a human decision, decide it, or cancel the run. Thread-safe; holds no state of its
 * own, so any process can make one for a known id.
 *
 * <pre>{@code
 * TemporalRun run = stepwise.run("patch-db-host-42");
 * run.awaitingDecision().ifPresent(step -> run.rerun(step, "alice"));
 * RunResult result = run.await();
 * }</pre>
 */
public final class TemporalRun {
    private final WorkflowClient client;
    private final String id;

    TemporalRun(WorkflowClient client, String id) {
        this.client = client;
        this.id = id;
    }

    /** The run id (the workflow id). */
    public String id() {
        return id;
    }

    /**
     * Waits for the run to finish and returns its result; a cancelled run returns a result with status CANCELLED.
     *
     * @throws TemporalRefusedException if the worker did not know the plan, or its plan changed
     */
    public RunResult await() {
        try {
            return RunResult.fromJson(TemporalClient.stub(client, id).getResult(String.class));
        } catch (WorkflowFailedException e) {
            if (e.getCause() instanceof CanceledFailure) {
                // Temporal closes a cancelled workflow without its return value; a query replays it to its end
                return RunResult.fromJson(client.newWorkflowStub(PlanWorkflow.class, id).result());
            }
            throw TemporalClient.unwrap(e);
        } catch (WorkflowException e) {
            throw TemporalClient.unwrap(e);
        }
    }

    /**
     * The step that waits for a human decision (its attempt was lost and it may have acted), if any.
     *
     * @throws TemporalRefusedException (reason {@code CHANGED}) if the run started on another version of its plan
     *         than the workers now have: it waits, running nothing, until a worker with that version takes it again
     */
    public Optional<String> awaitingDecision() {
        return Optional.ofNullable(view().awaitingDecision());
    }

    /** Why the run waits for a decision, or an empty string. */
    public String awaitingReason() {
        return view().reason();
    }

    private Wire.RunView view() {
        try {
            return client.newWorkflowStub(PlanWorkflow.class, id).view();
        } catch (RuntimeException e) {
            throw StepActivitiesImpl.refusedOnReplay(e).orElseThrow(() -> e);
        }
    }

    /**
     * Runs {@code step}, which waits for a decision, again; the action sees {@code isRerun()}.
     *
     * @throws TemporalRefusedException if no step of that name waits for a decision (nothing is sent)
     */
    public void rerun(String step, String by) {
        decide(step, true, by);
    }

    /**
     * Skips {@code step}, which waits for a decision, and goes on with the next one.
     *
     * @throws TemporalRefusedException if no step of that name waits for a decision (nothing is sent)
     */
    public void skip(String step, String by) {
        decide(step, false, by);
    }

    private void decide(String step, boolean rerun, String by) {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(by, "by");
        String waiting = awaitingDecision().orElse(null);
        if (!step.equals(waiting)) {
            throw new TemporalRefusedException(TemporalRefusedException.Reason.NO_PENDING_DECISION, "Run " + id
                    + ": step \"" + step + "\" does not wait for a decision ("
                    + (waiting == null ? "no step does" : "\"" + waiting + "\" does") + ")");
        }
        client.newWorkflowStub(PlanWorkflow.class, id).decide(new Wire.Decision(step, rerun, by));
    }

    /** Asks the run to stop: activities in flight are cancelled, and the result says where it stopped. */
    public void cancel() {
        TemporalClient.stub(client, id).cancel();
    }

    @Override
    public String toString() {
        return "TemporalRun{" + id + "}";
    }
}
