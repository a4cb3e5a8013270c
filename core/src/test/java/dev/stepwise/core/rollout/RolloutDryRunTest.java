package dev.stepwise.core.rollout;

import static dev.stepwise.core.rollout.RolloutFixtures.INSTANCE_ID;
import static dev.stepwise.core.rollout.RolloutFixtures.ids;
import static dev.stepwise.core.rollout.RolloutFixtures.plan;
import static dev.stepwise.core.rollout.RolloutFixtures.rollout;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Prediction;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.StepStatus;
import dev.stepwise.core.run.VirtualTimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RolloutDryRunTest {

    @Test
    void dryRun_resolvesTargetsPredictsPerTargetAndChangesNothing() {
        AtomicInteger mutations = new AtomicInteger();
        AtomicBoolean asked = new AtomicBoolean();
        AtomicInteger resolved = new AtomicInteger();
        VirtualTimeSource time = VirtualTimeSource.create();
        Rollout r = rollout(plan((t, ctx) -> mutations.incrementAndGet()))
                .wave(Wave.builder("non-production").targets("i-1", "i-2").maxConcurrency("50%"))
                .soak(Duration.ofDays(7))
                .gate("every non-production target succeeded", soFar -> soFar.wave("non-production").allSucceeded())
                .approval(Approval.by(req -> {
                    asked.set(true);
                    return java.util.concurrent.CompletableFuture.completedFuture(ApprovalDecision.approve("x"));
                }))
                .wave(Wave.builder("production").targets(TargetSource.named("ec2 tag Env=prod", () -> {
                    resolved.incrementAndGet();
                    return ids("p", 30);
                })).maxConcurrency(10).maxErrors("10%").ramp().strict())
                .build();

        RolloutResult result = Runner.create().withTimeSource(time).dryRun().run(r);

        assertThat(mutations).hasValue(0);
        assertThat(asked).isFalse();
        assertThat(time.waits()).isEmpty();
        assertThat(resolved).hasValue(1);
        assertThat(result.dryRun()).isTrue();
        assertThat(result.status()).isEqualTo(RolloutStatus.SUCCEEDED);
        WaveResult prod = result.wave("production");
        assertThat(prod.total()).isEqualTo(30);
        assertThat(prod.concurrency()).isEqualTo(10);
        assertThat(prod.errorBudget()).isEqualTo(3);
        assertThat(prod.rampStages()).containsExactly(1, 2, 4, 8);
        assertThat(prod.checkpoints()).extracting(CheckpointResult::outcome)
                .containsOnly(CheckpointResult.Outcome.NOT_EVALUATED).hasSize(3);
        TargetResult p7 = prod.target("p-7").orElseThrow();
        assertThat(p7.run().dryRun()).isTrue();
        assertThat(p7.run().step("patch").orElseThrow().status()).isEqualTo(StepStatus.PREDICTED);
        assertThat(p7.run().step("patch").orElseThrow().predictions())
                .containsExactly(Prediction.call("ssm", "SendCommand", Map.of("InstanceIds", List.of("p-7"))));
        assertThat(result.toString()).contains("DRY RUN of rollout fleet", "concurrency 10 (set 10), error budget 3 (set 10%)",
                "ramp [1, 2, 4, 8] with canary, strict", "soak \"7 d 00 h\": NOT_EVALUATED (a live run waits 7 d 00 h)",
                "would: patch: ssm:SendCommand InstanceIds=[p-7]", "p-7");
    }

    @Test
    void dryRun_whenALiveRunWouldHalt_saysWhereAndStillShowsLaterWaves() {
        Plan guarded = Plan.builder("guarded").input(Input.required(INSTANCE_ID))
                .require("instance is managed", ctx -> !ctx.get(INSTANCE_ID).endsWith("-2"))
                .step(Step.mutating("patch").reads(INSTANCE_ID).run(ctx -> { }))
                .build();
        Rollout r = rollout(guarded)
                .wave(Wave.builder("a").targets("i-1", "i-2", "i-3"))
                .wave(Wave.builder("b").targets("j-1"))
                .build();

        RolloutResult result = Runner.create().withTimeSource(VirtualTimeSource.create()).dryRun().run(r);

        assertThat(result.status()).isEqualTo(RolloutStatus.HALTED);
        assertThat(result.reason()).startsWith("wave a: a live run would halt here: 1 target(s) failed, more than maxErrors 0");
        assertThat(result.wave("a").count(TargetStatus.SUCCEEDED)).isEqualTo(2);
        assertThat(result.wave("b").status()).isEqualTo(WaveStatus.SUCCEEDED);
        assertThat(result.wave("b").target("j-1").orElseThrow().run().dryRun()).isTrue();
    }
}
