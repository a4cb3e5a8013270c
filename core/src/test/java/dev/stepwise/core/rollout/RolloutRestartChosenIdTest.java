package dev.stepwise.core.rollout;

import static dev.stepwise.core.rollout.RolloutFixtures.INSTANCE_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.journal.JournalException;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.journal.RolloutJournal;
import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rollout with a chosen id: the same id every day from a scheduled job — started once, then resumed. */
class RolloutRestartChosenIdTest {
    @TempDir
    Path dir;

    private final AtomicInteger acted = new AtomicInteger();
    private final java.util.List<String> seenRolloutIds = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final VirtualTimeSource time = VirtualTimeSource.create();

    private Rollout.Builder rollout() {
        Plan touch = Plan.builder("touch").input(Input.required(INSTANCE_ID))
                .step(Step.mutating("touch").reads(INSTANCE_ID).run(ctx -> {
                    acted.incrementAndGet();
                    seenRolloutIds.add(ctx.rolloutId().orElse("none"));
                })).build();
        return Rollout.builder("monthly", touch).inputs(t -> Inputs.of(INSTANCE_ID, t))
                .parameters(Map.of("kind", "test", "soak", "P1D"))
                .wave("first", w -> w.targets("a")).soak(Duration.ofDays(1)).wave("second", w -> w.targets("b"));
    }

    @Test
    void run_withAChosenId_journalsUnderIt_refusesASecondStart_andResumesByIt() {
        JournalStore store = JournalStore.directory(dir);
        Runner runner = Runner.create().withTimeSource(time).withJournal(store).parkLongerThan(Duration.ofHours(1));
        Rollout r = rollout().id("patching-2026-12").build();

        RolloutResult parked = runner.run(r);

        assertThat(parked.rolloutId()).isEqualTo("patching-2026-12");
        assertThat(parked.status()).isEqualTo(RolloutStatus.WAITING);
        assertThat(RolloutJournal.read(store, "patching-2026-12").start().parameters())
                .containsEntry("kind", "test").containsEntry("soak", "P1D");
        assertThatThrownBy(() -> runner.run(r)).isInstanceOf(JournalException.class)
                .hasMessageContaining("patching-2026-12").hasMessageContaining("already exists");
        assertThat(acted).as("the refused start did nothing").hasValue(1);

        time.advance(Duration.ofDays(1));
        RolloutResult done = runner.resume(r, "patching-2026-12");

        assertThat(done.status()).as(done.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(acted).hasValue(2);
        // a step knows its rollout exactly, on the first run and on the resume, also when the id holds '-'
        assertThat(seenRolloutIds).containsExactly("patching-2026-12", "patching-2026-12");
    }

    @Test
    void rolloutId_inAPlanRun_isEmpty() {
        Plan touch = rollout().build().plan();

        Runner.create().withTimeSource(time).run(touch, Inputs.of(INSTANCE_ID, "a")).orThrow();

        assertThat(seenRolloutIds).containsExactly("none");
    }

    @Test
    void id_whenMalformed_isRefusedWhenBuiltWithTheRule() {
        assertThatThrownBy(() -> rollout().id("../etc").build()).isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("id \"../etc\" does not match");
        assertThatThrownBy(() -> rollout().id("x".repeat(41)).build()).isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("at most 40 characters");
    }
}
