package dev.stepwise.core.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.RunHandle;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hardening: one writer per journal. The directory store holds an operating-system lock per run while a writer is
 * open, so a second resume or a close of a live run is refused naming the holder, a killed holder leaves no stale
 * lock, and every line is appended at the end of the file. Regression: two resumers started together both ran the
 * same MUTATING step and their lines overwrote each other; {@code closeRun} on a live run was erased by its writer.
 * Every wait is bounded; assertions count, they never time.
 */
class JournalLockHardeningTest {
    static final long WAIT_SECONDS = 60;
    static final String PID = "pid " + ProcessHandle.current().pid();

    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() throws InterruptedException {
        for (Process p : children) {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
            }
        }
    }

    private JournalStore store() {
        return JournalStore.directory(dir.resolve("journals"));
    }

    private Process child(Path output, String... args) throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", cp, JournalChild.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        children.add(p);
        return p;
    }

    /** Polls {@code condition} until it holds, at most {@link #WAIT_SECONDS}; returns whether it held. */
    private static boolean within(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    private static String resultLine(Path output) throws IOException {
        return Files.readAllLines(output, StandardCharsets.UTF_8).stream()
                .filter(l -> l.startsWith("RESULT ") || l.startsWith("REFUSED ") || l.startsWith("OPENED")
                        || l.startsWith("RELEASED") || l.startsWith("ERROR "))
                .findFirst().orElse("no result; the child printed " + Files.readString(output));
    }

    private static long lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String createdRun() throws IOException {
        String runId = "locked-" + System.nanoTime();
        try (JournalWriter w = store().open(runId, true)) {
            w.append(new JournalEntry.RunStarted(Instant.EPOCH, runId, "p", "fp", null, Map.of(), List.of()), true);
        }
        return runId;
    }

    @Test
    void resume_whenTwoJvmsResumeOneRunAtOnce_exactlyOneActsAndTheOtherIsRefusedNamingItsPid() throws Exception {
        Path release = dir.resolve("release");
        Path marker = dir.resolve("marker");
        Path parentRelease = Files.createFile(dir.resolve("parent-release"));
        Plan plan = JournalChild.racePlan(dir.resolve("parent-marker"), parentRelease);
        String runId = Runner.create().withJournal(CrashingJournalStore.afterStepSucceeded(store(), "prepare"))
                .run(plan, Inputs.empty()).runId();
        assertThat(store().read(runId).unfinished()).isEmpty();
        assertThat(store().read(runId).rows()).containsOnlyKeys(0);

        Path go = dir.resolve("go");
        List<Process> racers = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        List<Path> ready = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            outputs.add(dir.resolve("child-" + i + ".out"));
            ready.add(dir.resolve("ready-" + i));
            racers.add(child(outputs.get(i), "resume", dir.resolve("journals").toString(), runId,
                    marker.toString(), release.toString(), ready.get(i).toString(), go.toString()));
        }
        assertThat(within(() -> ready.stream().allMatch(Files::exists))).as("both children started").isTrue();
        Files.createFile(go);
        assertThat(within(() -> racers.stream().anyMatch(p -> !p.isAlive()) || lines(marker) >= 2))
                .as("one resumer was refused (or, the bug, both acted)").isTrue();
        Files.createFile(release);
        for (Process p : racers) {
            assertThat(p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as("child %s exited", p.pid()).isTrue();
        }

        List<String> markers = Files.readAllLines(marker);
        assertThat(markers).as("exactly one resumer ran the MUTATING step").hasSize(1);
        long actor = Long.parseLong(markers.get(0));
        List<String> results = new ArrayList<>();
        for (Path o : outputs) {
            results.add(resultLine(o));
        }
        assertThat(results).as("one succeeded, one was refused").containsExactlyInAnyOrder("RESULT SUCCEEDED",
                "REFUSED " + JournalLockedException.class.getName() + " holder=" + holderOf(results, actor));
        assertThat(holderOf(results, actor)).contains("pid " + actor);
        RunJournal j = store().read(runId);
        assertThat(j.entries()).filteredOn(JournalEntry.RunResumed.class::isInstance).as("one resumed session")
                .hasSize(1);
        assertThat(j.tornLines()).isZero();
        assertThat(j.corruptLines()).isEmpty();
        assertThat(j.status()).contains("SUCCEEDED");
    }

    /** The holder the refused child printed, or a text that cannot match when none was refused. */
    private static String holderOf(List<String> results, long actor) {
        return results.stream().filter(r -> r.startsWith("REFUSED ")).map(r -> r.substring(r.indexOf("holder=") + 7))
                .findFirst().orElse("(nobody was refused; the actor was " + actor + ")");
    }

    @Test
    void open_whileAnotherJvmHoldsTheJournal_isRefusedNamingItsPidAndTakenOnceItIsKilled() throws Exception {
        String runId = createdRun();
        Path ready = dir.resolve("ready");
        Process holder = child(dir.resolve("holder.out"), "hold", dir.resolve("journals").toString(), runId,
                ready.toString(), dir.resolve("never").toString());
        assertThat(within(() -> Files.exists(ready))).as("the holder opened the journal").isTrue();

        assertThatThrownBy(() -> store().open(runId, false))
                .isInstanceOfSatisfying(JournalLockedException.class,
                        e -> assertThat(e.holder()).hasValueSatisfying(h -> assertThat(h).contains("pid " + holder.pid())))
                .hasMessageContaining(runId).hasMessageContaining("pid " + holder.pid());

        holder.destroyForcibly();
        assertThat(holder.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        try (JournalWriter w = store().open(runId, false)) {
            w.append(new JournalEntry.RunResumed(Instant.EPOCH), true);
        }
        assertThat(store().read(runId).entries()).as("a killed holder leaves no stale lock").hasSize(2);
    }

    @Test
    void open_whileThisJvmHoldsTheJournal_isRefusedAndTheHoldersLockStillKeepsOtherProcessesOut() throws Exception {
        String runId = createdRun();
        try (JournalWriter holder = store().open(runId, false)) {
            assertThatThrownBy(() -> store().open(runId, false)).isInstanceOfSatisfying(JournalLockedException.class,
                    e -> assertThat(e.holder()).hasValueSatisfying(h -> assertThat(h).contains(PID)));
            // reading and a refused second writer open and close files of this run in the holder's process: on
            // POSIX systems closing any descriptor of a locked file drops the process's lock on it
            store().read(runId);
            Files.readAllBytes(dir.resolve("journals").resolve(runId + ".jsonl"));

            Path out = dir.resolve("open.out");
            Process other = child(out, "open", dir.resolve("journals").toString(), runId);
            assertThat(other.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(resultLine(out)).isEqualTo("REFUSED " + JournalLockedException.class.getName() + " holder="
                    + holderText(runId));
            holder.append(new JournalEntry.RunResumed(Instant.EPOCH), true);
        }
        try (JournalWriter again = store().open(runId, false)) {
            again.append(new JournalEntry.RunResumed(Instant.EPOCH), true);
        }
        assertThat(store().read(runId).entries()).hasSize(3);
    }

    @Test
    void open_whenCodeInThisJvmLockedTheFileOutsideTheStore_isRefusedAsLockedAndLeavesThatLockInPlace() throws Exception {
        String runId = createdRun();
        Path lockFile = dir.resolve("journals").resolve(runId + ".lock");
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE);
                FileLock outside = ch.lock()) {
            assertThatThrownBy(() -> store().open(runId, false)).isInstanceOfSatisfying(JournalLockedException.class,
                    e -> assertThat(e.holder()).hasValueSatisfying(h -> assertThat(h).contains(PID)));

            Path out = dir.resolve("outside.out");
            Process other = child(out, "open", dir.resolve("journals").toString(), runId);
            assertThat(other.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(resultLine(out)).as("the refusal did not drop the outside lock").startsWith("REFUSED ");
            assertThat(outside.isValid()).isTrue();
        }
        try (JournalWriter w = store().open(runId, false)) {
            w.append(new JournalEntry.RunResumed(Instant.EPOCH), true);
        }
        assertThat(store().read(runId).entries()).hasSize(2);
    }

    /** What the refusal in this JVM says of the holder. */
    private String holderText(String runId) {
        try {
            store().open(runId, false).close();
            throw new AssertionError("not refused");
        } catch (JournalLockedException e) {
            return e.holder().orElseThrow();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void closeRun_whileARunHoldsItsJournal_isRefusedNamingTheHolder_andWorksOnceItFinished() throws Exception {
        CountDownLatch inStep = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Plan plan = Plan.builder("long").step(Step.mutating("change").run(ctx -> {
            inStep.countDown();
            if (!release.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        })).step(Step.mutating("after").run(ctx -> { })).build();
        Runner runner = Runner.create().withJournal(store());
        RunHandle live = runner.start(plan, Inputs.empty());
        assertThat(inStep.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> runner.closeRun(live.runId(), "fixed by hand"))
                .isInstanceOfSatisfying(JournalLockedException.class,
                        e -> assertThat(e.holder()).hasValueSatisfying(h -> assertThat(h).contains(PID)))
                .hasMessageContaining(live.runId()).hasMessageContaining(PID);
        release.countDown();
        RunResult r = live.await();

        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        RunJournal j = store().read(live.runId());
        assertThat(j.isClosed()).as("the refused close wrote nothing").isFalse();
        assertThat(j.status()).contains("SUCCEEDED");
        runner.closeRun(live.runId(), "archived");
        assertThat(store().read(live.runId()).isClosed()).isTrue();
        assertThat(store().read(live.runId()).corruptLines()).isEmpty();
    }

    @Test
    void append_afterLinesWereAddedBehindTheWritersBack_writesAtTheEndAndOverwritesNothing() throws IOException {
        String runId = "append-" + System.nanoTime();
        Path file = dir.resolve("journals").resolve(runId + ".jsonl");
        try (JournalWriter w = store().open(runId, true)) {
            w.append(new JournalEntry.RunStarted(Instant.EPOCH, runId, "p", "fp", null, Map.of(), List.of()), true);
            // a record written without the lock (as an outside decision may be one day) lands at the end ...
            Files.writeString(file, JournalCodec.encode(new JournalEntry.CheckDecided(Instant.EPOCH, 0, "gate", "held"))
                    + "\n", StandardOpenOption.APPEND);
            // ... and the writer's next line goes after it, not over it
            w.append(new JournalEntry.StepStarted(Instant.EPOCH, 1, "next", dev.stepwise.core.plan.Effect.MUTATING), true);
        }
        RunJournal j = store().read(runId);
        assertThat(j.entries()).hasSize(3);
        assertThat(j.corruptLines()).isEmpty();
        assertThat(j.tornLines()).isZero();
    }
}
