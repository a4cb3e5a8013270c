package dev.stepwise.core.rollout;

import static dev.stepwise.core.rollout.RolloutFixtures.INSTANCE_ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.core.journal.CrashingJournalStore;
import dev.stepwise.core.journal.JournalEntry;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed after it created a target's journal and before the journal's first line reached the disk leaves
 * an empty journal. Nothing can have acted in that run (a MUTATING step acts only after its start is durable, and the
 * run's start comes first), so a resume runs that target from the start instead of failing on the empty file.
 */
class RolloutRestartEmptyJournalTest {
    @TempDir
    Path dir;

    private final Map<String, AtomicInteger> acted = new ConcurrentHashMap<>();

    private Rollout rollout() {
        Plan touch = Plan.builder("touch").input(Input.required(INSTANCE_ID))
                .step(Step.mutating("touch").reads(INSTANCE_ID).run(ctx ->
                        acted.computeIfAbsent(ctx.get(INSTANCE_ID), k -> new AtomicInteger()).incrementAndGet()))
                .build();
        return Rollout.builder("fleet", touch).inputs(t -> Inputs.of(INSTANCE_ID, t))
                .wave("all", w -> w.targets("t1", "t2").maxConcurrency(1))
                .build();
    }

    @Test
    void resume_whenATargetsJournalWasCreatedButIsEmpty_runsThatTargetFromTheStartAndNoOtherAgain() throws Exception {
        JournalStore store = JournalStore.directory(dir);
        VirtualTimeSource time = VirtualTimeSource.create();
        // the rollout's own journal stops at the wave's start, as if the process died in the wave
        JournalStore crashing = CrashingJournalStore.after(store, e -> e instanceof JournalEntry.WaveStarted);
        RolloutResult first = Runner.create().withTimeSource(time).withJournal(crashing).run(rollout());
        assertThat(acted.keySet()).as("the first process acted on both before it died").containsOnly("t1", "t2");
        String id = first.rolloutId();
        String t2 = store.runIds().stream().filter(r -> r.startsWith(id + "-t2-")).findFirst().orElseThrow();
        // the kill came between creating t2's journal and writing its first line
        Files.write(dir.resolve(t2 + ".jsonl"), new byte[0]);
        acted.clear();

        RolloutResult resumed = Runner.create().withTimeSource(time).withJournal(store).resume(rollout(), id);

        assertThat(resumed.status()).as(resumed.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(acted.keySet()).as("only the target with the empty journal ran again").containsExactly("t2");
        assertThat(acted.get("t2")).hasValue(1);
        assertThat(resumed.wave("all").targets()).extracting(TargetResult::target, TargetResult::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("t1", TargetStatus.SUCCEEDED),
                        org.assertj.core.groups.Tuple.tuple("t2", TargetStatus.SUCCEEDED));
        assertThat(resumed.wave("all").targets().get(1).note()).contains("nothing recorded");
        assertThat(store.read(t2).status()).contains("SUCCEEDED");
    }
}
