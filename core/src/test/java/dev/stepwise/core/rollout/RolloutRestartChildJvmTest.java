package dev.stepwise.core.rollout;

import static dev.stepwise.core.rollout.RolloutRestartChild.ACTED;
import static dev.stepwise.core.rollout.RolloutRestartChild.APPROVAL_INDEX;
import static dev.stepwise.core.rollout.RolloutRestartChild.APPROVAL_REQUESTS;
import static dev.stepwise.core.rollout.RolloutRestartChild.GATE;
import static dev.stepwise.core.rollout.RolloutRestartChild.KILLED_AT;
import static dev.stepwise.core.rollout.RolloutRestartChild.LEAD_TIME;
import static dev.stepwise.core.rollout.RolloutRestartChild.NOTICES;
import static dev.stepwise.core.rollout.RolloutRestartChild.RESOLVED;
import static dev.stepwise.core.rollout.RolloutRestartChild.RESULT;
import static dev.stepwise.core.rollout.RolloutRestartChild.ROLLOUT_ID;
import static dev.stepwise.core.rollout.RolloutRestartChild.SOAK;
import static dev.stepwise.core.rollout.RolloutRestartChild.WINDOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.stepwise.core.journal.JournalEntry;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.journal.RolloutJournal;
import dev.stepwise.core.rollout.RolloutRestartChild.KillAt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rollouts that outlive the process, with real processes: a child JVM ({@link RolloutRestartChild}) runs a
 * rollout on a virtual clock kept in a file ({@link FileClock}) and is killed ({@code Runtime.halt(137)}) at a
 * rollout boundary; the test moves the shared clock on as the world would between two processes, answers the
 * pending approval from outside when there is one, and resumes the rollout in a fresh child JVM. Whatever the
 * boundary, every target is acted on exactly once, each wave's targets are resolved once, the approver is asked
 * once, one notice is sent, the gate is evaluated once, the soak lasts exactly its 7 days from its recorded start
 * and the announcement's lead time counts from when the notice was sent.
 *
 * <p>A parking runner is tested the way a cron job uses it: a fresh child JVM every virtual day, each one before
 * {@code resumeAt} returning WAITING having acted on nothing, resolved nothing and asked nobody.
 *
 * <p>No assertion is on wall-clock time; every wait for a child is bounded, and a child that hangs is killed and
 * fails the test.
 */
class RolloutRestartChildJvmTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    /** Real time a child may take before it counts as hung (a loaded 2-core machine starts a JVM in seconds). */
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private Path journals;
    private Path markers;
    private Path clockFile;
    private FileClock clock;
    private JournalStore store;
    private boolean approved;
    private int children;

    @BeforeEach
    void setUp() throws IOException {
        journals = Files.createDirectories(dir.resolve("journals"));
        markers = Files.createDirectories(dir.resolve("markers"));
        clockFile = dir.resolve("clock");
        clock = FileClock.create(clockFile, START);
        store = JournalStore.directory(journals);
    }

    @ParameterizedTest(name = "killed {0}")
    @EnumSource(value = KillAt.class, mode = EnumSource.Mode.EXCLUDE, names = "NONE")
    void resume_afterTheProcessWasKilledAtABoundary_actsOnEveryTargetOnceAndRepeatsNoCheckpoint(KillAt boundary)
            throws IOException {
        Exit killed = child(boundary, "block", boundary != KillAt.APPROVAL_PENDING, "run");

        assertThat(killed.code()).as("the child died by halt(137) at the boundary\n%s", killed.output()).isEqualTo(137);
        assertThat(lines(KILLED_AT)).containsExactly(boundary.name());
        String id = rolloutId();
        RolloutJournal atKill = RolloutJournal.read(store, id);
        JournalEntry last = atKill.entries().get(atKill.entries().size() - 1);
        assertThat(describe(last)).as("the last durable rollout entry").isEqualTo(lastDurableAt(boundary));
        if (boundary.inWait != null) {
            assertThat(clock.now()).as("killed at the first wait, before any of it passed").isEqualTo(last.at());
        }
        assertThat(lines(ACTED)).as("acted on before the kill").containsExactlyElementsOf(actedBefore(boundary));
        if (boundary.target != null) {
            // a target's run id is the rollout's id, a readable part of the target and a hash of both
            String runId = store.runIds().stream().filter(r -> r.startsWith(id + "-" + boundary.target + "-"))
                    .findFirst().orElseThrow(() -> new AssertionError("no run journal of " + boundary.target));
            assertThat(store.read(runId).status()).as("the killed target's run had finished").contains("SUCCEEDED");
        }
        assertThat(Rollouts.status(store, id).state()).as("neither finished nor parked: the process stopped")
                .isEqualTo(RolloutProgress.State.RUNNING_OR_STOPPED);

        betweenTheProcesses(boundary, id);
        Exit resumed = child(KillAt.NONE, "block", true, "resume", id);

        assertThat(resumed.code()).as(resumed.output()).isZero();
        assertThat(lines(RESULT)).as(resumed.output()).containsExactly("SUCCEEDED null");
        assertActedOnceAndAskedOnce();
        RolloutJournal j = RolloutJournal.read(store, id);
        assertThat(j.finished()).hasValueSatisfying(f -> assertThat(f.status()).isEqualTo("SUCCEEDED"));
        assertThat(j.entries()).filteredOn(JournalEntry.RolloutResumed.class::isInstance).hasSize(1);

        JournalEntry.CheckpointStarted soakStart = started(j, "rest", 0);
        assertThat(soakStart.at()).isEqualTo(START);
        assertThat(ended(j, "rest", 0).at()).as("the soak ends 7 days after its recorded start").isEqualTo(START.plus(SOAK));
        assertThat(waveStarted(j, "rest")).as("wave rest waits exactly the soak").isEqualTo(START.plus(SOAK));
        assertThat(ended(j, "final", APPROVAL_INDEX).decision().by()).isEqualTo("alice");
        assertLeadTimeFromTheNoticeAndWindowOpen(j);
    }

    /** What is durable when a child dies at {@code boundary}: the last entry of the rollout's own journal. */
    private static String lastDurableAt(KillAt boundary) {
        return switch (boundary) {
            case AFTER_CANARY_TARGET -> "WaveStarted canary";
            case MID_SOAK -> "CheckpointStarted SOAK before rest";
            case AFTER_FIRST_REST_TARGET, AFTER_SECOND_REST_TARGET -> "WaveStarted rest";
            case AFTER_GATE -> "CheckpointEnded #0 before final: PASSED"; // #0 before final is the gate
            case APPROVAL_PENDING -> "CheckpointStarted APPROVAL before final";
            case BEFORE_NOTICE_SENT -> "CheckpointStarted NOTIFY before final";
            case IN_LEAD_TIME -> "AnnouncementSent before final";
            case IN_WINDOW_WAIT -> "CheckpointStarted WINDOW before final";
            case AFTER_FINAL_TARGET -> "WaveStarted final";
            case NONE -> throw new IllegalArgumentException("not a boundary");
        };
    }

    private static List<String> actedBefore(KillAt boundary) {
        return switch (boundary) {
            case AFTER_CANARY_TARGET, MID_SOAK -> List.of("c1");
            case AFTER_FIRST_REST_TARGET -> List.of("c1", "r1");
            case AFTER_FINAL_TARGET -> List.of("c1", "r1", "r2", "f1");
            default -> List.of("c1", "r1", "r2");
        };
    }

    /** What the world does while no process runs the rollout. */
    private void betweenTheProcesses(KillAt boundary, String id) {
        switch (boundary) {
            // the machine stays down six days into the seven-day soak
            case MID_SOAK -> clock.advance(Duration.ofDays(6));
            // someone notices after five hours and approves from the command line
            case APPROVAL_PENDING -> {
                clock.advance(Duration.ofHours(5));
                approve(id);
            }
            // the machine is down three hours before the notice could go out
            case BEFORE_NOTICE_SENT -> clock.advance(Duration.ofHours(3));
            // ten of the 24 hours of lead time pass
            case IN_LEAD_TIME -> clock.advance(Duration.ofHours(10));
            // an hour of the wait for the window passes
            case IN_WINDOW_WAIT -> clock.advance(Duration.ofHours(1));
            default -> {
            }
        }
    }

    @Test
    void resume_fromACronJobBeforeResumeAt_returnsWaitingHavingActedOnNothingAndResolvedNothing() throws IOException {
        // daily at 03:00, inside the 02:00-04:00 window, so a tick that reaches the window finds it open
        Instant start = START.plus(Duration.ofHours(3));
        Duration period = Duration.ofDays(1);
        clock.advanceTo(start);
        Exit first = child(KillAt.NONE, "PT1H", false, "run");
        assertThat(first.code()).as(first.output()).isZero();
        assertThat(lastResult()).as(first.output()).isEqualTo("WAITING " + start.plus(SOAK));
        assertThat(lines(ACTED)).containsExactly("c1");
        String id = rolloutId();

        List<Instant> early = new ArrayList<>();
        boolean decidedSinceLastTick = false;
        for (int tick = 1; !lastResult().startsWith("SUCCEEDED"); tick++) {
            assertThat(tick).as("ticks before the rollout finished; last result %s", lastResult()).isLessThan(15);
            clock.advance(period);
            Instant now = clock.now();
            RolloutProgress before = Rollouts.status(store, id);
            Snapshot was = snapshot();
            // an outside decision lets a parked approval go on before its resumeAt (the approval's deadline)
            boolean beforeResumeAt = now.isBefore(before.resumeAt()) && !decidedSinceLastTick;

            Exit e = child(KillAt.NONE, "PT1H", false, "resume", id);

            assertThat(e.code()).as(e.output()).isZero();
            decidedSinceLastTick = false;
            if (beforeResumeAt) {
                early.add(now);
                assertThat(lastResult()).as("a resume at %s, before resumeAt %s", now, before.resumeAt())
                        .isEqualTo("WAITING " + before.resumeAt());
                assertThat(snapshot()).as("a resume before resumeAt acts on nothing, resolves nothing, asks nobody")
                        .isEqualTo(was);
                if (before.pendingApproval().isPresent()) {
                    // asked yesterday, answered today from the command line, taken by tomorrow's tick
                    approve(id);
                    decidedSinceLastTick = true;
                }
            }
        }

        assertThat(early).as("the days the cron job found the rollout waiting: six in the soak, one at the approval")
                .containsExactly(start.plus(Duration.ofDays(1)), start.plus(Duration.ofDays(2)),
                        start.plus(Duration.ofDays(3)), start.plus(Duration.ofDays(4)), start.plus(Duration.ofDays(5)),
                        start.plus(Duration.ofDays(6)), start.plus(Duration.ofDays(8)));
        assertActedOnceAndAskedOnce();
        RolloutJournal j = RolloutJournal.read(store, id);
        assertThat(j.finished()).hasValueSatisfying(f -> assertThat(f.status()).isEqualTo("SUCCEEDED"));
        // the tick on day 7 falls on resumeAt, so "within one poll" of the soak is exactly the soak here
        assertThat(Duration.between(started(j, "rest", 0).at(), ended(j, "rest", 0).at())).isEqualTo(SOAK);
        assertThat(ended(j, "final", APPROVAL_INDEX).decision().by()).isEqualTo("alice");
        assertLeadTimeFromTheNoticeAndWindowOpen(j);
    }

    // ---- assertions ----

    private void assertActedOnceAndAskedOnce() {
        assertThat(lines(ACTED)).as("every target acted on exactly once, in order").containsExactly("c1", "r1", "r2", "f1");
        assertThat(lines(RESOLVED)).as("each wave's targets resolved once, then frozen")
                .containsExactly("canary", "rest", "final");
        assertThat(lines(APPROVAL_REQUESTS)).as("no second approval request").hasSize(1);
        assertThat(lines(NOTICES)).as("no second notice").hasSize(1);
        assertThat(lines(GATE)).as("the gate's verdict stands once given").hasSize(1);
    }

    /** The announcement's lead time counts from when it was sent; wave final starts when the window opens after it. */
    private void assertLeadTimeFromTheNoticeAndWindowOpen(RolloutJournal j) {
        JournalEntry.AnnouncementSent sent = j.entries().stream()
                .filter(JournalEntry.AnnouncementSent.class::isInstance).map(JournalEntry.AnnouncementSent.class::cast)
                .findFirst().orElseThrow();
        assertThat(lines(NOTICES).get(0)).as("the notice is dated when it was sent and names when the wave starts")
                .startsWith(sent.at() + " ").contains("starts at " + sent.at().plus(LEAD_TIME));
        assertThat(ended(j, "final", 2).at()).as("the lead time ends 24 h after the notice was sent")
                .isEqualTo(sent.at().plus(LEAD_TIME));
        Instant windowFrom = started(j, "final", 3).at();
        assertThat(windowFrom).isEqualTo(sent.at().plus(LEAD_TIME));
        assertThat(ended(j, "final", 3).at()).isEqualTo(WINDOW.nextOpening(windowFrom).orElseThrow());
        Instant finalStart = waveStarted(j, "final");
        assertThat(finalStart).isEqualTo(ended(j, "final", 3).at());
        assertThat(WINDOW.isOpen(finalStart)).isTrue();
    }

    private static JournalEntry.CheckpointStarted started(RolloutJournal j, String wave, int index) {
        return j.checkpoint(wave, index).map(RolloutJournal.Checkpoint::started)
                .orElseThrow(() -> new AssertionError("checkpoint " + index + " before " + wave + " never started"));
    }

    private static JournalEntry.CheckpointEnded ended(RolloutJournal j, String wave, int index) {
        JournalEntry.CheckpointEnded e = j.checkpoint(wave, index).map(RolloutJournal.Checkpoint::ended).orElse(null);
        if (e == null) {
            throw new AssertionError("checkpoint " + index + " before " + wave + " never ended");
        }
        return e;
    }

    private static Instant waveStarted(RolloutJournal j, String wave) {
        List<Instant> at = j.entries().stream().filter(e -> e instanceof JournalEntry.WaveStarted s && s.wave().equals(wave))
                .map(JournalEntry::at).toList();
        assertThat(at).as("WaveStarted %s, once", wave).hasSize(1);
        return at.get(0);
    }

    private static String describe(JournalEntry e) {
        if (e instanceof JournalEntry.WaveStarted s) {
            return "WaveStarted " + s.wave();
        } else if (e instanceof JournalEntry.CheckpointStarted c) {
            return "CheckpointStarted " + c.kind() + " before " + c.wave();
        } else if (e instanceof JournalEntry.CheckpointEnded c) {
            return "CheckpointEnded #" + c.index() + " before " + c.wave() + ": " + c.outcome();
        } else if (e instanceof JournalEntry.AnnouncementSent a) {
            return "AnnouncementSent before " + a.wave();
        }
        return e.toString();
    }

    // ---- the world around the child processes ----

    private void approve(String id) {
        Rollouts.approve(store, id, "alice", "dashboards are green");
        approved = true;
    }

    private String rolloutId() {
        List<String> id = lines(ROLLOUT_ID);
        assertThat(id).as("the child wrote the rollout id").hasSize(1);
        return id.get(0);
    }

    private List<String> lines(String marker) {
        return RolloutRestartChild.lines(markers, marker);
    }

    private String lastResult() {
        List<String> r = lines(RESULT);
        return r.isEmpty() ? "" : r.get(r.size() - 1);
    }

    /** Everything a resume before resumeAt must leave alone: the markers and the targets' run journals. */
    private record Snapshot(List<String> acted, List<String> resolved, List<String> requests, List<String> notices,
            List<String> gate, List<String> runJournals) {
    }

    private Snapshot snapshot() throws IOException {
        return new Snapshot(lines(ACTED), lines(RESOLVED), lines(APPROVAL_REQUESTS), lines(NOTICES), lines(GATE),
                store.runIds().stream().filter(r -> !r.endsWith(".rollout") && !r.endsWith(".decisions")).sorted().toList());
    }

    private record Exit(int code, String output) {
    }

    /**
     * Runs a child JVM to its end, at most {@link #CHILD_TIMEOUT}. While it runs, when {@code answerApproval} and the
     * approver has been asked, the approval is answered from outside (once per test), as a person would.
     */
    private Exit child(KillAt killAt, String mode, boolean answerApproval, String... command) {
        Path log = dir.resolve("child-" + ++children + ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // a short-lived JVM: no need for the optimizing compiler or a parallel collector
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), RolloutRestartChild.class.getName(),
                journals.toString(), clockFile.toString(), markers.toString(), mode, killAt.name()));
        cmd.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + CHILD_TIMEOUT.toNanos();
            while (!p.waitFor(20, TimeUnit.MILLISECONDS)) {
                if (System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                    fail("child " + String.join(" ", command) + " (kill at " + killAt + ") hung for " + CHILD_TIMEOUT
                            + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
                }
                if (answerApproval && !approved && !lines(APPROVAL_REQUESTS).isEmpty()) {
                    approve(rolloutId());
                }
            }
            return new Exit(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("child " + cmd + " could not be started or read", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a child", e);
        }
    }
}
