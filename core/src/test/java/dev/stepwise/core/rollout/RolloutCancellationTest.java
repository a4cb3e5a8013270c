package dev.stepwise.core.rollout;

import static dev.stepwise.core.rollout.RolloutFixtures.ids;
import static dev.stepwise.core.rollout.RolloutFixtures.plan;
import static dev.stepwise.core.rollout.RolloutFixtures.rollout;
import static dev.stepwise.core.rollout.RolloutFixtures.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.StepStatus;
import dev.stepwise.core.run.VirtualTimeSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RolloutCancellationTest {

    @Test
    void cancel_midWave_stopsNewTargetsStopsTheRunningOneAtItsNextBoundaryAndSaysWhere() throws Exception {
        CompletableFuture<RolloutHandle> handle = new CompletableFuture<>();
        List<String> ran = new CopyOnWriteArrayList<>();
        Rollout r = rollout(plan((t, ctx) -> {
            ran.add(t);
            if (t.equals("i-3")) {
                handle.get().cancel("operator saw errors");
                ctx.sleep(Duration.ofMinutes(5));
                ran.add("after the wait on " + t);
            }
        })).wave(Wave.builder("w").targets(TargetSource.of(ids("i", 6))))
                .wave(Wave.builder("later").targets("j-1"))
                .build();

        handle.complete(runner(VirtualTimeSource.create()).start(r));
        RolloutResult result = handle.get().await();

        assertThat(ran).containsExactly("i-1", "i-2", "i-3");
        assertThat(result.status()).isEqualTo(RolloutStatus.CANCELLED);
        assertThat(result.reason()).isEqualTo("wave w: cancelled: operator saw errors (1 target(s) stopped in flight, 3 not started)");
        WaveResult w = result.wave("w");
        assertThat(w.targets()).extracting(TargetResult::status).containsExactly(TargetStatus.SUCCEEDED,
                TargetStatus.SUCCEEDED, TargetStatus.CANCELLED, TargetStatus.NOT_STARTED, TargetStatus.NOT_STARTED,
                TargetStatus.NOT_STARTED);
        TargetResult cancelled = w.target("i-3").orElseThrow();
        assertThat(cancelled.run().status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(cancelled.run().step("patch").orElseThrow().status()).isEqualTo(StepStatus.CANCELLED);
        assertThat(w.target("i-4").orElseThrow().note()).isEqualTo("not started: the rollout was cancelled: operator saw errors");
        assertThat(result.wave("later").status()).isEqualTo(WaveStatus.NOT_STARTED);
        assertThat(result.wave("later").reason()).isEqualTo("not started: the rollout was cancelled in wave w");
        assertThatThrownBy(result::orThrow).isInstanceOf(RolloutHaltedException.class).hasMessageContaining("CANCELLED");
    }

    @Test
    void cancel_whileWaitingForApproval_endsTheWaitAndStartsNothingMore() throws Exception {
        CompletableFuture<RolloutHandle> handle = new CompletableFuture<>();
        List<String> ran = new CopyOnWriteArrayList<>();
        // The system clock: without cancellation the approval would wait an hour.
        Approval approval = Approval.by(request -> {
            handle.get().cancel("change window withdrawn");
            return new CompletableFuture<>();
        }).timeout(Duration.ofHours(1)).onTimeout(Approval.TimeoutRule.APPROVE).build();
        Rollout r = rollout(plan((t, ctx) -> ran.add(t)))
                .wave(Wave.builder("a").targets("i-1"))
                .approval(approval)
                .wave(Wave.builder("b").targets("i-2"))
                .build();

        handle.complete(Runner.create().start(r));
        RolloutResult result = handle.get().await(Duration.ofSeconds(30)).orElseThrow();

        assertThat(ran).containsExactly("i-1");
        assertThat(result.status()).isEqualTo(RolloutStatus.CANCELLED);
        CheckpointResult c = result.wave("b").checkpoints().get(0);
        assertThat(c.outcome()).isEqualTo(CheckpointResult.Outcome.CANCELLED);
        assertThat(c.detail()).isEqualTo("cancelled while waiting for approval: change window withdrawn");
    }

    @Test
    void cancel_whileSoaking_endsTheSoakAtOnce() throws Exception {
        CompletableFuture<RolloutHandle> handle = new CompletableFuture<>();
        Rollout r = rollout(plan((t, ctx) -> { }))
                .wave(Wave.builder("a").targets("i-1"))
                .soak(Duration.ofDays(7))
                .wave(Wave.builder("b").targets("i-2"))
                .build();
        RolloutListener cancelOnSoak = e -> {
            if (e instanceof RolloutEvent.CheckpointStarted) {
                handle.join().cancel("no time to soak");
            }
        };

        handle.complete(Runner.create().withRolloutListener(cancelOnSoak).start(r));
        RolloutResult result = handle.get().await(Duration.ofSeconds(30)).orElseThrow();

        assertThat(result.status()).isEqualTo(RolloutStatus.CANCELLED);
        assertThat(result.wave("b").checkpoints().get(0).outcome()).isEqualTo(CheckpointResult.Outcome.CANCELLED);
        assertThat(result.wave("b").targets()).isEmpty();
    }
}
