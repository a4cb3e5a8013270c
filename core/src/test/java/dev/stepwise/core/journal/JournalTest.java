package dev.stepwise.core.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.InvalidInputException;
import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.StepStatus;
import dev.stepwise.core.run.VirtualTimeSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    static final Key<String> HOST = Key.of("host", String.class);
    static final Key<String> TOKEN = Key.secret("token", String.class);
    static final Key<String> IMAGE = Key.of("image", String.class);
    static final Key<Integer> COUNT = Key.of("count", Integer.class);

    @TempDir
    Path dir;

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final AtomicBoolean rerunSeen = new AtomicBoolean();

    private int call(String step) {
        return calls.computeIfAbsent(step, k -> new AtomicInteger()).incrementAndGet();
    }

    private int calls(String step) {
        return calls.getOrDefault(step, new AtomicInteger()).get();
    }

    private Plan plan(boolean backupRerunnable, boolean manyMissing) {
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

    private static Inputs inputs() {
        return Inputs.of(HOST, "db-1", TOKEN, "s3cr3t-t0ken");
    }

    /** A store whose process "dies" after a chosen line: later lines never reach the file, as after a SIGKILL. */
    private JournalStore crashingAfter(String lineContaining) {
        JournalStore real = JournalStore.directory(dir);
        return new JournalStore() {
            @Override
            public JournalWriter open(String runId, boolean create) throws IOException {
                JournalWriter w = real.open(runId, create);
                AtomicBoolean dead = new AtomicBoolean();
                return new JournalWriter() {
                    @Override
                    public void append(String line, boolean durable) throws IOException {
                        if (!dead.get()) {
                            w.append(line, durable);
                        }
                        if (line.contains(lineContaining)) {
                            dead.set(true);
                        }
                    }

                    @Override
                    public void close() throws IOException {
                        w.close();
                    }
                };
            }

            @Override
            public RunJournal read(String runId) throws IOException {
                return real.read(runId);
            }

            @Override
            public List<String> runIds() throws IOException {
                return real.runIds();
            }
        };
    }

    private Runner runner(JournalStore store) {
        return Runner.create().withTimeSource(VirtualTimeSource.create()).withJournal(store);
    }

    @Test
    void journal_recordsEveryStepAndNeverTheSecret() throws IOException {
        RunResult r = runner(JournalStore.directory(dir)).run(plan(false, true), inputs());
        String text = Files.readString(dir.resolve(r.runId() + ".jsonl"));
        assertThat(text).doesNotContain("s3cr3t-t0ken").contains("\"secretInputs\":[\"token\"]");
        RunJournal j = JournalStore.directory(dir).read(r.runId());
        assertThat(j.status()).contains("SUCCEEDED");
        assertThat(j.rows().values()).filteredOn(RunJournal.Row::succeeded).extracting(RunJournal.Row::name)
                .contains("backup", "scan", "install", "verify");
        assertThat(j.inputs()).containsEntry("host", "db-1").doesNotContainKey("token");
    }

    @Test
    void resume_afterCrashAfterAStep_skipsFinishedStepsAndRestoresOutputs() throws IOException {
        String runId = runner(crashingAfter("\"name\":\"backup\",\"attempts\"")).run(plan(false, true), inputs()).runId();
        RunJournal before = JournalStore.directory(dir).read(runId);
        assertThat(before.status()).as("the crash left no finish line").isEmpty();
        calls.clear();

        RunResult resumed = runner(JournalStore.directory(dir)).resume(plan(false, true), runId, Inputs.of(TOKEN, "s3cr3t-t0ken"), Set.of());

        assertThat(resumed.status()).as(resumed.toString()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(resumed.runId()).isEqualTo(runId);
        assertThat(calls("backup")).as("the backup is not made twice").isZero();
        assertThat(resumed.output(IMAGE)).contains("ami-1");
        assertThat(resumed.step("backup").orElseThrow().note()).contains("restored from the journal");
        assertThat(calls("install")).isEqualTo(1);
        assertThat(JournalStore.directory(dir).read(runId).status()).contains("SUCCEEDED");
    }

    @Test
    void resume_whenAMutatingStepWasCutShort_andItCannotTell_stopsForAHumanDecision() {
        String runId = runner(crashingAfter("\"type\":\"step-started\",")).run(plan(false, true), inputs()).runId();
        calls.clear();
        RunResult blocked = runner(JournalStore.directory(dir)).resume(plan(false, true), runId, Inputs.of(TOKEN, "t"), Set.of());
        assertThat(blocked.status()).isEqualTo(RunStatus.FAILED);
        assertThat(blocked.reason()).contains("step \"backup\" started before the run stopped")
                .contains("does not declare how to find out");
        assertThat(calls("backup")).isZero();

        RunResult decided = runner(JournalStore.directory(dir)).resume(plan(false, true), runId, Inputs.of(TOKEN, "t"), Set.of("backup"));
        assertThat(decided.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(calls("backup")).isEqualTo(1);
        assertThat(rerunSeen).as("the action is told it may have acted before").isTrue();
    }

    @Test
    void resume_whenARerunnableStepWasCutShort_runsItAgainAsARerun() {
        String runId = runner(crashingAfter("\"type\":\"step-started\",")).run(plan(true, true), inputs()).runId();
        calls.clear();
        RunResult r = runner(JournalStore.directory(dir)).resume(plan(true, true), runId, Inputs.of(TOKEN, "t"), Set.of());
        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(rerunSeen).isTrue();
        assertThat(r.step("backup").orElseThrow().note()).contains("looks for the image this run tagged");
    }

    @Test
    void resume_keepsTheBranchTheRunAlreadyTook() {
        String runId = runner(crashingAfter("\"outcome\":\"then\"")).run(plan(false, true), inputs()).runId();
        calls.clear();
        // the facts changed meanwhile: a fresh scan would say nothing is missing
        RunResult r = runner(JournalStore.directory(dir)).resume(plan(false, false), runId, Inputs.of(TOKEN, "t"), Set.of());
        assertThat(r.step("install").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(calls("scan")).isZero();
        assertThat(r.step("branch: anything missing?").orElseThrow().note()).contains("took then").contains("from the journal");
    }

    @Test
    void resume_withATornLastLine_readsWhatIsWhole() throws IOException {
        String runId = runner(crashingAfter("\"name\":\"backup\",\"attempts\"")).run(plan(false, true), inputs()).runId();
        Files.writeString(dir.resolve(runId + ".jsonl"), "{\"type\":\"step-sta", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        RunJournal j = JournalStore.directory(dir).read(runId);
        assertThat(j.tornLines()).isEqualTo(1);
        calls.clear();
        RunResult r = runner(JournalStore.directory(dir)).resume(plan(false, true), runId, Inputs.of(TOKEN, "t"), Set.of());
        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(calls("backup")).isZero();
        assertThat(JournalStore.directory(dir).read(runId).status()).as("lines after the torn one are readable").contains("SUCCEEDED");
    }

    @Test
    void resume_withADifferentPlan_isRefusedNamingBothFingerprints() {
        String runId = runner(crashingAfter("\"name\":\"backup\",\"attempts\"")).run(plan(false, true), inputs()).runId();
        Plan other = Plan.builder("durable").input(Input.required(HOST)).input(Input.required(TOKEN))
                .step(Step.mutating("something else").run(ctx -> { })).build();
        assertThatThrownBy(() -> runner(JournalStore.directory(dir)).resume(other, runId, Inputs.of(TOKEN, "t"), Set.of()))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("was made by plan durable (fingerprint " + plan(false, true).fingerprint() + ")")
                .hasMessageContaining("not by this plan durable (fingerprint " + other.fingerprint() + ")");
    }

    @Test
    void resume_ofAFinishedOrClosedRun_isRefused() {
        Runner runner = runner(JournalStore.directory(dir));
        String done = runner.run(plan(false, true), inputs()).runId();
        assertThatThrownBy(() -> runner.resume(plan(false, true), done, Inputs.of(TOKEN, "t"), Set.of()))
                .isInstanceOf(JournalException.class).hasMessageContaining("already finished SUCCEEDED");

        String crashed = runner(crashingAfter("\"name\":\"backup\",\"attempts\"")).run(plan(false, true), inputs()).runId();
        runner.closeRun(crashed, "restored from the backup by hand");
        assertThatThrownBy(() -> runner.resume(plan(false, true), crashed, Inputs.of(TOKEN, "t"), Set.of()))
                .isInstanceOf(JournalException.class).hasMessageContaining("was closed (restored from the backup by hand)");
    }

    @Test
    void resume_withoutTheSecretInput_asksForIt() {
        String runId = runner(crashingAfter("\"name\":\"backup\",\"attempts\"")).run(plan(false, true), inputs()).runId();
        assertThatThrownBy(() -> runner(JournalStore.directory(dir)).resume(plan(false, true), runId))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("token is required but was not given");
    }

    @Test
    void dryRun_writesNoJournal() throws IOException {
        runner(JournalStore.directory(dir)).dryRun().run(plan(false, true), inputs());
        assertThat(JournalStore.directory(dir).runIds()).isEmpty();
    }

    @Test
    void cancelledRun_isRecordedAndCanBeResumed() throws Exception {
        java.util.concurrent.CountDownLatch inScan = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Plan plan = Plan.builder("durable").input(Input.required(HOST)).input(Input.required(TOKEN))
                .step(Step.mutating("backup").output(IMAGE).action(ctx -> "ami-" + call("backup")))
                .step(Step.readOnly("wait for operator").run(ctx -> {
                    inScan.countDown();
                    release.await();
                }))
                .step(Step.mutating("install").run(ctx -> call("install")))
                .build();
        Runner runner = Runner.create().withJournal(JournalStore.directory(dir));
        dev.stepwise.core.run.RunHandle h = runner.start(plan, inputs());
        inScan.await();
        h.cancel("change freeze");
        release.countDown();
        RunResult cancelled = h.await();
        assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(JournalStore.directory(dir).read(h.runId()).status()).contains("CANCELLED");
        assertThat(calls("install")).isZero();

        RunResult resumed = runner.resume(plan, h.runId(), Inputs.of(TOKEN, "t"), Set.of());
        assertThat(resumed.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(calls("backup")).isEqualTo(1);
        assertThat(calls("install")).isEqualTo(1);
    }
}
