package dev.stepwise.report;

import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.OnFailure;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Prediction;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.retry.RetryPolicy;
import dev.stepwise.core.rollout.Approval;
import dev.stepwise.core.rollout.Approver;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.Wave;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.time.Duration;
import java.util.Map;

/** Plans and results for the report tests: every kind of node and row, and text that tries to inject markup. */
final class Samples {
    static final Key<String> HOST = Key.of("host", String.class);
    static final Key<Integer> MISSING = Key.of("missing", Integer.class);
    static final Key<String> SECRET = Key.secret("apiToken", String.class);
    static final String SCRIPT = "<script>alert('x')</script>";

    private Samples() {
    }

    /** A plan with a precondition, a branch with an end, retries, a continue rule, and markup in its free text. */
    static Plan plan() {
        return Plan.builder("patch-host")
                .describedAs("patch one host behind a backup " + SCRIPT)
                .input(Input.required(HOST).matching("[a-z0-9-]+"))
                .input(Input.optional(SECRET, "s3cr3t-token"))
                .step(Step.readOnly("describe host").output(MISSING).reads(HOST)
                        .describedAs("read the host's facts")
                        .action(ctx -> {
                            ctx.sleep(Duration.ofSeconds(2));
                            return ctx.get(HOST).equals("db-2") ? 3 : 0;
                        }))
                .require("host is reachable " + SCRIPT, ctx -> !ctx.get(HOST).equals("db-9"))
                .branch("anything missing? <b onmouseover=x>", ctx -> ctx.get(MISSING) > 0,
                        then -> then
                                .step(Step.mutating("backup").reads(HOST)
                                        .predict(ctx -> java.util.List.of(Prediction.call("ec2", "CreateImage",
                                                Map.of("InstanceId", ctx.get(HOST), "Name", SCRIPT))))
                                        .run(ctx -> ctx.sleep(Duration.ofSeconds(40))))
                                .step(Step.mutating("install").reads(HOST)
                                        .retry(RetryPolicy.none())
                                        .onFailure(OnFailure.continueRun())
                                        .predict(ctx -> java.util.List.of(Prediction.of("install 3 patches")
                                                .withCondition("the scan still finds them")))
                                        .run(ctx -> {
                                            ctx.sleep(Duration.ofSeconds(95));
                                            if (ctx.get(HOST).equals("db-2")) {
                                                throw new IllegalStateException("install failed: " + SCRIPT);
                                            }
                                        }))
                                .step(Step.readOnly("report").output(Key.of("summary", String.class))
                                        .action(ctx -> "output with markup " + SCRIPT + " & ampersand")),
                        otherwise -> otherwise.end("nothing to install <i>done</i>"))
                .build();
    }

    static RunResult dryRun(String host) {
        return virtual().dryRun().run(plan(), Inputs.of(HOST, host));
    }

    static RunResult liveRun(String host) {
        return virtual().run(plan(), Inputs.of(HOST, host));
    }

    static Runner virtual() {
        return Runner.create().withTimeSource(VirtualTimeSource.create());
    }

    /** Two waves with a soak and an approval between them; db-2 fails its install under a continue rule. */
    static RolloutResult rollout(boolean dry) {
        Rollout rollout = Rollout.builder("patch-fleet", plan())
                .inputs(target -> Inputs.of(HOST, target))
                .wave(Wave.builder("non-production").targets("db-1", "db-2").maxConcurrency(1).build())
                .soak(Duration.ofHours(1))
                .approval(Approval.by(Approver.autoApprove("alice")).timeout(Duration.ofHours(4))
                        .onTimeout(Approval.TimeoutRule.REJECT))
                .wave(Wave.builder("production").targets("web-1", "web-2", "db-9").maxConcurrency(2).maxErrors(1).build())
                .build();
        Runner r = virtual();
        return (dry ? r.dryRun() : r).run(rollout);
    }
}
