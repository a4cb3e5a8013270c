package dev.stepwise.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.core.notify.Announcement;
import dev.stepwise.core.notify.Notifications;
import dev.stepwise.core.notify.Notifier;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.rollout.Checkpoint;
import dev.stepwise.core.rollout.CheckpointResult;
import dev.stepwise.core.rollout.GateVerdict;
import dev.stepwise.core.rollout.MaintenanceWindow;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.rollout.TargetResult;
import dev.stepwise.core.rollout.TargetSource;
import dev.stepwise.core.rollout.TargetStatus;
import dev.stepwise.core.rollout.WaveResult;
import dev.stepwise.core.rollout.WaveStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.StepResult;
import dev.stepwise.core.run.VirtualTimeSource;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The rollout features beyond soaks, gates and approvals — maintenance windows, announcements, ramped (canary)
 * waves, waves with a plan of their own and targets computed from earlier waves, gates with data — give the same
 * {@link RolloutResult} rows on Temporal as on the embedded runner (on a virtual clock starting at the test
 * server's time). Instants are left out of the comparison: the two clocks start together but do not tick together.
 */
@Timeout(180)
class RolloutParityTest {
    static final Key<String> HOST = Key.of("Host", String.class);
    static final Key<String> VERSION = Key.of("Version", String.class);
    static final String QUEUE = "parity";
    static final Pattern INSTANT = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z");

    TestWorkflowEnvironment env;
    final Map<String, AtomicInteger> sent = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() {
        env = TestWorkflowEnvironment.newInstance();
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    Instant serverNow() {
        return Instant.ofEpochMilli(env.currentTimeMillis());
    }

    /** Installs on every host but those starting with "bad". */
    static Plan patch() {
        return Plan.builder("patch").input(HOST)
                .step(Step.<String>mutating("install").output(VERSION).reads(HOST).action(ctx -> {
                    if (ctx.get(HOST).startsWith("bad")) {
                        throw new IllegalStateException("package conflict on " + ctx.get(HOST));
                    }
                    return "2.1-" + ctx.get(HOST);
                }).build())
                .build();
    }

    /** The rows of a result both engines must agree on, instants replaced by a marker. */
    static List<String> rows(RolloutResult r) {
        List<String> out = new ArrayList<>();
        out.add("rollout " + r.status() + " | " + r.reason());
        for (WaveResult w : r.waves()) {
            out.add("wave " + w.name() + " " + w.status() + " | " + w.reason() + " | concurrency " + w.concurrency()
                    + " budget " + w.errorBudget() + " ramp " + w.rampStages());
            for (CheckpointResult c : w.checkpoints()) {
                out.add("  checkpoint " + c.kind() + " " + c.description() + " " + c.outcome() + " | "
                        + (c.kind() == Checkpoint.Kind.WINDOW ? "" : c.detail()) + " | " + c.data());
            }
            for (TargetResult t : w.targets()) {
                out.add("  target " + t.target() + " " + t.status() + (t.canary() ? " canary" : "") + " | "
                        + t.reason());
                if (t.run() != null) {
                    out.add("    run " + t.run().plan() + " " + t.run().status() + " " + t.run().outputs());
                    for (StepResult s : t.run().steps()) {
                        out.add("    step " + s.name() + " " + s.status() + " " + s.attempts());
                    }
                }
            }
        }
        return out.stream().map(s -> INSTANT.matcher(s).replaceAll("<t>")).toList();
    }

    RolloutResult embedded(Function<Instant, Rollout> rollout, Instant start) {
        return Runner.create().withTimeSource(VirtualTimeSource.startingAt(start)).run(rollout.apply(start));
    }

    RolloutResult onTemporal(Function<Instant, Rollout> make, Instant start) {
        Rollout rollout = make.apply(start);
        StepwiseTemporal.worker(env.getWorkflowClient(), QUEUE).register(rollout).start(env.getWorkerFactory());
        return StepwiseTemporal.client(env.getWorkflowClient(), QUEUE).start(rollout, "parity-1").await();
    }

    /** Runs {@code rollout} on both engines from the test server's current time and compares their rows. */
    RolloutResult parity(Function<Instant, Rollout> rollout) {
        Instant start = serverNow();
        RolloutResult embedded = embedded(rollout, start);
        RolloutResult temporal = onTemporal(rollout, start);
        assertThat(rows(temporal)).containsExactlyElementsOf(rows(embedded));
        return temporal;
    }

    @Test
    void window_closedAtTheStart_withWait_waitsOnADurableTimerUntilItOpens() {
        RolloutResult r = parity(t0 -> Rollout.builder("windowed", patch()).inputs(t -> Inputs.of(HOST, t))
                .wave("first", w -> w.targets("a1"))
                .window(MaintenanceWindow.between(t0.plus(Duration.ofHours(3)), t0.plus(Duration.ofHours(9))),
                        Checkpoint.WindowRule.WAIT)
                .wave("second", w -> w.targets("a2", "a3"))
                .build());
        assertThat(r.status()).isEqualTo(RolloutStatus.SUCCEEDED);
        CheckpointResult window = r.wave("second").checkpoints().get(0);
        assertThat(window.outcome()).isEqualTo(CheckpointResult.Outcome.PASSED);
        assertThat(window.duration()).isGreaterThanOrEqualTo(Duration.ofHours(3).minusSeconds(5));
        assertThat(window.detail()).contains("for the window to open");
    }

    @Test
    void window_closedAtTheStart_withHalt_haltsTheRollout() {
        RolloutResult r = parity(t0 -> Rollout.builder("windowed", patch()).inputs(t -> Inputs.of(HOST, t))
                .wave("first", w -> w.targets("a1"))
                .window(MaintenanceWindow.between(t0.plus(Duration.ofDays(3)), t0.plus(Duration.ofDays(4))),
                        Checkpoint.WindowRule.HALT)
                .wave("second", w -> w.targets("a2"))
                .build());
        assertThat(r.status()).isEqualTo(RolloutStatus.HALTED);
        assertThat(r.wave("second").checkpoints().get(0).detail()).contains("closed at").contains("opens next");
    }

    Notifications counting(String destination, boolean fails) {
        return Notifications.builder(Notifier.of(destination, notice -> {
            sent.computeIfAbsent(destination, d -> new AtomicInteger()).incrementAndGet();
            if (fails) {
                throw new IllegalStateException("chat is down");
            }
        })).build();
    }

    @Test
    void announcement_isSentOnce_thenTheLeadTimeIsADurableTimer() {
        Instant start = serverNow();
        Function<Instant, Rollout> make = t0 -> Rollout.builder("announced", patch()).inputs(t -> Inputs.of(HOST, t))
                .wave("first", w -> w.targets("a1"))
                .announce(counting("ops-chat", false), a -> a.leadTime(Duration.ofDays(1)))
                .wave("second", w -> w.targets("a2"))
                .build();
        RolloutResult embedded = embedded(make, start);
        assertThat(sent.get("ops-chat")).hasValue(1);
        sent.clear();
        Rollout rollout = make.apply(start);
        StepwiseTemporal.worker(env.getWorkflowClient(), QUEUE).register(rollout).start(env.getWorkerFactory());
        TemporalRollout handle = StepwiseTemporal.client(env.getWorkflowClient(), QUEUE).start(rollout, "announced-1");
        RolloutResult temporal = handle.await();
        assertThat(rows(temporal)).containsExactlyElementsOf(rows(embedded));
        CheckpointResult notify = temporal.wave("second").checkpoints().get(0);
        assertThat(notify.outcome()).isEqualTo(CheckpointResult.Outcome.PASSED);
        assertThat(notify.duration()).isGreaterThanOrEqualTo(Duration.ofDays(1));
        // a query of the closed workflow replays its whole history on the worker: the notice is not sent again
        assertThat(handle.status().state()).isEqualTo(dev.stepwise.core.rollout.RolloutProgress.State.SUCCEEDED);
        assertThat(sent.get("ops-chat")).hasValue(1);
    }

    @Test
    void requiredAnnouncement_thatCannotBeSent_haltsBeforeTheWave() {
        RolloutResult r = parity(t0 -> Rollout.builder("announced", patch()).inputs(t -> Inputs.of(HOST, t))
                .wave("first", w -> w.targets("a1"))
                .announce(counting("ops-chat", true), a -> a.required(true))
                .wave("second", w -> w.targets("a2"))
                .build());
        assertThat(r.status()).isEqualTo(RolloutStatus.HALTED);
        assertThat(r.wave("second").targets()).isEmpty();
    }

    @Test
    void rampedWave_runsTheCanaryAlone_thenDoublingStages_andFlagsTheCanary() {
        RolloutResult r = parity(t0 -> Rollout.builder("ramped", patch()).inputs(t -> Inputs.of(HOST, t))
                .wave("fleet", w -> w.targets("h1", "h2", "h3", "bad4", "h5", "h6", "h7", "h8").maxConcurrency(4)
                        .maxErrors(1).ramp())
                .build());
        assertThat(r.status()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(r.wave("fleet").status()).isEqualTo(WaveStatus.SUCCEEDED_WITHIN_BUDGET);
        assertThat(r.wave("fleet").rampStages()).containsExactly(1, 2);
        assertThat(r.wave("fleet").targets().get(0).canary()).isTrue();
    }

    @Test
    void rampedWave_whoseCanaryFails_halts() {
        RolloutResult r = parity(t0 -> Rollout.builder("ramped", patch()).inputs(t -> Inputs.of(HOST, t))
                .wave("fleet", w -> w.targets("bad1", "h2", "h3").maxConcurrency(2).maxErrors(2).ramp())
                .build());
        assertThat(r.status()).isEqualTo(RolloutStatus.HALTED);
        assertThat(r.wave("fleet").target("h2").orElseThrow().status()).isEqualTo(TargetStatus.NOT_STARTED);
    }

    @Test
    void strictWave_overItsBudget_haltsWithTheEmbeddedReason() {
        RolloutResult r = parity(t0 -> Rollout.builder("strict", patch()).inputs(t -> Inputs.of(HOST, t))
                .wave("fleet", w -> w.targets("h1", "bad2", "bad3", "h4").maxConcurrency(1).maxErrors(1).strict())
                .wave("later", w -> w.targets("h5"))
                .build());
        assertThat(r.status()).isEqualTo(RolloutStatus.HALTED);
        assertThat(r.wave("later").status()).isEqualTo(WaveStatus.NOT_STARTED);
    }

    @Test
    void waveWithItsOwnPlan_onTargetsFromEarlierWaves_andAGateWithData() {
        Plan verify = Plan.builder("verify").input(HOST)
                .step(Step.<String>readOnly("probe").output(VERSION).reads(HOST)
                        .action(ctx -> "seen-" + ctx.get(HOST)).build())
                .build();
        RolloutResult r = parity(t0 -> Rollout.builder("two-plans", patch()).inputs(t -> Inputs.of(HOST, t))
                .wave("install", w -> w.targets("h1", "bad2", "h3").maxErrors(1))
                .gateWithData("at most one failed", so -> {
                    int failed = so.wave("install").count(TargetStatus.FAILED);
                    return failed <= 1 ? GateVerdict.pass(failed + " failed", Map.of("failed", failed))
                            : GateVerdict.fail(failed + " failed", Map.of("failed", failed));
                })
                .wave(dev.stepwise.core.rollout.Wave.builder("verify").plan(verify)
                        .targets(TargetSource.fromEarlierWaves("installed hosts", so -> so.wave("install")
                                .targets(TargetStatus.SUCCEEDED).stream().map(TargetResult::target).toList())))
                .wave("again", w -> w.targets(TargetSource.fromEarlierWaves("same hosts again",
                        so -> List.of("h1"))))
                .build());
        // "again" runs the rollout's plan on h1, which already ran it in "install": refused as on the embedded runner
        assertThat(r.status()).isEqualTo(RolloutStatus.HALTED);
        assertThat(r.wave("verify").targets()).extracting(TargetResult::target).containsExactly("h1", "h3");
        assertThat(r.wave("verify").target("h1").orElseThrow().run().plan()).isEqualTo("verify");
        assertThat(r.wave("verify").checkpoints().get(0).data()).containsEntry("failed", 1);
    }

    @Test
    void aStepOfTheNextWave_readsTheGatesData_fromItsWaveCheckpoints_asOnTheEmbeddedRunner() {
        // each step and check shows what StepContext.waveCheckpoints() gave it: the rows and the gate's data
        Function<dev.stepwise.core.plan.StepContext, String> seen = ctx -> ctx.waveCheckpoints().stream()
                .map(c -> c.kind() + "/" + c.description() + "/" + c.outcome() + "/" + c.detail() + "/" + c.data())
                .toList().toString();
        Plan production = Plan.builder("production").input(HOST)
                .step(Step.<String>readOnly("recall").output(VERSION).reads(HOST).action(seen::apply).build())
                .require("the gate verified KB2", ctx -> ctx.waveCheckpoints().stream()
                        .anyMatch(c -> String.valueOf(c.data().get("verified")).contains("KB2")))
                .build();
        RolloutResult r = parity(t0 -> Rollout.builder("gated", patch()).inputs(t -> Inputs.of(HOST, t))
                .wave("non-production", w -> w.targets("dev-1", "dev-2"))
                .gateWithData("non-production verified its patches", so -> GateVerdict.pass("2 verified",
                        Map.of("verified", List.of("KB1", "KB2"), "hosts", so.wave("non-production").targets().size())))
                .soak(Duration.ofDays(2))
                .wave(dev.stepwise.core.rollout.Wave.builder("production").plan(production).targets("prod-1", "prod-2"))
                .build());
        assertThat(r.status()).as(r.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        String recalled = String.valueOf(r.wave("production").outputs(VERSION).get("prod-1"));
        assertThat(recalled).contains("GATE/non-production verified its patches/PASSED/2 verified/")
                .contains("verified=[KB1, KB2]").contains("hosts=2").contains("SOAK/");
        assertThat(r.wave("non-production").outputs(VERSION)).containsEntry("dev-1", "2.1-dev-1");
    }

    /** A rollout whose soak of a week is watched daily; the watch fails on call {@code failOn} (0: never). */
    static Function<Instant, Rollout> watched(int failOn, List<AtomicInteger> calls) {
        return t0 -> {
            AtomicInteger n = new AtomicInteger();
            calls.add(n);
            return Rollout.builder("watched", patch()).inputs(t -> Inputs.of(HOST, t))
                    .wave("canary", w -> w.targets("c1"))
                    .soak(Duration.ofDays(7), Duration.ofDays(1), "the error alarm is quiet", so -> {
                        int call = n.incrementAndGet();
                        return call == failOn ? GateVerdict.fail("alarm errors-high in ALARM", Map.of("alarm", "errors-high"))
                                : GateVerdict.pass("alarm errors-high OK", Map.of());
                    })
                    .wave("fleet", w -> w.targets("f1", "f2"))
                    .build();
        };
    }

    @Test
    void watchedSoak_thatHolds_watchesAtEveryWatchTime_thenGoesOn() {
        List<AtomicInteger> calls = new ArrayList<>();
        RolloutResult r = parity(watched(0, calls));
        assertThat(r.status()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(calls).extracting(AtomicInteger::get).containsExactly(7, 7);
        CheckpointResult soak = r.wave("fleet").checkpoints().get(0);
        assertThat(soak.kind()).isEqualTo(Checkpoint.Kind.SOAK);
        assertThat(soak.detail()).contains("7 watch(es)");
        assertThat(soak.duration()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void watchedSoak_failingOnDayTwo_haltsBeforeTheNextWave_withTheWatchsData() {
        List<AtomicInteger> calls = new ArrayList<>();
        RolloutResult r = parity(watched(2, calls));
        assertThat(r.status()).isEqualTo(RolloutStatus.HALTED);
        assertThat(calls).extracting(AtomicInteger::get).containsExactly(2, 2);
        CheckpointResult soak = r.wave("fleet").checkpoints().get(0);
        assertThat(soak.outcome()).isEqualTo(CheckpointResult.Outcome.REJECTED);
        assertThat(soak.detail()).contains("after 2 d 00 h").contains("errors-high in ALARM");
        assertThat(soak.data()).containsEntry("alarm", "errors-high");
        assertThat(r.wave("fleet").targets()).isEmpty();
    }

    /** An approval whose approver answers at once: the same decision on both engines, as the same Rollout value. */
    static Function<Instant, Rollout> approvedBy(dev.stepwise.core.rollout.Approver approver) {
        return t0 -> Rollout.builder("approved", patch()).inputs(t -> Inputs.of(HOST, t))
                .wave("first", w -> w.targets("a1"))
                .approval(approver, a -> a.timeout(Duration.ofHours(8)))
                .wave("second", w -> w.targets("a2"))
                .build();
    }

    @Test
    void approval_whoseApproverAnswersAtOnce_isAnsweredByIt_asOnTheEmbeddedRunner() {
        RolloutResult r = parity(approvedBy(dev.stepwise.core.rollout.Approver.autoApprove("release-pipeline")));
        assertThat(r.status()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(r.wave("second").checkpoints().get(0).approval()).hasValueSatisfying(d -> {
            assertThat(d.by()).isEqualTo("release-pipeline");
            assertThat(d.timedOut()).isFalse();
        });
    }

    @Test
    void approval_whoseApproverRejectsOrThrows_haltsAsOnTheEmbeddedRunner() {
        RolloutResult rejected = parity(approvedBy(dev.stepwise.core.rollout.Approver.answering(
                req -> dev.stepwise.core.rollout.ApprovalDecision.reject("bob", "freeze until " + req.wave() + " is ready"))));
        assertThat(rejected.status()).isEqualTo(RolloutStatus.HALTED);
        assertThat(rejected.wave("second").checkpoints().get(0).detail()).contains("rejected by bob").contains("freeze");
        env.close();
        env = TestWorkflowEnvironment.newInstance();
        RolloutResult failed = parity(approvedBy(req -> {
            throw new IllegalStateException("chat is down");
        }));
        assertThat(failed.status()).isEqualTo(RolloutStatus.HALTED);
        assertThat(failed.wave("second").checkpoints().get(0).detail()).contains("the approver failed").contains("chat is down");
    }
}
