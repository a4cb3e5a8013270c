package dev.stepwise.examples.recipes;

import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.OnFailure;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Prediction;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.retry.RetryPolicy;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.Runner;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Recipe: a plan of your own, with a precondition, a branch, retries and a clean-up step. */
public final class CustomPlanRecipe {
    static final Key<String> SERVICE = Key.of("service", String.class);
    static final Key<Integer> CONNECTIONS = Key.of("connections", Integer.class);

    private CustomPlanRecipe() {
    }

    /** Restarts a service, draining it first if it has connections, and puts it back in the pool whatever happens. */
    public static Plan plan(Map<String, Integer> connectionsByService) {
        RetryPolicy patient = RetryPolicy.builder().maxAttempts(4).backoff(Duration.ofMillis(50), Duration.ofSeconds(1))
                .abortOn(IllegalArgumentException.class).build();
        return Plan.builder("restart-service")
                .input(Input.required(SERVICE).oneOf(connectionsByService.keySet()))
                .require("the service is known to the load balancer", ctx -> connectionsByService.containsKey(ctx.get(SERVICE)))
                .step(Step.readOnly("count connections").output(CONNECTIONS).reads(SERVICE)
                        .action(ctx -> connectionsByService.get(ctx.get(SERVICE))))
                .when("it has open connections", ctx -> ctx.get(CONNECTIONS) > 0,
                        drain -> drain.step(Step.mutating("drain").reads(SERVICE).retry(patient)
                                .predict(ctx -> List.of(Prediction.call("lb", "Deregister", Map.of("service", ctx.get(SERVICE)))))
                                .run(ctx -> System.out.println("draining " + ctx.get(SERVICE)))))
                .step(Step.mutating("restart").reads(SERVICE).retry(patient).onFailure(OnFailure.goTo("back in pool"))
                        .predict(ctx -> List.of(Prediction.call("systemd", "Restart", Map.of("unit", ctx.get(SERVICE)))))
                        .run(ctx -> System.out.println("restarting " + ctx.get(SERVICE))))
                .step(Step.mutating("back in pool").reads(SERVICE).rerunnable("registering twice changes nothing")
                        .predict(ctx -> List.of(Prediction.call("lb", "Register", Map.of("service", ctx.get(SERVICE)))))
                        .run(ctx -> System.out.println("registering " + ctx.get(SERVICE))))
                .build();
    }

    /** Dry-runs, then runs; returns the live result. */
    public static RunResult run() {
        Plan plan = plan(Map.of("billing", 12, "search", 0));
        System.out.println(plan);
        System.out.println(Runner.create().dryRun().run(plan, Inputs.of(SERVICE, "billing")));
        RunResult live = Runner.create().run(plan, Inputs.of(SERVICE, "billing"));
        System.out.println(live);
        return live;
    }

    public static void main(String[] args) {
        System.exit(run().isSuccess() ? 0 : 1);
    }
}
