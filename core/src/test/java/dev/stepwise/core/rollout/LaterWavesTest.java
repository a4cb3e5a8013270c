package dev.stepwise.core.rollout;

import static dev.stepwise.core.rollout.RolloutFixtures.INSTANCE_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.journal.JournalEntry;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.journal.RolloutJournal;
import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Later waves and gates see earlier waves: targets computed from their results, gates that record what they saw. */
class LaterWavesTest {
    static final Key<Integer> MISSING = Key.of("missing", Integer.class);
    static final Key<List<String>> HOSTS = Key.listOf("hosts", String.class);

    @TempDir
    Path dir;

    private final VirtualTimeSource time = VirtualTimeSource.create();
    private final AtomicInteger computed = new AtomicInteger();
    private final AtomicInteger judged = new AtomicInteger();

    /**
     * Per target: a scan that reports missing patches (targets whose name ends in 1 miss two, the others none) and
     * the hosts behind it (a cluster's nodes).
     */
    private static Plan scan() {
        return Plan.builder("scan").input(Input.required(INSTANCE_ID))
                .step(Step.readOnly("scan").output(MISSING).reads(INSTANCE_ID)
                        .action(ctx -> ctx.get(INSTANCE_ID).endsWith("1") ? 2 : 0))
                .step(Step.readOnly("nodes").output(HOSTS).reads(INSTANCE_ID)
                        .action(ctx -> List.of(ctx.get(INSTANCE_ID) + "-node-a", ctx.get(INSTANCE_ID) + "-node-b")))
                .build();
    }

    private Rollout rollout() {
        return Rollout.builder("staged", scan()).inputs(t -> Inputs.of(INSTANCE_ID, t))
                .wave("scan", w -> w.targets("db-1", "db-2", "db-3"))
                .gateWithData("few enough hosts miss patches", r -> {
                    judged.incrementAndGet();
                    Map<String, Integer> missing = r.wave("scan").outputs(MISSING);
                    long hosts = missing.values().stream().filter(n -> n > 0).count();
                    return hosts <= 1 ? GateVerdict.pass(hosts + " host(s) miss patches", Map.of("missing", missing))
                            : GateVerdict.fail(hosts + " hosts miss patches", Map.of("missing", missing));
                })
                .soak(Duration.ofDays(1))
                .wave("patch", w -> w.targets(TargetSource.fromEarlierWaves(
                        "the nodes of the clusters that scanned with missing patches", r -> {
                            computed.incrementAndGet();
                            Map<String, Integer> missing = r.wave("scan").outputs(MISSING);
                            return r.wave("scan").outputs(HOSTS).entrySet().stream()
                                    .filter(e -> missing.get(e.getKey()) > 0)
                                    .flatMap(e -> e.getValue().stream()).toList();
                        })))
                .build();
    }

    private Runner runner() {
        return Runner.create().withTimeSource(time).withJournal(JournalStore.directory(dir))
                .parkLongerThan(Duration.ofHours(1));
    }

    @Test
    void laterWave_takesItsTargetsFromAnEarlierWave_andAResumeKeepsTheVerdictAndTheTargets() {
        RolloutResult parked = runner().run(rollout());
        assertThat(parked.status()).isEqualTo(RolloutStatus.WAITING);
        assertThat(judged).hasValue(1);
        RolloutJournal journal = RolloutJournal.read(JournalStore.directory(dir), parked.rolloutId());
        assertThat(journal.checkpoint("patch", 0).orElseThrow().ended().data())
                .as("the gate's data is journaled with its verdict").containsEntry("missing", Map.of("db-1", 2, "db-2", 0,
                        "db-3", 0));

        time.advance(Duration.ofDays(1));
        RolloutResult done = runner().resume(rollout(), parked.rolloutId());

        assertThat(done.status()).as(done.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(done.wave("patch").targets()).extracting(TargetResult::target)
                .containsExactly("db-1-node-a", "db-1-node-b");
        assertThat(judged).as("a recorded verdict stands: the gate is not evaluated again").hasValue(1);
        assertThat(done.wave("patch").checkpoints().get(0).detail()).contains("1 host(s) miss patches");
        assertThat(done.wave("patch").checkpoints().get(0).data()).as("the recalled verdict shows what it rested on")
                .containsKey("missing");
        assertThat(parked.wave("patch").checkpoints().get(0).data()).containsKey("missing");
        assertThat(computed).hasValue(1);
        assertThat(RolloutJournal.read(JournalStore.directory(dir), parked.rolloutId()).entries())
                .anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(JournalEntry.WaveTargets.class,
                        t -> assertThat(t.targets()).isEqualTo(t.wave().equals("patch")
                                ? List.of("db-1-node-a", "db-1-node-b") : t.targets())));
    }

    @Test
    void waveWithItsOwnPlan_scansTargetsALaterWaveInstallsOn_eachRunJournaledOnItsOwn() {
        AtomicInteger installs = new AtomicInteger();
        Plan install = Plan.builder("install").input(Input.required(INSTANCE_ID))
                .step(Step.mutating("install").reads(INSTANCE_ID).run(ctx -> installs.incrementAndGet()))
                .build();
        Rollout rollout = Rollout.builder("scan-then-install", install).inputs(t -> Inputs.of(INSTANCE_ID, t))
                .wave("scan", w -> w.plan(scan()).targets("db-1", "db-2"))
                .soak(Duration.ofDays(1))
                .wave("install", w -> w.targets(TargetSource.fromEarlierWaves("the hosts missing patches",
                        r -> r.wave("scan").outputs(MISSING).entrySet().stream().filter(e -> e.getValue() > 0)
                                .map(Map.Entry::getKey).toList())))
                .build();

        RolloutResult parked = runner().run(rollout);
        time.advance(Duration.ofDays(1));
        RolloutResult done = runner().resume(rollout, parked.rolloutId());

        assertThat(done.status()).as(done.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(done.wave("install").targets()).extracting(TargetResult::target).containsExactly("db-1");
        assertThat(installs).hasValue(1);
        TargetResult scanned = done.wave("scan").target("db-1").orElseThrow();
        TargetResult installed = done.wave("install").target("db-1").orElseThrow();
        assertThat(scanned.run().plan()).isEqualTo("scan");
        assertThat(installed.run().plan()).isEqualTo("install");
        assertThat(scanned.run().runId()).as("one journal per wave for a target in two waves")
                .isNotEqualTo(installed.run().runId());
    }

    @Test
    void build_whenATargetIsInTwoWavesRunningTheSamePlan_isRefused() {
        assertThatThrownBy(() -> Rollout.builder("twice", scan()).inputs(t -> Inputs.of(INSTANCE_ID, t))
                .wave("a", w -> w.targets("db-1")).wave("b", w -> w.targets("db-1")).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("target db-1 is in wave a and in wave b, which run the same plan scan");
        assertThat(Rollout.builder("twice", scan()).inputs(t -> Inputs.of(INSTANCE_ID, t))
                .wave("a", w -> w.targets("db-1").plan(Plan.builder("other").step(Step.readOnly("look")
                        .run(ctx -> { })).build()))
                .wave("b", w -> w.targets("db-1")).build().waves()).hasSize(2);
    }

    @Test
    void gateWithData_thatFails_haltsWithItsDetail() {
        Rollout rollout = Rollout.builder("staged", scan()).inputs(t -> Inputs.of(INSTANCE_ID, t))
                .wave("scan", w -> w.targets("db-1", "db-11"))
                .gateWithData("no host misses patches", r -> GateVerdict.fail("2 hosts miss patches",
                        Map.of("hosts", List.of("db-1", "db-11"))))
                .wave("patch", w -> w.targets("db-1-node-a"))
                .build();

        RolloutResult r = Runner.create().withTimeSource(time).run(rollout);

        assertThat(r.status()).isEqualTo(RolloutStatus.HALTED);
        assertThat(r.reason()).contains("no host misses patches").contains("2 hosts miss patches");
    }
}
