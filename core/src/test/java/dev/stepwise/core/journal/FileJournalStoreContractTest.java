package dev.stepwise.core.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal store contract over the file store, and what only the file store does: JSON-lines files. */
class FileJournalStoreContractTest extends JournalStoreContract {
    @TempDir
    Path dir;

    @Override
    protected JournalStore store() {
        return JournalStore.directory(dir);
    }

    @Test
    void journalFile_holdsEveryStepAsJsonLinesAndNeverTheSecret() throws IOException {
        RunResult r = runner(store()).run(plan(false, true), inputs());
        String text = Files.readString(dir.resolve(r.runId() + ".jsonl"));
        assertThat(text).doesNotContain(SECRET).contains("\"secretInputs\":[\"token\"]")
                .contains("\"type\":\"step-succeeded\"");
    }

    @Test
    void resume_withATornLastLine_readsWhatIsWhole() throws IOException {
        String runId = runner(CrashingJournalStore.afterStepSucceeded(store(), "backup")).run(plan(false, true), inputs())
                .runId();
        Files.writeString(dir.resolve(runId + ".jsonl"), "{\"type\":\"step-sta", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        assertThat(store().read(runId).tornLines()).isEqualTo(1);
        int backupsBefore = calls("backup");

        RunResult r = runner(store()).resume(plan(false, true), runId, Inputs.of(TOKEN, "t"), Set.of());

        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(calls("backup")).isEqualTo(backupsBefore);
        assertThat(store().read(runId).status()).as("lines after the torn one are readable").contains("SUCCEEDED");
    }
}
