package dev.stepwise.examples;

import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Prediction;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.retry.RetryPolicy;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.StepStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The main demo: shows a plan's outline, dry-runs it, runs it live, and checks that each did what it says.
 * Exits with status 1 if any check fails.
 *
 * <p>Run it from the repository's root with {@code mvn -B -q -DskipTests -pl examples -am package exec:java}.
 */
public final class Demo {
    private static final Key<String> HOST = Key.of("host", String.class);
    private static final Key<Integer> MISSING = Key.of("missing", Integer.class);

    private final List<String> failures = new ArrayList<>();

    private Demo() {
    }

    public static void main(String[] args) {
        Demo demo = new Demo();
        demo.corePlan();
        if (!demo.failures.isEmpty()) {
            System.out.println("\nDEMO FAILED:");
            demo.failures.forEach(f -> System.out.println("  - " + f));
            System.exit(1);
        }
        System.out.println("\nEvery demo did what it says.");
    }

    /** A plan with a precondition, a retried step, a branch and an end, dry-run then run live. */
    private void corePlan() {
        List<String> changes = new ArrayList<>();
        AtomicInteger installAttempts = new AtomicInteger();
        Plan plan = Plan.builder("patch-host")
                .describedAs("back up a host, scan it, and install what is missing")
                .input(Input.required(HOST).matching("[a-z0-9-]+"))
                .require("host answers", ctx -> true)
                .step(Step.mutating("backup")
                        .describedAs("snapshot the host's disk")
                        .predict(ctx -> List.of(Prediction.call("disk", "Snapshot", Map.of("host", ctx.get(HOST)))))
                        .run(ctx -> changes.add("snapshot of " + ctx.get(HOST))))
                .step(Step.readOnly("scan").output(MISSING).action(ctx -> 2))
                .branch("anything missing?", ctx -> ctx.get(MISSING) > 0,
                        then -> then.step(Step.mutating("install")
                                .retry(RetryPolicy.builder().maxAttempts(3).delay(Duration.ofMillis(200)).build())
                                .run(ctx -> {
                                    if (installAttempts.incrementAndGet() == 1) {
                                        throw new IllegalStateException("package mirror busy (a flaky first attempt)");
                                    }
                                    changes.add("installed " + ctx.get(MISSING) + " patches");
                                })),
                        otherwise -> otherwise.end("nothing to install"))
                .build();

        section("The plan");
        System.out.println(plan);

        section("Dry run: checks and READ_ONLY steps run, MUTATING steps are predicted");
        RunResult dry = Runner.create().dryRun().run(plan, Inputs.of(HOST, "db-1"));
        System.out.println(dry);
        check(dry.status() == RunStatus.SUCCEEDED, "dry run succeeds");
        check(changes.isEmpty(), "dry run changes nothing");
        check(dry.step("backup").map(s -> s.status() == StepStatus.PREDICTED).orElse(false), "dry run predicts the backup");

        section("Live run: the install fails once and is retried");
        RunResult live = Runner.create().run(plan, Inputs.of(HOST, "db-1"));
        System.out.println(live);
        check(live.status() == RunStatus.SUCCEEDED, "live run succeeds");
        check(changes.equals(List.of("snapshot of db-1", "installed 2 patches")), "live run makes exactly the predicted changes");
        check(live.step("install").map(s -> s.attempts() == 2).orElse(false), "install took two attempts");
    }

    private static void section(String title) {
        System.out.println("\n== " + title + " ==\n");
    }

    private void check(boolean ok, String what) {
        System.out.println((ok ? "  ok   " : "  FAIL ") + what);
        if (!ok) {
            failures.add(what);
        }
    }
}
