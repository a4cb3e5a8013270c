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

/** What only the file store does: JSON-lines files, torn last lines, nothing written by dry runs. */
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
    void resume_withATornLastLine_readsWhatIsWhole() throws IOException {
        String runId = runner(CrashingJournalStore.afterStepSucceeded(JournalStore.directory(dir), "backup")).run(plan(false, true), inputs()).runId();
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
    void dryRun_writesNoJournal() throws IOException {
        runner(JournalStore.directory(dir)).dryRun().run(plan(false, true), inputs());
        assertThat(JournalStore.directory(dir).runIds()).isEmpty();
    }
}
