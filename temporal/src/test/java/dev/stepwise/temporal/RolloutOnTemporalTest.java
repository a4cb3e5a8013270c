package dev.stepwise.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.rollout.ApprovalDecision;
import dev.stepwise.core.rollout.Approver;
import dev.stepwise.core.rollout.Checkpoint;
import dev.stepwise.core.rollout.CheckpointResult;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.RolloutProgress;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.rollout.TargetStatus;
import dev.stepwise.core.rollout.WaveStatus;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(180)
class RolloutOnTemporalTest {
    static final Key<String> HOST = Key.of("Host", String.class);
    static final String QUEUE = "fleet";
    static final Duration WEEK = Duration.ofDays(7);

    TestWorkflowEnvironment env;
    final Map<String, AtomicInteger> patched = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() {
        env = TestWorkflowEnvironment.newInstance();
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    Plan plan() {
        return Plan.builder("patch").input(HOST)
                .step(Step.readOnly("look").reads(HOST).run(ctx -> { }))
                .step(Step.mutating("install").reads(HOST).run(ctx ->
                        patched.computeIfAbsent(ctx.get(HOST), h -> new AtomicInteger()).incrementAndGet()))
                .build();
    }

    /** Three waves: a 7-day soak before the second, an approval (one day, silence rejects) before the third. */
    Rollout threeWaves() {
        return Rollout.builder("monthly", plan()).inputs(t -> Inputs.of(HOST, t))
                .wave("dev", w -> w.targets("d1", "d2"))
                .soak(WEEK)
                .gate("dev all succeeded", r -> r.wave("dev").allSucceeded())
                .wave("staging", w -> w.targets("s1", "s2").maxConcurrency(2))
                // an approver that never answers by itself: a person answers through the client
                .approval(Approver.of(new java.util.concurrent.CompletableFuture<>()),
                        a -> a.timeout(Duration.ofDays(1)))
                .wave("production", w -> w.targets("p1", "p2", "p3").maxConcurrency(2))
                .build();
    }

    private TemporalClient client() {
        return StepwiseTemporal.client(env.getWorkflowClient(), QUEUE);
    }

    static <T> T until(Supplier<T> probe, java.util.function.Predicate<T> done) throws InterruptedException {
        T v = probe.get();
        for (int i = 0; i < 600 && !done.test(v); i++) {
            Thread.sleep(100);
            v = probe.get();
        }
        return v;
    }

    @Test
    void threeWaves_withSevenDaySoakAndApproval_completeWithTimeSkipping() throws Exception {
        Rollout rollout = threeWaves();
        StepwiseTemporal.worker(env.getWorkflowClient(), QUEUE).register(rollout).start(env.getWorkerFactory());
        TemporalRollout r = client().start(rollout, "monthly-2026-11");

        RolloutProgress soaking = until(r::status, p -> p.state() == RolloutProgress.State.WAITING);
        assertThat(soaking.state()).isEqualTo(RolloutProgress.State.WAITING);
        assertThat(soaking.reason()).contains("soak");
        assertThat(soaking.waves().get(0).status()).isEqualTo("SUCCEEDED");
        assertThat(soaking.resumeAt()).isNotNull();

        env.sleep(WEEK.plusHours(1));
        RolloutProgress asking = until(r::status, p -> p.pendingApproval().isPresent());
        assertThat(asking.pendingApproval()).isPresent();
        assertThat(asking.pendingApproval().get().wave()).isEqualTo("production");
        assertThat(asking.waves().get(1).status()).isEqualTo("SUCCEEDED");
        r.approve("alice", "change 1234");

        RolloutResult result = r.await();
        assertThat(result.status()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(result.waves()).extracting(w -> w.status()).containsOnly(WaveStatus.SUCCEEDED);
        assertThat(result.targets()).hasSize(7).allMatch(t -> t.status() == TargetStatus.SUCCEEDED);
        assertThat(patched).containsOnlyKeys("d1", "d2", "s1", "s2", "p1", "p2", "p3");
        assertThat(patched.values()).allMatch(c -> c.get() == 1);
        CheckpointResult soak = result.wave("staging").checkpoints().get(0);
        assertThat(soak.kind()).isEqualTo(Checkpoint.Kind.SOAK);
        assertThat(soak.duration()).isEqualTo(WEEK);
        assertThat(soaking.resumeAt()).isEqualTo(soak.end());
        assertThat(result.wave("staging").checkpoints().get(1).outcome()).isEqualTo(CheckpointResult.Outcome.PASSED);
        CheckpointResult approval = result.wave("production").checkpoints().get(0);
        assertThat(approval.approval()).hasValueSatisfying(d -> {
            assertThat(d.approved()).isTrue();
            assertThat(d.by()).isEqualTo("alice");
        });
        assertThat(r.status().state()).isEqualTo(RolloutProgress.State.SUCCEEDED);
        assertThat(r.status().approvals()).extracting(RolloutProgress.Decided::by).containsExactly("alice");
    }

    /**
     * An approver that posts a question and is answered later, in the worker's JVM (a chat handler completing the
     * future): its answer reaches the workflow as if given through the client.
     */
    @Test
    void approval_answeredLaterByTheApproversFuture_inTheWorkersJvm_letsTheRolloutGoOn() throws Exception {
        java.util.concurrent.CompletableFuture<ApprovalDecision> chat = new java.util.concurrent.CompletableFuture<>();
        AtomicInteger asked = new AtomicInteger();
        Rollout rollout = Rollout.builder("chat-approved", plan()).inputs(t -> Inputs.of(HOST, t))
                .wave("one", w -> w.targets("a"))
                .approval(req -> {
                    asked.incrementAndGet();
                    return chat;
                }, a -> a.timeout(Duration.ofDays(1)))
                .wave("two", w -> w.targets("b"))
                .build();
        StepwiseTemporal.worker(env.getWorkflowClient(), QUEUE).register(rollout).start(env.getWorkerFactory());
        TemporalRollout r = client().start(rollout, "chat-1");

        RolloutProgress asking = until(r::status, p -> p.pendingApproval().isPresent() && asked.get() == 1);
        assertThat(asking.pendingApproval()).isPresent();
        assertThat(asked).hasValue(1);
        chat.complete(ApprovalDecision.approve("carol", "LGTM in #ops"));
        RolloutResult result = r.await();

        assertThat(result.status()).as(result.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(result.wave("two").checkpoints().get(0).approval()).hasValueSatisfying(d -> {
            assertThat(d.by()).isEqualTo("carol");
            assertThat(d.timedOut()).isFalse();
        });
        assertThat(asked).as("asked once, never again on replay").hasValue(1);
    }

    @Test
    void approval_unanswered_appliesItsTimeoutRule_andHalts() {
        Rollout rollout = Rollout.builder("reject-on-silence", plan()).inputs(t -> Inputs.of(HOST, t))
                .wave("one", w -> w.targets("a"))
                .approval(Approver.of(new java.util.concurrent.CompletableFuture<>()), a -> a.timeout(Duration.ofHours(4)))
                .wave("two", w -> w.targets("b"))
                .build();
        StepwiseTemporal.worker(env.getWorkflowClient(), QUEUE).register(rollout).start(env.getWorkerFactory());
        RolloutResult result = client().start(rollout).await();
        assertThat(result.status()).isEqualTo(RolloutStatus.HALTED);
        assertThat(result.wave("two").checkpoints().get(0).approval()).hasValueSatisfying(d -> {
            assertThat(d.approved()).isFalse();
            assertThat(d.timedOut()).isTrue();
        });
        assertThat(patched).containsOnlyKeys("a");
    }

    @Test
    void approve_whenNoneIsPending_isRefusedNamingTheRollout() throws Exception {
        Rollout rollout = threeWaves();
        StepwiseTemporal.worker(env.getWorkflowClient(), QUEUE).register(rollout).start(env.getWorkerFactory());
        TemporalRollout r = client().start(rollout, "monthly-early");
        until(r::status, p -> p.state() == RolloutProgress.State.WAITING);
        assertThatThrownBy(() -> r.approve("alice")).isInstanceOf(TemporalRefusedException.class)
                .hasMessageContaining("monthly-early").hasMessageContaining("no approval pending");
        r.cancel();
    }

    @Test
    void cancel_duringSoak_endsCancelled_withoutRunningLaterWaves() throws Exception {
        Rollout rollout = threeWaves();
        StepwiseTemporal.worker(env.getWorkflowClient(), QUEUE).register(rollout).start(env.getWorkerFactory());
        TemporalRollout r = client().start(rollout, "monthly-cancelled");
        until(r::status, p -> p.state() == RolloutProgress.State.WAITING);
        r.cancel();
        RolloutResult result = r.await();
        assertThat(result.status()).isEqualTo(RolloutStatus.CANCELLED);
        // as the embedded runner reports a rollout cancelled during a soak (core's RolloutRun and Checkpoints)
        assertThat(result.reason()).isEqualTo("wave staging: cancelled before the wave started, at soak \""
                + new Checkpoint.Soak(WEEK).description() + "\": the workflow was cancelled");
        assertThat(result.wave("staging").status()).isEqualTo(WaveStatus.CANCELLED);
        assertThat(result.wave("staging").checkpoints()).singleElement().satisfies(c -> {
            assertThat(c.outcome()).isEqualTo(CheckpointResult.Outcome.CANCELLED);
            assertThat(c.detail()).startsWith("cancelled after ").endsWith(" of soak: the workflow was cancelled");
        });
        assertThat(result.wave("production").status()).isEqualTo(WaveStatus.NOT_STARTED);
        assertThat(result.wave("production").reason()).isEqualTo("not started: the rollout was cancelled in wave staging");
        assertThat(patched).containsOnlyKeys("d1", "d2");
    }

    @Test
    void wave_overItsErrorBudget_halts() {
        Plan failing = Plan.builder("fails-on-b").input(HOST).step(Step.mutating("install").reads(HOST).run(ctx -> {
            if (ctx.get(HOST).startsWith("b")) {
                throw new IllegalStateException("disk full on " + ctx.get(HOST));
            }
        })).build();
        Rollout rollout = Rollout.builder("budget", failing).inputs(t -> Inputs.of(HOST, t))
                .wave("first", w -> w.targets("a1", "b1", "b2", "a2").maxConcurrency(1).maxErrors(1))
                .wave("second", w -> w.targets("a3"))
                .build();
        StepwiseTemporal.worker(env.getWorkflowClient(), QUEUE).register(rollout).start(env.getWorkerFactory());
        RolloutResult result = client().start(rollout).await();
        assertThat(result.status()).isEqualTo(RolloutStatus.HALTED);
        assertThat(result.wave("first").status()).isEqualTo(WaveStatus.HALTED);
        assertThat(result.wave("first").target("b1").orElseThrow().status()).isEqualTo(TargetStatus.FAILED);
        assertThat(result.wave("first").target("a2").orElseThrow().status()).isEqualTo(TargetStatus.NOT_STARTED);
        assertThat(result.wave("second").status()).isEqualTo(WaveStatus.NOT_STARTED);
    }

    @Test
    void register_rolloutWhoseWaveRunsAnotherPlanOfTheSameName_isRefusedNamingBoth() {
        Plan other = Plan.builder("patch").input(HOST).step(Step.readOnly("only-look").reads(HOST).run(ctx -> { }))
                .build();
        Rollout rollout = Rollout.builder("two-patches", plan()).inputs(t -> Inputs.of(HOST, t))
                .wave("one", w -> w.targets("a"))
                .wave(dev.stepwise.core.rollout.Wave.builder("two").plan(other).targets("b"))
                .build();
        assertThatThrownBy(() -> StepwiseTemporal.worker(env.getWorkflowClient(), QUEUE).register(rollout))
                .isInstanceOf(TemporalRefusedException.class).hasMessageContaining("Rollout \"two-patches\"")
                .hasMessageContaining("wave \"two\" runs plan \"patch\"")
                .hasMessageContaining(other.fingerprint()).hasMessageContaining(plan().fingerprint());
    }
}
