package dev.stepwise.core.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.plan.StepContext;
import dev.stepwise.core.rollout.CheckpointResult.Outcome;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link dev.stepwise.core.plan.StepContext#waveCheckpoints()}: a step of a target's run reads what the gate before
 * its wave saw, on a first run, after a park and a resume in a fresh runner, and in a target's run resumed from its
 * own journal, without reading the rollout's journal itself. On the virtual clock.
 */
class WaveCheckpointsTest {
    static final Key<String> HOST = Key.of("host", String.class);
    static final Key<String> SEEN = Key.of("seen", String.class);
    static final Key<String> SEEN_AGAIN = Key.of("seenAgain", String.class);
    static final String GATE = "non-production verified its patches";

    @TempDir
    Path dir;

    private final VirtualTimeSource time = VirtualTimeSource.create();
    private final AtomicInteger judged = new AtomicInteger();

    /** What a step saw: each checkpoint as kind/description/outcome, and the gate's "verified" data. */
    private static String seen(StepContext ctx) {
        StringBuilder b = new StringBuilder();
        for (CheckpointResult c : ctx.waveCheckpoints()) {
            b.append(c.kind()).append('/').append(c.description()).append('/').append(c.outcome());
            if (c.data().containsKey("verified")) {
                b.append(" verified=").append(c.data().get("verified"));
            }
            b.append(';');
        }
        return b.toString();
    }

    private Plan scan() {
        return Plan.builder("scan-host").input(Input.required(HOST))
                .step(Step.readOnly("scan").output(SEEN).reads(HOST).action(WaveCheckpointsTest::seen)).build();
    }

    private Plan patch(Step<String> second) {
        return Plan.builder("patch-host").input(Input.required(HOST))
                .step(Step.readOnly("recall").output(SEEN).reads(HOST).action(WaveCheckpointsTest::seen))
                .step(second).build();
    }

    private Rollout rollout(Step<String> second) {
        return Rollout.builder("staged", scan()).inputs(t -> Inputs.of(HOST, t))
                .wave("non-production", w -> w.targets("dev-1", "dev-2"))
                .gateWithData(GATE, r -> {
                    judged.incrementAndGet();
                    return GateVerdict.pass("2 patches verified", Map.of("verified", List.of("KB1", "KB2")));
                })
                .soak(Duration.ofDays(7))
                .wave(Wave.builder("production").plan(patch(second)).targets("prod-1").build())
                .build();
    }

    private static Step<String> plainSecond() {
        return Step.readOnly("again").output(SEEN_AGAIN).reads(HOST).action(WaveCheckpointsTest::seen).build();
    }

    private static final String EXPECTED = "GATE/" + GATE + "/PASSED verified=[KB1, KB2];SOAK/";

    @Test
    void aStepOfTheNextWave_readsTheGatesData_onAFirstRun() {
        RolloutResult r = Runner.create().withTimeSource(time).run(rollout(plainSecond()));

        assertThat(r.status()).as(r.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(r.wave("production").outputs(SEEN).get("prod-1")).startsWith(EXPECTED).contains("/PASSED;");
        assertThat(r.wave("non-production").outputs(SEEN))
                .as("no checkpoint comes before the first wave").containsEntry("dev-1", "").containsEntry("dev-2", "");
        assertThat(judged).hasValue(1);
    }

    @Test
    void aPlanRun_seesNoCheckpoints() {
        RunResult r = Runner.create().withTimeSource(time).run(scan(), Inputs.of(HOST, "h1"));

        assertThat(r.outputs()).containsEntry("seen", "");
    }

    @Test
    void afterAParkAndAResumeInAFreshRunner_theGatesDataComesFromTheJournal() {
        RolloutResult parked = Runner.create().withTimeSource(time).withJournal(JournalStore.directory(dir))
                .parkLongerThan(Duration.ofHours(1)).run(rollout(plainSecond()));
        assertThat(parked.status()).as(parked.toString()).isEqualTo(RolloutStatus.WAITING);

        time.advance(Duration.ofDays(7));
        RolloutResult done = Runner.create().withTimeSource(time).withJournal(JournalStore.directory(dir))
                .parkLongerThan(Duration.ofHours(1)).resume(rollout(plainSecond()), parked.rolloutId());

        assertThat(done.status()).as(done.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(judged).as("the gate is not evaluated again").hasValue(1);
        assertThat(done.wave("production").outputs(SEEN).get("prod-1")).startsWith(EXPECTED);
    }

    @Test
    void aTargetRunResumedFromItsOwnJournal_seesTheRecalledCheckpoints() {
        AtomicReference<RolloutHandle> handle = new AtomicReference<>();
        AtomicBoolean died = new AtomicBoolean();
        // the first process "dies" in the production target's second step, after its first step finished
        Step<String> second = Step.readOnly("again").output(SEEN_AGAIN).reads(HOST).action(ctx -> {
            if (died.compareAndSet(false, true)) {
                handle.get().cancel("the operator's laptop died");
                ctx.checkCancelled();
            }
            return seen(ctx);
        }).build();
        handle.set(Runner.create().withTimeSource(time).withJournal(JournalStore.directory(dir)).start(rollout(second)));
        RolloutResult stopped = await(handle.get());
        assertThat(stopped.status()).as(stopped.toString()).isEqualTo(RolloutStatus.CANCELLED);
        assertThat(stopped.wave("production").outputs(SEEN)).containsKey("prod-1");

        RolloutResult resumed = Runner.create().withTimeSource(time).withJournal(JournalStore.directory(dir))
                .resume(rollout(second), stopped.rolloutId());

        assertThat(resumed.status()).as(resumed.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        TargetResult prod = resumed.wave("production").targets().get(0);
        assertThat(prod.note()).contains("resumed from its journal");
        assertThat(resumed.wave("production").outputs(SEEN_AGAIN).get("prod-1"))
                .as("the resumed run's step sees the checkpoints as the journal recorded them").startsWith(EXPECTED);
        assertThat(judged).hasValue(1);
    }

    @Test
    void aDryRun_showsTheCheckpointsNotEvaluated_withoutData() {
        RolloutResult dry = Runner.create().withTimeSource(time).dryRun().run(rollout(plainSecond()));

        assertThat(dry.wave("production").checkpoints()).extracting(CheckpointResult::outcome)
                .containsOnly(Outcome.NOT_EVALUATED);
        assertThat(dry.wave("production").outputs(SEEN).get("prod-1"))
                .isEqualTo("GATE/" + GATE + "/NOT_EVALUATED;SOAK/" + dry.wave("production").checkpoints().get(1)
                        .description() + "/NOT_EVALUATED;");
        assertThat(judged).as("a dry run evaluates no gate").hasValue(0);
    }

    private static RolloutResult await(RolloutHandle h) {
        try {
            return h.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
