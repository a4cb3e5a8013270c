package dev.stepwise.temporal;

import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.rollout.Rollout;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * A Temporal worker that runs Stepwise plans and rollouts registered by name: their code lives in the worker's
 * JVM, as activity code does. Make one with {@link StepwiseTemporal#worker(WorkflowClient, String)}, register,
 * then {@link #start()}.
 *
 * <p>Defaults: activities heartbeat every 5 s and are presumed lost after 30 s without one; a step without a
 * timeout may run for up to 1 day; a READ_ONLY step or check whose worker was lost is tried up to 3 times.
 * Registration is not thread-safe and must happen before {@link #start()}; a started worker is thread-safe.
 *
 * <pre>{@code
 * TemporalWorker worker = StepwiseTemporal.worker(client, "maintenance").
 *     register(plan).
 *     register(rollout).
 *     start();
 * }</pre>
 */
public final class TemporalWorker implements AutoCloseable {
    private final WorkflowClient client;
    private final String taskQueue;
    private final Registry registry = new Registry();
    private Duration heartbeatTimeout = Duration.ofSeconds(30);
    private Duration heartbeatEvery = Duration.ofSeconds(5);
    private Duration stepTimeout = Duration.ofDays(1);
    private WorkerOptions workerOptions = WorkerOptions.getDefaultInstance();
    private WorkerFactory factory;
    private JournalStore journal;

    TemporalWorker(WorkflowClient client, String taskQueue) {
        this.client = Objects.requireNonNull(client, "client");
        this.taskQueue = Objects.requireNonNull(taskQueue, "taskQueue");
    }

    /**
     * Registers {@code plan} under its name.
     *
     * @throws TemporalRefusedException if a plan of that name is already registered, or a step's output is secret
     */
    public TemporalWorker register(Plan plan) {
        registry.add(Objects.requireNonNull(plan, "plan"));
        return this;
    }

    /**
     * Registers {@code rollout} under its name, and the plans it runs (its own and each wave's) with it unless the
     * same plans are registered already.
     *
     * @throws TemporalRefusedException if a rollout of that name is registered, or another plan has the name of a
     *         plan it runs (nothing of the rollout is registered then)
     */
    public TemporalWorker register(Rollout rollout) {
        registry.add(Objects.requireNonNull(rollout, "rollout"));
        return this;
    }

    /**
     * Temporal's own options for the worker this makes (default: Temporal's defaults), for example its poller
     * counts or sticky execution; Stepwise sets none of them.
     */
    public TemporalWorker workerOptions(WorkerOptions options) {
        this.workerOptions = Objects.requireNonNull(options, "options");
        return this;
    }

    /**
     * Optional: keeps a copy of each rollout's journal in {@code store}, as the embedded runner would write it: its
     * start, its checkpoints with their outcomes and data, each wave's targets, start and end, and its end. What
     * reads a rollout's journal then works for rollouts on Temporal too, such as {@code Rollouts.status(store, id)}
     * or a report; for a complete copy, give every worker of the task queue the same store. No rollout needs it to
     * run: a step reads the checkpoints before its wave, a gate's data included, from
     * {@code StepContext.waveCheckpoints()}, which the rollout workflow hands each target's run (the staged patch
     * rollout's production plan recalls its verified patches that way). The copy is for readers: Temporal's history
     * is what the rollout runs from, and the embedded runner cannot resume it.
     */
    public TemporalWorker journal(JournalStore store) {
        this.journal = Objects.requireNonNull(store, "store");
        return this;
    }

    /** How long an activity may go without a heartbeat before its worker counts as lost (default 30 s). */
    public TemporalWorker heartbeatTimeout(Duration timeout) {
        this.heartbeatTimeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /**
     * How often a running activity heartbeats (default 5 s); a heartbeat is also when it learns that its workflow
     * was cancelled. Keep it well below {@link #heartbeatTimeout(Duration)}.
     */
    public TemporalWorker heartbeatEvery(Duration interval) {
        this.heartbeatEvery = Objects.requireNonNull(interval, "interval");
        return this;
    }

    /** The longest a step without a timeout of its own may run (default 1 day). */
    public TemporalWorker stepTimeout(Duration timeout) {
        this.stepTimeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /** Starts polling the task queue with a worker factory of its own. */
    public TemporalWorker start() {
        return start(WorkerFactory.newInstance(client));
    }

    /** Adds this worker to {@code factory} (which the caller may share with other workers) and starts it. */
    public TemporalWorker start(WorkerFactory factory) {
        WorkerSettings settings = new WorkerSettings(heartbeatTimeout, heartbeatEvery, stepTimeout, 3);
        Worker worker = factory.newWorker(taskQueue, workerOptions);
        worker.registerWorkflowImplementationFactory(PlanWorkflow.class, () -> new PlanWorkflowImpl(registry, settings));
        worker.registerWorkflowImplementationFactory(RolloutWorkflow.class,
                () -> new RolloutWorkflowImpl(registry, settings, taskQueue));
        worker.registerActivitiesImplementations(new StepActivitiesImpl(registry, heartbeatEvery, journal,
                factory.getWorkflowClient()));
        this.factory = factory;
        factory.start();
        return this;
    }

    /** Stops polling at once, as a crash would; workflows go on on other workers. */
    public void shutdownNow() {
        if (factory != null) {
            factory.shutdownNow();
        }
    }

    /** Stops polling and lets running activities finish. */
    @Override
    public void close() {
        if (factory != null) {
            factory.shutdown();
        }
    }
}
