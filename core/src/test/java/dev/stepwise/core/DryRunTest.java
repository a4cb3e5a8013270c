package dev.stepwise.core;

import static dev.stepwise.core.Fixtures.IMAGE;
import static dev.stepwise.core.Fixtures.INSTANCE_ID;
import static dev.stepwise.core.Fixtures.MISSING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Prediction;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.StepStatus;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class DryRunTest {
    /** Stands in for a cloud API: records every call made to it. */
    private final List<String> calls = new CopyOnWriteArrayList<>();

    private Plan plan(int missing) {
        return Plan.builder("patch")
                .input(Input.required(INSTANCE_ID))
                .require("instance is Windows", ctx -> {
                    calls.add("DescribeInstances " + ctx.get(INSTANCE_ID));
                    return true;
                })
                .step(Step.mutating("backup").output(IMAGE).reads(INSTANCE_ID)
                        .predict(ctx -> List.of(Prediction.call("ec2", "CreateImage",
                                new TreeMap<>(Map.of("InstanceId", ctx.get(INSTANCE_ID), "NoReboot", true)))))
                        .action(ctx -> {
                            calls.add("CreateImage " + ctx.get(INSTANCE_ID));
                            return "ami-1";
                        }))
                .step(Step.readOnly("scan").output(MISSING).action(ctx -> {
                    calls.add("Scan");
                    return missing;
                }))
                .branch("anything missing?", ctx -> ctx.get(MISSING) > 0,
                        then -> then.step(Step.mutating("install").describedAs("install missing patches").reads(IMAGE)
                                .run(ctx -> calls.add("Install"))),
                        otherwise -> otherwise.end("nothing to install"))
                .build();
    }

    @Test
    void dryRun_executesReadOnlyStepsAndNoMutatingAction() {
        RunResult r = Runner.create().dryRun().run(plan(2), Inputs.of(INSTANCE_ID, "i-0123456789abcdef0"));

        assertThat(calls).containsExactly("DescribeInstances i-0123456789abcdef0", "Scan");
        assertThat(r.dryRun()).isTrue();
        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.step("backup").orElseThrow().status()).isEqualTo(StepStatus.PREDICTED);
        assertThat(r.step("backup").orElseThrow().predictions())
                .containsExactly(Prediction.call("ec2", "CreateImage", Map.of("InstanceId", "i-0123456789abcdef0", "NoReboot", true)));
        assertThat(r.step("scan").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(r.step("install").orElseThrow().status()).isEqualTo(StepStatus.PREDICTED);
        assertThat(r.step("install").orElseThrow().predictions()).extracting(Prediction::toString)
                .containsExactly("install missing patches");
    }

    @Test
    void dryRun_followsRealFactsIntoTheOtherArm() {
        RunResult r = Runner.create().dryRun().run(plan(0), Inputs.of(INSTANCE_ID, "i-0123456789abcdef0"));
        assertThat(r.status()).isEqualTo(RunStatus.ENDED);
        assertThat(r.step("install").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
        assertThat(calls).doesNotContain("Install", "CreateImage i-0123456789abcdef0");
    }

    @Test
    void dryRun_rendersWhatRanWhatWasPredictedAndWhatWasNot() {
        String text = Runner.create().dryRun().run(plan(0), Inputs.of(INSTANCE_ID, "i-0123456789abcdef0")).toString();
        assertThat(text).startsWith("DRY RUN of plan patch")
                .contains("Nothing was changed")
                .contains("PREDICTED").contains("would: ec2:CreateImage InstanceId=i-0123456789abcdef0, NoReboot=true")
                .contains("SKIPPED").contains("SUCCEEDED");
    }

    @Test
    void dryRun_whenBranchNeedsAPredictedOutput_saysItCannotDecide() {
        Plan plan = Plan.builder("depends")
                .step(Step.mutating("backup").output(IMAGE).action(ctx -> "ami-1"))
                .branch("image is encrypted?", ctx -> ctx.get(IMAGE).startsWith("ami-enc"),
                        then -> then.step(Step.mutating("a").run(ctx -> calls.add("a"))),
                        otherwise -> otherwise.step(Step.mutating("b").run(ctx -> calls.add("b"))))
                .build();
        RunResult r = Runner.create().dryRun().run(plan, Inputs.empty());
        assertThat(r.status()).isEqualTo(RunStatus.ENDED);
        assertThat(r.reason()).contains("a dry run cannot decide this: it needs backupImageId");
        assertThat(r.step("a").orElseThrow().status()).isEqualTo(StepStatus.NOT_REACHED);
        assertThat(calls).isEmpty();
    }

    @Test
    void dryRun_whenReadOnlyStepNeedsAPredictedOutput_predictsItInstead() {
        Plan plan = Plan.builder("depends")
                .step(Step.mutating("backup").output(IMAGE).action(ctx -> "ami-1"))
                .step(Step.readOnly("describe image").run(ctx -> calls.add("DescribeImages " + ctx.get(IMAGE))))
                .build();
        RunResult r = Runner.create().dryRun().run(plan, Inputs.empty());
        assertThat(r.step("describe image").orElseThrow().status()).isEqualTo(StepStatus.PREDICTED);
        assertThat(r.step("describe image").orElseThrow().note()).contains("needs backupImageId");
        assertThat(calls).isEmpty();
    }
}
