package dev.stepwise.core.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.InvalidInputException;
import dev.stepwise.core.StepwiseException;
import dev.stepwise.core.plan.Effect;
import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.Failure;
import dev.stepwise.core.run.RunHandle;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.StepStatus;
import dev.stepwise.core.run.VirtualTimeSource;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What every {@link JournalStore} must do, as tests: entries come back as written, in order; a run is created once
 * and continued only when it exists; and through a {@link Runner}, a crashed run resumes without repeating a
 * finished step. Extend it with a {@link #store()} that returns the store under test (a fresh one or one shared by
 * the class: every test uses run ids of its own). Shipped in stepwise-core's test jar, so a team writing its own
 * store runs the same suite.
 *
 * <pre>{@code
 * class MyStoreJournalStoreContractTest extends JournalStoreContract {
 *     protected JournalStore store() { return myStore; }
 * }
 * }</pre>
 */
public abstract class JournalStoreContract {
    static final Key<String> HOST = Key.of("host", String.class);
    static final Key<String> TOKEN = Key.secret("token", String.class);
    static final Key<String> IMAGE = Key.of("image", String.class);
    static final Key<Integer> COUNT = Key.of("count", Integer.class);
    protected static final String SECRET = "s3cr3t-t0ken";

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final AtomicBoolean rerunSeen = new AtomicBoolean();

    /** The store under test. */
    protected abstract JournalStore store();

    private static String newRunId() {
        return "contract-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    int call(String step) {
        return calls.computeIfAbsent(step, k -> new AtomicInteger()).incrementAndGet();
    }

    /** How often the step called {@code step} acted in this test. */
    protected int calls(String step) {
        return calls.getOrDefault(step, new AtomicInteger()).get();
    }

    /**
     * The contract's plan: backup (MUTATING, output IMAGE), scan (READ_ONLY, output COUNT), a branch on what is
     * missing (install, or end), verify; inputs HOST and the secret TOKEN.
     */
    protected Plan plan(boolean backupRerunnable, boolean manyMissing) {
        Step.Builder<String> backup = Step.mutating("backup").output(IMAGE).action(ctx -> {
            rerunSeen.set(ctx.isRerun());
            return "ami-" + call("backup");
        });
        if (backupRerunnable) {
            backup.rerunnable("looks for the image this run tagged");
        }
        return Plan.builder("durable")
                .input(Input.required(HOST))
                .input(Input.required(TOKEN))
                .step(backup)
                .step(Step.readOnly("scan").output(COUNT).action(ctx -> {
                    call("scan");
                    return manyMissing ? 3 : 0;
                }))
                .branch("anything missing?", ctx -> ctx.get(COUNT) > 0,
                        then -> then.step(Step.mutating("install").reads(IMAGE).run(ctx -> call("install"))),
                        otherwise -> otherwise.end("nothing missing"))
                .step(Step.mutating("verify").run(ctx -> call("verify")))
                .build();
    }

    /** Inputs for {@link #plan}, with the secret {@value #SECRET}. */
    protected static Inputs inputs() {
        return Inputs.of(HOST, "db-1", TOKEN, SECRET);
    }

    /** A live runner on a virtual clock journaling to {@code store}. */
    protected Runner runner(JournalStore store) {
        return Runner.create().withTimeSource(VirtualTimeSource.create()).withJournal(store);
    }

    // ---- the store itself ----

    @Test
    void append_everyEntryType_readsBackEqualInOrder() throws IOException {
        String runId = newRunId();
        Instant t = Instant.parse("2026-05-01T10:00:00Z");
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("ids", List.of("i-1", "i-2"));
        output.put("note", "naïve “quotes” ö\n\t\u0001");
        List<JournalEntry> written = List.of(
                new JournalEntry.RunStarted(t, runId, "p", "fp", "i-0123", Map.of("host", "db-1"), List.of("token")),
                new JournalEntry.StepStarted(t.plusSeconds(1), 0, "backup", Effect.MUTATING),
                new JournalEntry.AttemptFailed(t.plusSeconds(2), 0, "backup", 1, Failure.of("java.io.IOException", "reset")),
                new JournalEntry.StepSucceeded(t.plusSeconds(3), 0, "backup", 2, output, false),
                new JournalEntry.StepSucceeded(t.plusSeconds(4), 1, "secret", 1, null, true),
                new JournalEntry.CheckDecided(t.plusSeconds(5), 2, "branch: missing?", "then"),
                new JournalEntry.StepFailed(t.plusSeconds(6), 3, "install", 1,
                        Failure.of("x.UpgradeException", "hop failed", Map.of("report", Map.of("hops", List.of("6.8"))))),
                new JournalEntry.RunFinished(t.plusSeconds(7), "FAILED", "step \"install\" failed",
                        Failure.of("x.UpgradeException", "hop failed")),
                new JournalEntry.RunResumed(t.plusSeconds(8)),
                new JournalEntry.RunClosed(t.plusSeconds(9), "fixed by hand"),
                new JournalEntry.RolloutStarted(t, "r1", "monthly", "patch-host", "fp", List.of("dev", "prod"),
                        Map.of("soak", "P7D")),
                new JournalEntry.RolloutResumed(t, "accepted a change"),
                new JournalEntry.WaveTargets(t, "dev", List.of("i-1", "i-ö")),
                new JournalEntry.WaveStarted(t, "dev"),
                new JournalEntry.WaveEnded(t, "dev", "SUCCEEDED", ""),
                new JournalEntry.CheckpointStarted(t, "prod", 0, "APPROVAL", "change board"),
                new JournalEntry.ApprovalRequested(t, "prod", 0),
                new JournalEntry.AnnouncementSent(t, "prod", 1, java.time.Duration.ofHours(24), "sent via [chat]"),
                new JournalEntry.CheckpointEnded(t, "prod", 0, "PASSED", "approved by alice",
                        dev.stepwise.core.rollout.ApprovalDecision.builder().approved(true).by("alice").comment("ok").at(t).build(),
                        Map.of("missing", List.of("KB1"))),
                new JournalEntry.RolloutParked(t, "soaking", t.plusSeconds(3600)),
                new JournalEntry.RolloutFinished(t, "SUCCEEDED", ""),
                new JournalEntry.ApprovalGiven(t, "prod", 0, false, "bob", "not tonight"));
        try (JournalWriter w = store().open(runId, true)) {
            for (JournalEntry e : written) {
                w.append(e, e instanceof JournalEntry.StepStarted);
            }
        }
        RunJournal read = store().read(runId);
        assertThat(read.entries()).containsExactlyElementsOf(written);
        assertThat(read.tornLines()).isZero();
        assertThat(read.isClosed()).isTrue();
    }

    @Test
    void open_continuingARun_appendsAfterItsEntries() throws IOException {
        String runId = newRunId();
        Instant t = Instant.parse("2026-05-01T10:00:00Z");
        try (JournalWriter w = store().open(runId, true)) {
            w.append(new JournalEntry.RunStarted(t, runId, "p", "fp", null, Map.of(), List.of()), true);
        }
        try (JournalWriter w = store().open(runId, false)) {
            w.append(new JournalEntry.RunResumed(t.plusSeconds(1)), true);
        }
        assertThat(store().read(runId).entries()).hasSize(2).last().isInstanceOf(JournalEntry.RunResumed.class);
    }

    @Test
    void open_createWhenTheRunExists_isRefused() throws IOException {
        String runId = newRunId();
        try (JournalWriter w = store().open(runId, true)) {
            w.append(new JournalEntry.RunStarted(Instant.EPOCH, runId, "p", "fp", null, Map.of(), List.of()), true);
        }
        assertThatThrownBy(() -> store().open(runId, true).close()).isInstanceOf(JournalException.class)
                .hasMessageContaining(runId);
    }

    @Test
    void open_continueWhenTheRunHasNoJournal_isRefused() {
        String runId = newRunId();
        assertThatThrownBy(() -> store().open(runId, false).close()).isInstanceOf(JournalException.class)
                .hasMessageContaining(runId);
    }

    @Test
    void open_continuingARunAnotherWriterHolds_isRefusedNamingTheHolder() throws IOException {
        String runId = newRunId();
        Instant t = Instant.parse("2026-05-01T10:00:00Z");
        try (JournalWriter live = store().open(runId, true)) {
            live.append(new JournalEntry.RunStarted(t, runId, "p", "fp", null, Map.of(), List.of()), true);

            assertThatThrownBy(() -> store().open(runId, false).close())
                    .isInstanceOfSatisfying(JournalLockedException.class, e -> assertThat(e.holder()).isPresent())
                    .hasMessageContaining(runId);
            live.append(new JournalEntry.StepStarted(t.plusSeconds(1), 0, "backup", Effect.MUTATING), true);
        }
        try (JournalWriter next = store().open(runId, false)) {
            next.append(new JournalEntry.RunResumed(t.plusSeconds(2)), true);
        }
        assertThat(store().read(runId).entries()).as("the refused writer wrote nothing; the next one appended")
                .hasSize(3).last().isInstanceOf(JournalEntry.RunResumed.class);
    }

    @Test
    void read_whenTheRunHasNoJournal_isRefusedNamingIt() throws IOException {
        String runId = newRunId();
        assertThat(store().exists(runId)).isFalse();
        assertThatThrownBy(() -> store().read(runId)).isInstanceOf(JournalException.class).hasMessageContaining(runId);
    }

    @Test
    void exists_andRunIds_seeACreatedRun() throws IOException {
        String runId = newRunId();
        try (JournalWriter w = store().open(runId, true)) {
            w.append(new JournalEntry.RunStarted(Instant.EPOCH, runId, "p", "fp", null, Map.of(), List.of()), true);
        }
        assertThat(store().exists(runId)).isTrue();
        assertThat(store().runIds()).contains(runId);
    }

    // ---- through a runner ----

    @Test
    void run_journalsEveryStepAndNeverTheSecret() throws IOException {
        RunResult r = runner(store()).run(plan(false, true), inputs());
        RunJournal j = store().read(r.runId());
        assertThat(j.entries()).extracting(JournalCodec::encode).noneMatch(line -> line.contains(SECRET));
        assertThat(j.secretInputs()).containsExactly("token");
        assertThat(j.status()).contains("SUCCEEDED");
        assertThat(j.rows().values()).filteredOn(RunJournal.Row::succeeded).extracting(RunJournal.Row::name)
                .contains("backup", "scan", "install", "verify");
        assertThat(j.inputs()).containsEntry("host", "db-1").doesNotContainKey("token");
    }

    @Test
    void resume_afterACrashAfterAStep_skipsFinishedStepsAndRestoresOutputs() throws IOException {
        String runId = runner(CrashingJournalStore.afterStepSucceeded(store(), "backup")).run(plan(false, true), inputs())
                .runId();
        assertThat(store().read(runId).status()).as("the crash left no finish").isEmpty();
        calls.clear();

        RunResult resumed = runner(store()).resume(plan(false, true), runId, Inputs.of(TOKEN, SECRET), Set.of());

        assertThat(resumed.status()).as(resumed.toString()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(resumed.runId()).isEqualTo(runId);
        assertThat(calls("backup")).as("the backup is not made twice").isZero();
        assertThat(resumed.output(IMAGE)).contains("ami-1");
        assertThat(resumed.step("backup").orElseThrow().note()).contains("restored from the journal");
        assertThat(calls("install")).isEqualTo(1);
        assertThat(store().read(runId).status()).contains("SUCCEEDED");
    }

    @Test
    void resume_whenAMutatingStepWasCutShortAndCannotTell_stopsForAHumanDecision() {
        String runId = runner(CrashingJournalStore.afterStepStarted(store(), "backup")).run(plan(false, true), inputs())
                .runId();
        calls.clear();
        RunResult blocked = runner(store()).resume(plan(false, true), runId, Inputs.of(TOKEN, "t"), Set.of());
        assertThat(blocked.status()).isEqualTo(RunStatus.FAILED);
        assertThat(blocked.reason()).contains("step \"backup\" started before the run stopped")
                .contains("does not declare how to find out");
        assertThat(calls("backup")).isZero();

        RunResult decided = runner(store()).resume(plan(false, true), runId, Inputs.of(TOKEN, "t"), Set.of("backup"));
        assertThat(decided.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(calls("backup")).isEqualTo(1);
        assertThat(rerunSeen).as("the action is told it may have acted before").isTrue();
    }

    @Test
    void resume_whenARerunnableStepWasCutShort_runsItAgainAsARerun() {
        String runId = runner(CrashingJournalStore.afterStepStarted(store(), "backup")).run(plan(true, true), inputs())
                .runId();
        calls.clear();
        RunResult r = runner(store()).resume(plan(true, true), runId, Inputs.of(TOKEN, "t"), Set.of());
        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(rerunSeen).isTrue();
        assertThat(r.step("backup").orElseThrow().note()).contains("looks for the image this run tagged");
    }

    @Test
    void resume_keepsTheBranchTheRunAlreadyTook() {
        String runId = runner(CrashingJournalStore.after(store(),
                e -> e instanceof JournalEntry.CheckDecided c && c.outcome().equals("then"))).run(plan(false, true), inputs())
                .runId();
        calls.clear();
        // the facts changed meanwhile: a fresh scan would say nothing is missing
        RunResult r = runner(store()).resume(plan(false, false), runId, Inputs.of(TOKEN, "t"), Set.of());
        assertThat(r.step("install").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(calls("scan")).isZero();
        assertThat(r.step("branch: anything missing?").orElseThrow().note()).contains("took then").contains("from the journal");
    }

    @Test
    void resume_withADifferentPlan_isRefusedNamingBothFingerprints() {
        String runId = runner(CrashingJournalStore.afterStepSucceeded(store(), "backup")).run(plan(false, true), inputs())
                .runId();
        Plan other = Plan.builder("durable").input(Input.required(HOST)).input(Input.required(TOKEN))
                .step(Step.mutating("something else").run(ctx -> { })).build();
        assertThatThrownBy(() -> runner(store()).resume(other, runId, Inputs.of(TOKEN, "t"), Set.of()))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("was made by plan durable (fingerprint " + plan(false, true).fingerprint() + ")")
                .hasMessageContaining("not by this plan durable (fingerprint " + other.fingerprint() + ")");
    }

    @Test
    void resume_ofAFinishedOrClosedRun_isRefused() {
        Runner runner = runner(store());
        String done = runner.run(plan(false, true), inputs()).runId();
        assertThatThrownBy(() -> runner.resume(plan(false, true), done, Inputs.of(TOKEN, "t"), Set.of()))
                .isInstanceOf(JournalException.class).hasMessageContaining("already finished SUCCEEDED");

        String crashed = runner(CrashingJournalStore.afterStepSucceeded(store(), "backup")).run(plan(false, true), inputs())
                .runId();
        runner.closeRun(crashed, "restored from the backup by hand");
        assertThatThrownBy(() -> runner.resume(plan(false, true), crashed, Inputs.of(TOKEN, "t"), Set.of()))
                .isInstanceOf(JournalException.class).hasMessageContaining("was closed (restored from the backup by hand)");
    }

    @Test
    void closeRun_whileTheRunIsLive_isRefusedNamingTheHolder_andWorksOnceItFinished() throws Exception {
        CountDownLatch inStep = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Plan plan = Plan.builder("long").step(Step.mutating("change").run(ctx -> {
            inStep.countDown();
            if (!release.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        })).build();
        Runner runner = Runner.create().withJournal(store());
        RunHandle live = runner.start(plan, Inputs.empty());
        assertThat(inStep.await(60, TimeUnit.SECONDS)).isTrue();
        try {
            assertThatThrownBy(() -> runner.closeRun(live.runId(), "fixed by hand"))
                    .isInstanceOfSatisfying(JournalLockedException.class, e -> assertThat(e.holder()).isPresent())
                    .hasMessageContaining(live.runId());
        } finally {
            release.countDown();
        }
        assertThat(live.await().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(store().read(live.runId()).isClosed()).as("the refused close wrote nothing").isFalse();

        runner.closeRun(live.runId(), "archived");
        assertThat(store().read(live.runId()).isClosed()).isTrue();
        assertThat(store().read(live.runId()).status()).as("the live writer's lines are all there").contains("SUCCEEDED");
    }

    @Test
    void closeRun_afterAResumeStoppedForADecision_closesTheRun() {
        String runId = runner(CrashingJournalStore.afterStepStarted(store(), "backup")).run(plan(false, true), inputs())
                .runId();
        Runner runner = runner(store());
        assertThat(runner.resume(plan(false, true), runId, Inputs.of(TOKEN, "t"), Set.of()).status())
                .isEqualTo(RunStatus.FAILED);

        runner.closeRun(runId, "the backup was checked by hand");

        assertThatThrownBy(() -> runner.resume(plan(false, true), runId, Inputs.of(TOKEN, "t"), Set.of("backup")))
                .isInstanceOf(JournalException.class).hasMessageContaining("was closed (the backup was checked by hand)");
    }

    @Test
    void resume_withoutTheSecretInput_asksForIt() {
        String runId = runner(CrashingJournalStore.afterStepSucceeded(store(), "backup")).run(plan(false, true), inputs())
                .runId();
        assertThatThrownBy(() -> runner(store()).resume(plan(false, true), runId))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("token is required but was not given");
    }

    @Test
    void dryRun_writesNoJournal() throws IOException {
        List<String> before = store().runIds();
        runner(store()).dryRun().run(plan(false, true), inputs());
        assertThat(store().runIds()).isEqualTo(before);
    }

    @Test
    void run_whenAStepFailsWithDetails_journalsTheDetailsWithTheFailure() throws IOException {
        Plan plan = Plan.builder("detailed").step(Step.mutating("upgrade").run(ctx -> {
            throw new StepwiseException("hop 6.8 failed") {
                private static final long serialVersionUID = 1L;

                @Override
                public Map<String, Object> details() {
                    return Map.of("lastVersion", "6.7.1376", "hops", List.of("6.7", "6.8"));
                }
            };
        })).build();
        RunResult r = runner(store()).run(plan, Inputs.empty());
        RunJournal j = store().read(r.runId());
        assertThat(j.failure()).hasValueSatisfying(f -> {
            assertThat(f.message()).isEqualTo("hop 6.8 failed");
            assertThat(f.details()).containsEntry("lastVersion", "6.7.1376").containsEntry("hops", List.of("6.7", "6.8"));
        });
        assertThat(j.rows().get(0).failure().details()).containsKey("lastVersion");
    }

    @Test
    void cancelledRun_isJournaledAndResumesToTheEnd() throws Exception {
        CountDownLatch inWait = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Plan plan = Plan.builder("durable").input(Input.required(HOST)).input(Input.required(TOKEN))
                .step(Step.mutating("backup").output(IMAGE).action(ctx -> "ami-" + call("backup")))
                .step(Step.readOnly("wait for operator").run(ctx -> {
                    inWait.countDown();
                    release.await();
                }))
                .step(Step.mutating("install").run(ctx -> call("install")))
                .build();
        Runner runner = Runner.create().withJournal(store());
        RunHandle h = runner.start(plan, inputs());
        inWait.await();
        h.cancel("change freeze");
        release.countDown();
        RunResult cancelled = h.await();
        assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(store().read(h.runId()).status()).contains("CANCELLED");
        assertThat(calls("install")).isZero();

        RunResult resumed = runner.resume(plan, h.runId(), Inputs.of(TOKEN, "t"), Set.of());
        assertThat(resumed.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(calls("backup")).isEqualTo(1);
        assertThat(calls("install")).isEqualTo(1);
    }
}
