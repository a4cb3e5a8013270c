package dev.stepwise.core.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.plan.Effect;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.RunEvent;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hardening: a journal that cannot be written stops the run before its next change. Regression: a journal folder
 * deleted mid-run went unnoticed, and the run succeeded writing to an unlinked file.
 */
class JournalLostHardeningTest {
    @TempDir
    Path dir;

    private Path journals() {
        return dir.resolve("journals");
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void run_whenTheJournalFolderIsDeletedBetweenSteps_stopsBeforeTheNextMutatingStepNamingThePath() {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger after = new AtomicInteger();
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        Plan plan = Plan.builder("lost")
                .step(Step.mutating("clean up").run(ctx -> deleteTree(journals())))
                .step(Step.mutating("next").run(ctx -> next.incrementAndGet()))
                .step(Step.readOnly("after").run(ctx -> after.incrementAndGet()))
                .build();
        Runner runner = Runner.create().withTimeSource(VirtualTimeSource.create())
                .withJournal(JournalStore.directory(journals())).withListener(events::add);

        assertThatThrownBy(() -> runner.run(plan, Inputs.empty()))
                .isInstanceOfSatisfying(JournalLostException.class,
                        e -> assertThat(e.location()).startsWith(journals().toString()).endsWith(".jsonl"))
                .hasMessageContaining(journals().toString())
                .hasMessageContaining("is gone");
        assertThat(next).as("the next step's action never ran").hasValue(0);
        assertThat(after).hasValue(0);
        assertThat(events).filteredOn(RunEvent.PlanFinished.class::isInstance)
                .extracting(e -> ((RunEvent.PlanFinished) e).status()).containsExactly(RunStatus.FAILED);
    }

    @Test
    void run_whenTheJournalIsReplacedBetweenSteps_stopsBeforeTheNextMutatingStep() {
        AtomicInteger next = new AtomicInteger();
        Plan plan = Plan.builder("replaced")
                .step(Step.readOnly("look").run(ctx -> {
                    try (Stream<Path> s = Files.list(journals())) {
                        for (Path p : s.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                            Path copy = p.resolveSibling("copy");
                            Files.copy(p, copy);
                            Files.move(copy, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }))
                .step(Step.mutating("next").run(ctx -> next.incrementAndGet()))
                .build();
        Runner runner = Runner.create().withJournal(JournalStore.directory(journals()));

        assertThatThrownBy(() -> runner.run(plan, Inputs.empty())).isInstanceOf(JournalLostException.class)
                .hasMessageContaining("was replaced");
        assertThat(next).hasValue(0);
    }

    @Test
    void append_afterTheJournalWasLost_keepsFailingAndWritesNothingMore() throws IOException {
        String runId = "lost-" + System.nanoTime();
        JournalStore store = JournalStore.directory(journals());
        try (JournalWriter w = store.open(runId, true)) {
            w.append(new JournalEntry.RunStarted(Instant.EPOCH, runId, "p", "fp", null, Map.of(), List.of()), true);
            Files.delete(journals().resolve(runId + ".jsonl"));
            assertThatThrownBy(() -> w.append(new JournalEntry.StepStarted(Instant.EPOCH, 0, "a", Effect.MUTATING), true))
                    .isInstanceOf(JournalLostException.class);
            assertThatThrownBy(() -> w.append(new JournalEntry.StepStarted(Instant.EPOCH, 1, "b", Effect.READ_ONLY), false))
                    .as("a lost journal stays lost, durable or not").isInstanceOf(JournalLostException.class);
        }
        assertThat(store.exists(runId)).isFalse();
    }

    @Test
    void append_whenTheLockFileWasDeleted_stopsSinceAnotherRunnerCouldTakeTheRun() throws IOException {
        String runId = "unlocked-" + System.nanoTime();
        JournalStore store = JournalStore.directory(journals());
        try (JournalWriter w = store.open(runId, true)) {
            w.append(new JournalEntry.RunStarted(Instant.EPOCH, runId, "p", "fp", null, Map.of(), List.of()), true);
            Files.delete(journals().resolve(runId + ".lock"));
            assertThatThrownBy(() -> w.append(new JournalEntry.StepStarted(Instant.EPOCH, 0, "a", Effect.MUTATING), true))
                    .isInstanceOf(JournalLostException.class).hasMessageContaining(runId + ".lock");
        }
    }
}
