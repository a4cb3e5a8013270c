package dev.stepwise.temporal;

import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;

/**
 * Entry point: Stepwise plans and rollouts as Temporal workflows. Workers register plans and rollouts by name;
 * clients start them by id and get handles to await, query, signal and cancel them. Dry runs stay local: use
 * {@code Runner.create().dryRun()}, which needs no engine.
 *
 * <pre>{@code
 * WorkflowClient client = StepwiseTemporal.connect();            // TEMPORAL_ADDRESS, else localhost:7233
 * StepwiseTemporal.worker(client, "maintenance").register(plan).start();
 * RunResult r = StepwiseTemporal.client(client, "maintenance").start(plan, inputs).await();
 * }</pre>
 */
public final class StepwiseTemporal {
    private StepwiseTemporal() {
    }

    /** A worker on {@code taskQueue}, to register plans and rollouts on before starting it. */
    public static TemporalWorker worker(WorkflowClient client, String taskQueue) {
        return new TemporalWorker(client, taskQueue);
    }

    /** A client that starts plans and rollouts on {@code taskQueue}. */
    public static TemporalClient client(WorkflowClient client, String taskQueue) {
        return new TemporalClient(client, taskQueue);
    }

    /**
     * A client of the Temporal service at {@code TEMPORAL_ADDRESS} (host:port), or at Temporal's default
     * {@code localhost:7233} when the variable is unset, in the default namespace.
     */
    public static WorkflowClient connect() {
        String address = System.getenv("TEMPORAL_ADDRESS");
        WorkflowServiceStubsOptions.Builder options = WorkflowServiceStubsOptions.newBuilder();
        if (address != null && !address.isBlank()) {
            options.setTarget(address.trim());
        }
        return WorkflowClient.newInstance(WorkflowServiceStubs.newServiceStubs(options.build()));
    }
}
