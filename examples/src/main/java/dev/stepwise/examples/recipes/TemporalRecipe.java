package dev.stepwise.examples.recipes;

import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.rollout.Approver;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.RolloutProgress;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.temporal.StepwiseTemporal;
import dev.stepwise.temporal.TemporalClient;
import dev.stepwise.temporal.TemporalRollout;
import dev.stepwise.temporal.TemporalWorker;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recipe: a three-wave rollout with a 7-day soak and an approval, run as a Temporal workflow.
 *
 * <p>Each part runs in the process that owns it. The worker holds the plan's code and runs it; any other process
 * starts the rollout, asks for its status and answers the approval, by id. This class's {@code main} is all four as
 * subcommands, pointed at {@code TEMPORAL_ADDRESS} (else {@code localhost:7233}):
 * <pre>
 *   java … TemporalRecipe worker                  # keeps running; start one or more
 *   java … TemporalRecipe start monthly-2026-11
 *   java … TemporalRecipe status monthly-2026-11  # "WAITING: soak …" for a week
 *   java … TemporalRecipe approve monthly-2026-11 alice
 * </pre>
 * The test suite runs the same methods on Temporal's in-process test environment ({@code RecipesIT}).
 */
public final class TemporalRecipe {
    /** The Temporal task queue the worker listens on and the client starts workflows on. */
    public static final String QUEUE = "maintenance";
    static final Key<String> HOST = Key.of("host", String.class);

    /** Hosts the plan patched in this worker's JVM: a real plan would call a provider instead. */
    static final Set<String> PATCHED = ConcurrentHashMap.newKeySet();

    private TemporalRecipe() {
    }

    /** The plan every target runs: a read-only look, then the change. */
    public static Plan plan() {
        return Plan.builder("patch-host").input(HOST)
                .step(Step.readOnly("look").reads(HOST).run(ctx -> System.out.println("looking at " + ctx.get(HOST))))
                .step(Step.mutating("patch").reads(HOST).run(ctx -> PATCHED.add(ctx.get(HOST))))
                .build();
    }

    /**
     * Dev, then a week's soak, then staging, then a person's approval (a day of silence rejects), then production.
     * The approver given here is what the embedded runner would ask, and it never answers by itself; on Temporal
     * the approval is a signal instead ({@link #approve}).
     */
    public static Rollout rollout() {
        return Rollout.builder("monthly-patch", plan()).inputs(host -> Inputs.of(HOST, host))
                .wave("dev", w -> w.targets("dev-1", "dev-2"))
                .soak(Duration.ofDays(7))
                .gate("dev all succeeded", r -> r.wave("dev").allSucceeded())
                .wave("staging", w -> w.targets("stg-1", "stg-2").maxConcurrency(2))
                .approval(Approver.of(new CompletableFuture<>()), a -> a.timeout(Duration.ofDays(1)))
                .wave("production", w -> w.targets("prod-1", "prod-2", "prod-3").maxConcurrency(2).maxErrors("0"))
                .build();
    }

    /** A worker for {@link #QUEUE} that knows the rollout (and so its plan); call {@code start()} on it. */
    public static TemporalWorker worker(WorkflowClient client) {
        return StepwiseTemporal.worker(client, QUEUE).register(rollout());
    }

    /** Starts the rollout under {@code id}; the worker picks it up. */
    public static TemporalRollout start(WorkflowClient client, String id) {
        return stepwise(client).start(rollout(), id);
    }

    /** Where rollout {@code id} stands: the same value {@code Rollouts.status} gives for an embedded rollout. */
    public static RolloutProgress status(WorkflowClient client, String id) {
        return stepwise(client).rollout(rollout(), id).status();
    }

    /** Answers rollout {@code id}'s pending approval as {@code by}. */
    public static void approve(WorkflowClient client, String id, String by) {
        stepwise(client).rollout(rollout(), id).approve(by, "approved through the recipe");
    }

    /** Waits for rollout {@code id} to end and returns its result, the same value the embedded runner returns. */
    public static RolloutResult await(WorkflowClient client, String id) {
        return stepwise(client).rollout(rollout(), id).await();
    }

    private static TemporalClient stepwise(WorkflowClient client) {
        return StepwiseTemporal.client(client, QUEUE);
    }

    /** {@code worker | start ID | status ID | approve ID NAME | await ID}, against {@code TEMPORAL_ADDRESS}. */
    public static void main(String[] args) {
        List<String> a = Arrays.asList(args);
        if (a.isEmpty()) {
            System.err.println("usage: TemporalRecipe worker | start ID | status ID | approve ID NAME | await ID");
            System.exit(2);
        }
        WorkflowClient client = StepwiseTemporal.connect();
        switch (a.get(0)) {
            case "worker" -> worker(client).start();
            case "start" -> System.out.println("started " + start(client, a.get(1)).id());
            case "status" -> System.out.println(status(client, a.get(1)));
            case "approve" -> approve(client, a.get(1), a.get(2));
            case "await" -> System.out.println(await(client, a.get(1)));
            default -> {
                System.err.println("unknown subcommand: " + a.get(0));
                System.exit(2);
            }
        }
    }
}
