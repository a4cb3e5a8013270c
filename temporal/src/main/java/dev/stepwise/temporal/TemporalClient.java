package dev.stepwise.temporal;

import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.rollout.Rollout;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Starts Stepwise plans and rollouts as workflows on a task queue, and finds them again by id. The plan or rollout
 * passed here must be the one the workers registered: its name picks the worker's copy and its fingerprint travels
 * with the workflow, so a worker with a different version refuses it. Inputs are checked here, before anything is
 * sent: bad ones raise {@link dev.stepwise.core.InvalidInputException}, secret ones a
 * {@link TemporalRefusedException} (a workflow's inputs are kept in its history). Thread-safe.
 *
 * <pre>{@code
 * TemporalClient stepwise = StepwiseTemporal.client(client, "maintenance");
 * TemporalRun run = stepwise.start(plan, Inputs.of(INSTANCE_ID, "i-0123456789abcdef0"));
 * RunResult result = run.await();
 * TemporalRollout rollout = stepwise.start(patchRollout);
 * System.out.println(rollout.status());
 * rollout.approve("alice");
 * }</pre>
 */
public final class TemporalClient {
    private final WorkflowClient client;
    private final String taskQueue;

    TemporalClient(WorkflowClient client, String taskQueue) {
        this.client = Objects.requireNonNull(client, "client");
        this.taskQueue = Objects.requireNonNull(taskQueue, "taskQueue");
    }

    /** Starts {@code plan} with a new run id. */
    public TemporalRun start(Plan plan, Inputs inputs) {
        return start(plan, inputs, plan.name() + "-" + UUID.randomUUID());
    }

    /**
     * Starts {@code plan} as workflow {@code runId} (the run id its steps see).
     *
     * @throws dev.stepwise.core.InvalidInputException if the inputs break the plan's declarations (nothing sent)
     * @throws TemporalRefusedException if an input is secret (nothing sent)
     */
    public TemporalRun start(Plan plan, Inputs inputs, String runId) {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(runId, "runId");
        Inputs resolved = plan.resolve(Objects.requireNonNull(inputs, "inputs"));
        Wire.PlanRequest request = new Wire.PlanRequest(plan.name(), plan.fingerprint(), runId, null,
                StepActivitiesImpl.plain(plan.name(), resolved), StepActivitiesImpl.shown(resolved), null, List.of());
        PlanWorkflow wf = client.newWorkflowStub(PlanWorkflow.class, options(runId));
        WorkflowClient.start(wf::run, request);
        return run(runId);
    }

    /** A handle to run {@code runId}, started earlier (by this process or another). */
    public TemporalRun run(String runId) {
        return new TemporalRun(client, Objects.requireNonNull(runId, "runId"));
    }

    /** Starts {@code rollout} with a new rollout id. */
    public TemporalRollout start(Rollout rollout) {
        return start(rollout, rollout.name() + "-" + UUID.randomUUID());
    }

    /** Starts {@code rollout} as workflow {@code rolloutId}; each target's run is a child workflow of it. */
    public TemporalRollout start(Rollout rollout, String rolloutId) {
        Objects.requireNonNull(rollout, "rollout");
        Objects.requireNonNull(rolloutId, "rolloutId");
        RolloutWorkflow wf = client.newWorkflowStub(RolloutWorkflow.class, options(rolloutId));
        WorkflowClient.start(wf::run, new Wire.RolloutRequest(rollout.name(), Registry.fingerprint(rollout), rolloutId,
                rollout.plan().fingerprint()));
        return rollout(rollout, rolloutId);
    }

    /** A handle to rollout {@code rolloutId} of {@code rollout}, started earlier (by this process or another). */
    public TemporalRollout rollout(Rollout rollout, String rolloutId) {
        return new TemporalRollout(client, Objects.requireNonNull(rollout, "rollout"),
                Objects.requireNonNull(rolloutId, "rolloutId"));
    }

    private WorkflowOptions options(String id) {
        return WorkflowOptions.newBuilder().setTaskQueue(taskQueue).setWorkflowId(id).build();
    }

    /** The refusal a failed workflow or update carries, or {@code failure} itself. */
    static RuntimeException unwrap(RuntimeException failure) {
        Throwable t = failure;
        while (t != null) {
            if (t instanceof io.temporal.failure.ApplicationFailure af && af.getType() != null
                    && af.getType().startsWith(StepActivitiesImpl.REFUSED + ":")) {
                TemporalRefusedException.Reason reason = TemporalRefusedException.Reason.valueOf(
                        af.getType().substring(StepActivitiesImpl.REFUSED.length() + 1));
                return new TemporalRefusedException(reason, af.getOriginalMessage());
            }
            t = t.getCause();
        }
        return failure;
    }

    static WorkflowStub stub(WorkflowClient client, String id) {
        return client.newUntypedWorkflowStub(id);
    }
}
