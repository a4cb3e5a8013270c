package dev.stepwise.core.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.journal.JournalException;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.journal.RunJournal;
import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hardening item 5: every target of a rollout has a run id of its own, so its journal is its own. Regression: the
 * run id kept the target's safe characters and a 32-bit hash, so {@code a!@} and {@code a"!} (both {@code a__},
 * equal {@link String#hashCode()}) shared one: the second target's journal could not be created, and after a
 * resume the target that never ran was reported SUCCEEDED from the other's journal.
 */
class RunIdHardeningTest {
    static final Key<String> HOST = Key.of("host", String.class);

    private static final String LONG_A = "h".repeat(121) + "a";
    private static final String LONG_B = "h".repeat(121) + "b";

    @TempDir
    Path dir;

    private final Map<String, AtomicInteger> acted = new ConcurrentHashMap<>();

    private Plan plan() {
        return Plan.builder("touch").input(Input.required(HOST))
                .step(Step.mutating("touch").reads(HOST).run(ctx ->
                        acted.computeIfAbsent(ctx.get(HOST), h -> new AtomicInteger()).incrementAndGet()))
                .build();
    }

    private Rollout rollout(String... targets) {
        return Rollout.builder("fleet", plan()).inputs(t -> Inputs.of(HOST, t))
                .wave(Wave.builder("all").targets(targets).maxConcurrency(1).build()).build();
    }

    private static RolloutResult await(RolloutHandle h) {
        try {
            return h.await(Duration.ofSeconds(20)).orElseThrow(() -> new AssertionError("the rollout did not end"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private TargetResult target(RolloutResult r, String target) {
        return r.targets().stream().filter(t -> t.target().equals(target)).findFirst().orElseThrow();
    }

    @Test
    void run_whenTargetsLookAlike_givesEachTargetARunIdAndAJournalOfItsOwn() throws IOException {
        String[] targets = {"a!@", "a\"!", "a", "a_", LONG_A, LONG_B};
        JournalStore store = JournalStore.directory(dir);
        RolloutResult r = Runner.create().withTimeSource(VirtualTimeSource.create()).withJournal(store)
                .run(rollout(targets));

        assertThat(r.status()).as(r.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        List<String> runIds = new ArrayList<>();
        for (String t : targets) {
            RunResult run = target(r, t).runResult().orElseThrow();
            runIds.add(run.runId());
            assertThat(run.runId()).matches("[A-Za-z0-9_.-]{1,128}").startsWith(r.rolloutId() + "-");
            RunJournal journal = store.read(run.runId());
            assertThat(journal.target()).as("the journal of %s", t).contains(t);
            assertThat(acted.get(t)).as("%s acted", t).hasValue(1);
        }
        assertThat(new HashSet<>(runIds)).as("distinct run ids").hasSize(targets.length);
        assertThat(store.runIds()).filteredOn(id -> !id.endsWith(".rollout")).as("one run journal per target")
                .hasSize(targets.length);
    }

    @Test
    void resume_whenTheOtherLookAlikeNeverRan_runsItRatherThanReportingItDone() {
        JournalStore store = JournalStore.directory(dir);
        AtomicReference<RolloutHandle> handle = new AtomicReference<>();
        Runner first = Runner.create().withTimeSource(VirtualTimeSource.create()).withJournal(store)
                .withRolloutListener(e -> {
                    // the process "dies" as soon as the first target has finished
                    if (e instanceof RolloutEvent.TargetFinished f && f.target().equals("a!@")) {
                        handle.get().cancel("the operator's laptop died");
                    }
                });
        handle.set(first.start(rollout("a!@", "a\"!")));
        RolloutResult stopped = await(handle.get());
        assertThat(acted).containsOnlyKeys("a!@");
        assertThat(target(stopped, "a\"!").status()).isEqualTo(TargetStatus.NOT_STARTED);

        RolloutResult resumed = Runner.create().withTimeSource(VirtualTimeSource.create()).withJournal(store)
                .resume(rollout("a!@", "a\"!"), stopped.rolloutId());

        assertThat(resumed.status()).as(resumed.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(acted.get("a\"!")).as("the target that never ran runs now").hasValue(1);
        assertThat(acted.get("a!@")).as("the finished target is not run again").hasValue(1);
        TargetResult never = target(resumed, "a\"!");
        assertThat(never.runResult().orElseThrow().target()).isEqualTo("a\"!");
        assertThat(never.note()).doesNotContain("not run again");
    }

    @Test
    void resume_whenATargetsJournalRecordsAnotherTarget_refusesItNamingBoth() throws IOException {
        JournalStore store = JournalStore.directory(dir);
        Runner runner = Runner.create().withTimeSource(VirtualTimeSource.create()).withJournal(store);
        RolloutResult first = runner.run(rollout("web-1", "web-2"));
        assertThat(first.status()).isEqualTo(RolloutStatus.SUCCEEDED);
        Map<String, String> runIdOf = new HashMap<>();
        for (String t : List.of("web-1", "web-2")) {
            runIdOf.put(t, target(first, t).runResult().orElseThrow().runId());
        }
        // a journal under web-2's run id that another target wrote, as a colliding id once produced
        Files.copy(dir.resolve(runIdOf.get("web-1") + ".jsonl"), dir.resolve(runIdOf.get("web-2") + ".jsonl"),
                StandardCopyOption.REPLACE_EXISTING);

        RolloutResult resumed = runner.resume(rollout("web-1", "web-2"), first.rolloutId());

        TargetResult web2 = target(resumed, "web-2");
        assertThat(web2.status()).as(resumed.toString()).isEqualTo(TargetStatus.FAILED);
        assertThat(web2.reason()).contains(JournalException.class.getSimpleName()).contains("\"web-1\"")
                .contains("\"web-2\"").contains(runIdOf.get("web-2"));
        assertThat(acted.get("web-2")).as("not run again, not reported done").hasValue(1);
        assertThat(target(resumed, "web-1").status()).isEqualTo(TargetStatus.SUCCEEDED);
    }

    @Test
    void resume_whenTheRolloutIdCannotFit_refusesItNamingIt() {
        Runner runner = Runner.create().withJournal(JournalStore.directory(dir));
        String tooLong = "r".repeat(65);

        assertThatThrownBy(() -> runner.resume(rollout("web-1"), tooLong))
                .isInstanceOf(JournalException.class).hasMessageContaining(tooLong).hasMessageContaining("64");
        assertThatThrownBy(() -> runner.resume(rollout("web-1"), "../etc"))
                .isInstanceOf(JournalException.class).hasMessageContaining("\"../etc\"");
        assertThat(acted).isEmpty();
    }
}
