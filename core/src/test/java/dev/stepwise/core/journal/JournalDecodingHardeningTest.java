package dev.stepwise.core.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hardening: a journal is read as bytes and decoded line by line, so no byte sequence makes it unreadable. A bad
 * last line is a torn write; a bad line anywhere else means entries may be missing, so nothing unfinished that may
 * change the world runs again without a human decision. Regression: {@code Files.readAllLines} failed on a line
 * torn inside a multi-byte character, and the torn-line tolerance never applied.
 */
class JournalDecodingHardeningTest {
    static final Key<String> HOST = Key.of("host", String.class);
    static final Key<String> IMAGE = Key.of("image", String.class);
    static final Key<Integer> COUNT = Key.of("count", Integer.class);
    /** The first byte of the two-byte UTF-8 encoding of {@code ö} (C3 B6). */
    static final byte HALF_OF_O_UMLAUT = (byte) 0xC3;

    @TempDir
    Path dir;

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    private int call(String step) {
        return calls.computeIfAbsent(step, k -> new AtomicInteger()).incrementAndGet();
    }

    private int calls(String step) {
        return calls.getOrDefault(step, new AtomicInteger()).get();
    }

    private Plan plan() {
        return Plan.builder("hardened")
                .input(Input.required(HOST))
                .step(Step.mutating("backup").output(IMAGE).action(ctx -> "ami-" + call("backup")))
                .step(Step.readOnly("scan").output(COUNT).action(ctx -> {
                    call("scan");
                    return 3;
                }))
                .step(Step.mutating("install").reads(IMAGE).run(ctx -> call("install")))
                .step(Step.mutating("verify").run(ctx -> call("verify")))
                .build();
    }

    private Runner runner(JournalStore store) {
        return Runner.create().withTimeSource(VirtualTimeSource.create()).withJournal(store);
    }

    private JournalStore store() {
        return JournalStore.directory(dir);
    }

    private Path file(String runId) {
        return dir.resolve(runId + ".jsonl");
    }

    private String crashedAfter(String step) {
        String runId = runner(CrashingJournalStore.afterStepSucceeded(store(), step)).run(plan(), Inputs.of(HOST, "db-1"))
                .runId();
        calls.clear();
        return runId;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    // ---- torn inside a multi-byte character ----

    @Test
    void read_whenTheLastLineIsTornInsideAMultiByteCharacter_countsItAsOneTornLine() throws IOException {
        String runId = crashedAfter("backup");
        Files.write(file(runId), concat(utf8("{\"type\":\"step-started\",\"at\":\"2026-05-01T10:00:00Z\",\"row\":1,\"name\":\"sch"),
                new byte[] {HALF_OF_O_UMLAUT}), StandardOpenOption.APPEND);

        RunJournal j = store().read(runId);

        assertThat(j.tornLines()).isEqualTo(1);
        assertThat(j.corruptLines()).isEmpty();
        assertThat(j.rows().get(0).succeeded()).as("the whole lines before it are read").isTrue();
    }

    @Test
    void resume_afterALineTornInsideAMultiByteCharacter_proceedsAsForATornWrite() throws IOException {
        String runId = crashedAfter("backup");
        Files.write(file(runId), concat(utf8("{\"type\":\"step-started\",\"at\":\"2026-05-01T10:00:00Z\",\"row\":1,\"name\":\"sch"),
                new byte[] {HALF_OF_O_UMLAUT}), StandardOpenOption.APPEND);

        RunResult r = runner(store()).resume(plan(), runId, Inputs.empty(), Set.of());

        assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(calls("backup")).as("the finished backup is not made twice").isZero();
        assertThat(calls("install")).isEqualTo(1);
        RunJournal after = store().read(runId);
        assertThat(after.tornLines()).as("still a torn write: the line just before the resumed session").isEqualTo(1);
        assertThat(after.corruptLines()).isEmpty();
        assertThat(after.status()).contains("SUCCEEDED");
    }

    @Test
    void resume_whenTheTornLineWasTheEndOfAMutatingStep_blocksThatStepAsForAnyTornWrite() throws IOException {
        String runId = runner(CrashingJournalStore.afterStepStarted(store(), "install")).run(plan(), Inputs.of(HOST, "db-1"))
                .runId();
        calls.clear();
        Files.write(file(runId), concat(utf8("{\"type\":\"step-succeeded\",\"at\":\"2026-05-01T10:00:00Z\",\"row\":2,"
                + "\"name\":\"install\",\"note\":\"gr"), new byte[] {HALF_OF_O_UMLAUT}), StandardOpenOption.APPEND);

        RunResult r = runner(store()).resume(plan(), runId, Inputs.empty(), Set.of());

        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.reason()).contains("step \"install\" started before the run stopped");
        assertThat(calls("install")).isZero();
    }

    @Test
    void read_whenInvalidBytesWereAppended_countsThemAsATornLine() throws IOException {
        String runId = crashedAfter("backup");
        Files.write(file(runId), new byte[] {(byte) 0xFF, (byte) 0xFE, 'x', (byte) 0x80}, StandardOpenOption.APPEND);

        RunJournal j = store().read(runId);

        assertThat(j.tornLines()).isEqualTo(1);
        assertThat(j.corruptLines()).isEmpty();
    }

    // ---- bad bytes in the middle ----

    /** Replaces line {@code n} (1-based) of the journal with {@code bytes}. */
    private void replaceLine(String runId, int n, byte[] bytes) throws IOException {
        List<byte[]> lines = new ArrayList<>();
        byte[] all = Files.readAllBytes(file(runId));
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                lines.add(java.util.Arrays.copyOfRange(all, start, i));
                start = i + 1;
            }
        }
        lines.set(n - 1, bytes);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] l : lines) {
            out.writeBytes(l);
            out.write('\n');
        }
        Files.write(file(runId), out.toByteArray());
    }

    private int lineOf(String runId, String fragment) throws IOException {
        List<String> lines = Files.readAllLines(file(runId), StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(fragment)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line contains " + fragment + " in " + lines);
    }

    @Test
    void read_whenALineInTheMiddleHasInvalidBytes_readsTheRestAndNamesTheLine() throws IOException {
        String runId = crashedAfter("backup");
        int line = lineOf(runId, "\"type\":\"step-started\"");
        replaceLine(runId, line, new byte[] {'{', (byte) 0xFF, (byte) 0xC3, '}'});

        RunJournal j = store().read(runId);

        assertThat(j.corruptLines()).containsExactly(line);
        assertThat(j.tornLines()).isZero();
        assertThat(j.rows().get(0).succeeded()).isTrue();
        assertThat(j.toString()).contains("line(s) " + line);
    }

    @Test
    void resume_whenALineInTheMiddleIsCorrupt_runsNoUnfinishedMutatingStepAndNamesTheLine() throws IOException {
        String runId = crashedAfter("backup");
        int line = lineOf(runId, "\"type\":\"step-started\"");
        replaceLine(runId, line, new byte[] {'{', (byte) 0xFF, (byte) 0xC3, '}'});

        RunResult blocked = runner(store()).resume(plan(), runId, Inputs.empty(), Set.of());

        assertThat(blocked.status()).isEqualTo(RunStatus.FAILED);
        assertThat(blocked.reason()).contains("step \"install\"").contains("line(s) " + line)
                .contains("rerun set");
        assertThat(calls("install") + calls("verify")).as("no unfinished MUTATING step ran").isZero();
        assertThat(calls("backup")).as("the recorded backup is restored, not made again").isZero();
        assertThat(blocked.output(IMAGE)).contains("ami-1");

        RunResult decided = runner(store()).resume(plan(), runId, Inputs.empty(), Set.of("install", "verify"));
        assertThat(decided.status()).as(decided.toString()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(calls("install")).isEqualTo(1);
        assertThat(calls("verify")).isEqualTo(1);
        assertThat(calls("backup")).isZero();
    }

    @Test
    void resume_whenAFinishedRunsJournalHasACorruptLine_doesNotTrustItsFinishedStatus() throws IOException {
        String runId = runner(store()).run(plan(), Inputs.of(HOST, "db-1")).runId();
        calls.clear();
        int install = lineOf(runId, "\"name\":\"install\",\"attempts\"");
        replaceLine(runId, install, utf8("{\"type\":\"step-succ"));
        assertThat(store().read(runId).status()).as("the journal does record a finish").contains("SUCCEEDED");
        assertThat(store().read(runId).corruptLines()).containsExactly(install);

        RunResult r = runner(store()).resume(plan(), runId, Inputs.empty(), Set.of());

        assertThat(r.status()).as("not refused as already finished: entries may be missing").isEqualTo(RunStatus.FAILED);
        assertThat(r.reason()).contains("step \"install\"").contains("line(s) " + install);
        assertThat(calls("install") + calls("verify")).isZero();
    }

    @Test
    void parse_aBadLineJustBeforeALaterSessionsFirstEntry_isATornWriteOfTheEarlierSession() {
        byte[] journal = concat(
                utf8("{\"type\":\"run-started\",\"at\":\"2026-05-01T10:00:00Z\",\"runId\":\"r\",\"plan\":\"p\",\"fingerprint\":\"f\"}\n"),
                utf8("{\"type\":\"step-started\",\"at\":\"2026-05-01T10:00:01Z\",\"row\":0,\"name\":\"a\",\"effect\":\"MUTATING\"}\n"),
                utf8("{\"type\":\"step-succ"), new byte[] {HALF_OF_O_UMLAUT, '\n'},
                utf8("{\"type\":\"run-resumed\",\"at\":\"2026-05-01T11:00:00Z\"}\n"),
                new byte[] {(byte) 0xFF, '\n'},
                utf8("{\"type\":\"check\",\"at\":\"2026-05-01T11:00:01Z\",\"row\":1,\"name\":\"c\",\"outcome\":\"held\"}\n"),
                utf8("\n"),
                utf8("{\"type\":\"step-started\",\"at\":\"2026-05-01T11:00:02Z\",\"row\":2,\"name\":\"b\",\"eff"));

        RunJournal j = RunJournal.parse("r", journal);

        assertThat(j.tornLines()).as("line 3 (before the resumed session) and line 8 (the last)").isEqualTo(2);
        assertThat(j.corruptLines()).as("line 5 has entries after it in the same session").containsExactly(5);
        assertThat(j.entries()).hasSize(4);
    }
}
