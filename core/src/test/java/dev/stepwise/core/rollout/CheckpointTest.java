package dev.stepwise.core.rollout;

import static dev.stepwise.core.rollout.RolloutFixtures.INSTANCE_ID;
import static dev.stepwise.core.rollout.RolloutFixtures.PATCHES;
import static dev.stepwise.core.rollout.RolloutFixtures.noop;
import static dev.stepwise.core.rollout.RolloutFixtures.plan;
import static dev.stepwise.core.rollout.RolloutFixtures.rollout;
import static dev.stepwise.core.rollout.RolloutFixtures.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.VirtualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CheckpointTest {
    private static final Instant T0 = VirtualTimeSource.DEFAULT_START;

    private final VirtualTimeSource time = VirtualTimeSource.create();
    private final List<String> ran = new CopyOnWriteArrayList<>();

    private Rollout.Builder twoWaves(Checkpoint between) {
        return rollout(plan((t, ctx) -> ran.add(t)))
                .wave(Wave.builder("non-production").targets("i-1", "i-2"))
                .checkpoint(between)
                .wave(Wave.builder("production").targets("i-3", "i-4"));
    }

    @Test
    void soak_onVirtualClock_holdsTheNextWaveForTheWholePeriod() {
        RolloutResult r = runner(time).run(twoWaves(new Checkpoint.Soak(Duration.ofDays(7))).build());

        assertThat(r.status()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(time.waits()).containsExactly(Duration.ofDays(7));
        WaveResult prod = r.wave("production");
        CheckpointResult soak = prod.checkpoints().get(0);
        assertThat(soak.outcome()).isEqualTo(CheckpointResult.Outcome.PASSED);
        assertThat(soak.duration()).isEqualTo(Duration.ofDays(7));
        assertThat(soak.detail()).isEqualTo("soaked 7 d 00 h");
        assertThat(prod.start()).isEqualTo(r.wave("non-production").end().plus(Duration.ofDays(7)));
    }

    @Test
    void gate_whenItDoesNotHold_haltsBeforeTheNextWaveStarts() {
        Rollout rollout = twoWaves(Checkpoint.Gate.when("change freeze is over", soFar -> false)).build();

        RolloutResult r = runner(time).run(rollout);

        assertThat(ran).containsExactlyInAnyOrder("i-1", "i-2");
        assertThat(r.status()).isEqualTo(RolloutStatus.HALTED);
        assertThat(r.reason()).isEqualTo("wave production: gate \"change freeze is over\" said no: did not hold");
        assertThat(r.wave("production").status()).isEqualTo(WaveStatus.HALTED);
        assertThat(r.wave("production").targets()).isEmpty();
        assertThatThrownBy(r::orThrow).isInstanceOf(RolloutHaltedException.class)
                .hasMessageContaining("Rollout fleet (" + r.rolloutId() + ") HALTED: wave production: gate");
    }

    @Test
    void gate_whenItThrows_countsAsNotHolding() {
        RolloutResult r = runner(time).run(twoWaves(Checkpoint.Gate.when("reads a wave that does not exist",
                soFar -> soFar.wave("staging").allSucceeded())).build());

        assertThat(r.status()).isEqualTo(RolloutStatus.HALTED);
        assertThat(r.wave("production").checkpoints().get(0).detail())
                .startsWith("could not be evaluated: StepwiseException: wave \"staging\" is not in this result");
    }

    @Test
    void gate_overEarlierOutputs_passesWhenProductionNeedsWhatNonProductionInstalled() {
        Plan scan = Plan.builder("scan").input(Input.required(INSTANCE_ID))
                .step(Step.readOnly("scan").reads(INSTANCE_ID).output(PATCHES).action(ctx -> "KB5034441"))
                .build();
        Rollout rollout = rollout(scan)
                .wave(Wave.builder("non-production").targets("i-1", "i-2"))
                .gate("every non-production target installed KB5034441", soFar -> {
                    WaveResult np = soFar.wave("non-production");
                    return np.allSucceeded() && np.outputs(PATCHES).values().stream().allMatch("KB5034441"::equals)
                            && np.outputs(PATCHES).size() == 2;
                })
                .wave(Wave.builder("production").targets("i-3"))
                .build();

        RolloutResult r = runner(time).run(rollout);

        assertThat(r.status()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(r.wave("production").checkpoints().get(0).outcome()).isEqualTo(CheckpointResult.Outcome.PASSED);
        assertThat(r.wave("production").outputs(PATCHES)).containsEntry("i-3", "KB5034441");
    }

    @Test
    void approval_whenApproved_recordsWhoAndWhenAndRunsTheNextWave() {
        AtomicReference<ApprovalRequest> asked = new AtomicReference<>();
        Approval approval = Approval.by(Approver.answering(req -> {
            asked.set(req);
            return ApprovalDecision.approve("alice", "dashboards are green");
        })).timeout(Duration.ofHours(4)).build();

        RolloutResult r = runner(time).run(twoWaves(approval).build());

        assertThat(r.status()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(ran).hasSize(4);
        assertThat(asked.get().wave()).isEqualTo("production");
        assertThat(asked.get().soFar().wave("non-production").allSucceeded()).isTrue();
        assertThat(asked.get().deadline()).isEqualTo(asked.get().requestedAt().plus(Duration.ofHours(4)));
        ApprovalDecision d = r.wave("production").checkpoints().get(0).approval().orElseThrow();
        assertThat(d.approved()).isTrue();
        assertThat(d.by()).isEqualTo("alice");
        assertThat(d.at()).isEqualTo(T0);
        assertThat(d.timedOut()).isFalse();
        assertThat(time.waits()).isEmpty();
    }

    @Test
    void approval_whenRejected_haltsWithWhoAndWhy() {
        Approval approval = Approval.by(Approver.of(CompletableFuture.completedFuture(
                ApprovalDecision.reject("bob", "error rate is up")))).build();

        RolloutResult r = runner(time).run(twoWaves(approval).build());

        assertThat(r.status()).isEqualTo(RolloutStatus.HALTED);
        assertThat(ran).containsExactlyInAnyOrder("i-1", "i-2");
        assertThat(r.reason()).contains("said no: rejected by bob at " + T0 + ": error rate is up");
        assertThat(r.wave("production").checkpoints().get(0).decision().by()).isEqualTo("bob");
    }

    @Test
    void approval_whenNobodyAnswersAndRuleRejects_haltsAfterTheTimeoutOnTheClock() {
        Approval approval = Approval.by(Approver.of(new CompletableFuture<>())).timeout(Duration.ofHours(4))
                .onTimeout(Approval.TimeoutRule.REJECT).build();

        RolloutResult r = runner(time).run(twoWaves(approval).build());

        assertThat(r.status()).isEqualTo(RolloutStatus.HALTED);
        assertThat(time.waits()).containsExactly(Duration.ofHours(4));
        ApprovalDecision d = r.wave("production").checkpoints().get(0).decision();
        assertThat(d.approved()).isFalse();
        assertThat(d.timedOut()).isTrue();
        assertThat(d.by()).isEqualTo("timeout rule");
        assertThat(d.at()).isEqualTo(T0.plus(Duration.ofHours(4)));
        assertThat(r.reason()).endsWith("no answer within 4 h 00 min; the timeout rule rejects");
    }

    @Test
    void approval_whenNobodyAnswersAndRuleApproves_runsTheNextWaveAfterTheTimeout() {
        Approval approval = Approval.by(Approver.of(new CompletableFuture<>())).timeout(Duration.ofMinutes(30))
                .onTimeout(Approval.TimeoutRule.APPROVE).build();

        RolloutResult r = runner(time).run(twoWaves(approval).build());

        assertThat(r.status()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(ran).hasSize(4);
        assertThat(r.wave("production").checkpoints().get(0).decision().timedOut()).isTrue();
        assertThat(r.wave("production").start()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
    }

    @Test
    void approval_whenTheFutureFails_rejects() {
        Approval approval = Approval.by(Approver.of(CompletableFuture.failedFuture(new IllegalStateException("chat is down")))).build();

        RolloutResult r = runner(time).run(twoWaves(approval).build());

        assertThat(r.status()).isEqualTo(RolloutStatus.HALTED);
        assertThat(r.reason()).contains("the approver's answer failed: IllegalStateException: chat is down");
    }

    @Test
    void window_whenClosedAndRuleWaits_waitsOnTheClockUntilItOpens() {
        MaintenanceWindow nightly = MaintenanceWindow.daily(LocalTime.of(2, 0), Duration.ofHours(2), ZoneOffset.UTC);

        RolloutResult r = runner(time).run(twoWaves(new Checkpoint.Window(nightly, Checkpoint.WindowRule.WAIT)).build());

        assertThat(r.status()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(time.waits()).containsExactly(Duration.ofHours(2));
        assertThat(r.wave("production").start()).isEqualTo(Instant.parse("2026-01-01T02:00:00Z"));
        assertThat(r.wave("production").checkpoints().get(0).detail())
                .isEqualTo("waited 2 h 00 min for the window to open at 2026-01-01T02:00:00Z");
    }

    @Test
    void window_whenClosedAndRuleHalts_haltsAndSaysWhenItOpens() {
        MaintenanceWindow nightly = MaintenanceWindow.daily(LocalTime.of(2, 0), Duration.ofHours(2), ZoneOffset.UTC);

        RolloutResult r = runner(time).run(twoWaves(new Checkpoint.Window(nightly, Checkpoint.WindowRule.HALT)).build());

        assertThat(r.status()).isEqualTo(RolloutStatus.HALTED);
        assertThat(r.reason()).endsWith("closed at 2026-01-01T00:00:00Z; it opens next at 2026-01-01T02:00:00Z");
        assertThat(time.waits()).isEmpty();
    }

    @Test
    void window_whenItClosesMidWave_startsNoNewTargetAndHalts() {
        Rollout rollout = rollout(plan((t, ctx) -> {
            ran.add(t);
            ctx.sleep(Duration.ofHours(1));
        })).window(MaintenanceWindow.between(T0, T0.plus(Duration.ofHours(2))), Checkpoint.WindowRule.HALT)
                .wave(Wave.builder("w").targets("i-1", "i-2", "i-3", "i-4"))
                .build();

        RolloutResult r = runner(time).run(rollout);

        assertThat(ran).containsExactly("i-1", "i-2");
        assertThat(r.wave("w").status()).isEqualTo(WaveStatus.HALTED);
        assertThat(r.wave("w").reason()).contains("was closed at 2026-01-01T02:00:00Z; no new target started after that");
        assertThat(r.wave("w").count(TargetStatus.NOT_STARTED)).isEqualTo(2);
    }

    @Test
    void maintenanceWindow_weekly_opensOnItsDayOnly() {
        // 2026-01-01 is a Thursday.
        MaintenanceWindow saturday = MaintenanceWindow.weekly(java.time.DayOfWeek.SATURDAY, LocalTime.of(22, 0),
                Duration.ofHours(6), ZoneOffset.UTC);
        assertThat(saturday.isOpen(T0)).isFalse();
        assertThat(saturday.nextOpening(T0)).contains(Instant.parse("2026-01-03T22:00:00Z"));
        assertThat(saturday.isOpen(Instant.parse("2026-01-04T03:59:59Z"))).isTrue();
        assertThat(saturday.isOpen(Instant.parse("2026-01-04T04:00:00Z"))).isFalse();
    }

    @Test
    void run_whenSourceFailsOrIsEmpty_haltsWithTheReasonUnlessEmptyIsAllowed() {
        Rollout failing = rollout(noop()).wave(Wave.builder("w").targets(TargetSource.named("ec2 tag Env=prod", () -> {
            throw new IllegalStateException("AccessDenied on DescribeInstances");
        }))).build();
        assertThat(runner(time).run(failing).reason()).isEqualTo("wave w: targets from ec2 tag Env=prod could not "
                + "be resolved: IllegalStateException: AccessDenied on DescribeInstances");

        Rollout empty = rollout(noop()).wave(Wave.builder("w").targets(TargetSource.named("q", List::of))).build();
        assertThat(runner(time).run(empty).reason())
                .isEqualTo("wave w: targets from q resolved to nothing; call allowEmpty() on the wave if that is expected");

        Rollout allowed = rollout(noop()).wave(Wave.builder("w").targets(TargetSource.named("q", List::of)).allowEmpty())
                .wave(Wave.builder("v").targets("i-1")).build();
        assertThat(runner(time).run(allowed).status()).isEqualTo(RolloutStatus.SUCCEEDED);
    }

    @Test
    void run_whenDynamicSourceReturnsATargetOfAnEarlierWave_haltsBeforeRunningIt() {
        Rollout r = rollout(plan((t, ctx) -> ran.add(t)))
                .wave(Wave.builder("a").targets("i-1"))
                .wave(Wave.builder("b").targets(() -> List.of("i-2", "i-1")))
                .build();

        RolloutResult result = runner(time).run(r);

        assertThat(ran).containsExactly("i-1");
        assertThat(result.wave("b").reason()).endsWith("target i-1 already ran plan patch-host in wave a");
    }
}
