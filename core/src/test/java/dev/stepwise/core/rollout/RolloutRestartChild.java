package dev.stepwise.core.rollout;

import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.journal.RolloutJournal;
import dev.stepwise.core.notify.Announcement;
import dev.stepwise.core.notify.Notifications;
import dev.stepwise.core.notify.Notifier;
import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.TimeSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * The process {@link RolloutRestartChildJvmTest} starts, kills and starts again: one fixed rollout, run or resumed
 * on a {@link FileClock} shared with the parent, that leaves a line in a marker file for everything the parent
 * counts — each target acted on, each wave's targets resolved, each approval request, each notice, each gate
 * evaluation — and at a chosen {@link KillAt boundary} dies as a SIGKILL would: {@code Runtime.halt(137)}, no
 * shutdown hooks, no finally blocks, nothing flushed that was not already written.
 *
 * <p>The rollout: wave {@code canary} (c1); a soak of 7 days; wave {@code rest} (r1, r2, one at a time); then
 * before wave {@code final} (f1) a gate, an approval (3 days, rejected on timeout) from an approver that never
 * answers, an announcement with a lead time of 24 h, and a maintenance window (daily 02:00-04:00 UTC, WAIT). Only
 * an outside decision ({@link Rollouts#approve}) passes the approval: in a blocking child the approver, once it
 * has recorded the request, waits (real time, bounded) for the parent to give one, as a person answering from the
 * command line while the process waits would; a parking child parks there instead.
 *
 * <p>Arguments: {@code <journal dir> <clock file> <marker dir> <block | park threshold, e.g. PT1H> <KillAt>
 * (run | resume <rollout id>)}. The rollout id is written to the marker {@value #ROLLOUT_ID} as soon as the
 * rollout has started (its journal exists then); the result's status and resumeAt to {@value #RESULT} when it
 * returns; the boundary to {@value #KILLED_AT} just before the halt.
 */
public final class RolloutRestartChild {
    static final String ACTED = "acted";
    static final String RESOLVED = "resolved";
    static final String APPROVAL_REQUESTS = "approval-requests";
    static final String NOTICES = "notices";
    static final String GATE = "gate";
    static final String ROLLOUT_ID = "rollout-id";
    static final String KILLED_AT = "killed-at";
    static final String RESULT = "result";

    static final Key<String> HOST = Key.of("host", String.class);
    static final Duration SOAK = Duration.ofDays(7);
    static final Duration APPROVAL_TIMEOUT = Duration.ofDays(3);
    static final Duration LEAD_TIME = Duration.ofHours(24);
    static final MaintenanceWindow WINDOW = MaintenanceWindow.daily(LocalTime.of(2, 0), Duration.ofHours(2),
            ZoneOffset.UTC);
    /** The index of the approval among the checkpoints before wave {@code final}: gate, approval, notice, window. */
    static final int APPROVAL_INDEX = 1;
    /** How long (real time) a blocking child's approver waits for the parent's outside decision. */
    private static final Duration DECISION_WAIT = Duration.ofSeconds(60);

    /**
     * Where a child kills itself. What the journals hold then is exactly what was durable at the event named: the
     * engine appends (and forces) a checkpoint's start before emitting its CheckpointStarted, its end before
     * CheckpointFinished, an announcement's AnnouncementSent before its lead time starts, and a target's RunFinished
     * before its TargetFinished; a wave's WaveEnded only after its last TargetFinished.
     */
    enum KillAt {
        /** Never: runs or resumes until the rollout returns. */
        NONE(null, null, null),
        /** At TargetFinished of c1: c1's run journal is finished; wave canary has started and not ended. */
        AFTER_CANARY_TARGET("c1", null, null),
        /**
         * At the soak's first wait, before any of it passed: its CheckpointStarted (the soak's start) is durable, its
         * end is not.
         */
        MID_SOAK(null, null, Checkpoint.Kind.SOAK),
        /** At TargetFinished of r1: r1 finished, r2 not started; wave rest has started and not ended. */
        AFTER_FIRST_REST_TARGET("r1", null, null),
        /** At TargetFinished of r2: both of rest's targets finished, but the wave's end is not journaled. */
        AFTER_SECOND_REST_TARGET("r2", null, null),
        /** At CheckpointFinished of the gate: its verdict (CheckpointEnded) is durable; the approval not reached. */
        AFTER_GATE(null, null, null),
        /**
         * In the approver, just after it recorded the request: the approval's CheckpointStarted is durable, no
         * decision exists.
         */
        APPROVAL_PENDING(null, null, null),
        /** At CheckpointStarted of the announcement: its start is durable; no notice was sent. */
        BEFORE_NOTICE_SENT(null, Checkpoint.Kind.NOTIFY, null),
        /** At the lead time's first wait: the notice was sent and its AnnouncementSent is durable. */
        IN_LEAD_TIME(null, null, Checkpoint.Kind.NOTIFY),
        /** At the wait for the closed maintenance window: the window's CheckpointStarted is durable. */
        IN_WINDOW_WAIT(null, null, Checkpoint.Kind.WINDOW),
        /** At TargetFinished of f1, the last target: wave final and the rollout have not ended in the journal. */
        AFTER_FINAL_TARGET("f1", null, null);

        /** The target at whose TargetFinished to die, or null. */
        final String target;
        /** The checkpoint at whose CheckpointStarted to die, or null. */
        final Checkpoint.Kind atStart;
        /** The checkpoint in whose first wait to die, or null. */
        final Checkpoint.Kind inWait;

        KillAt(String target, Checkpoint.Kind atStart, Checkpoint.Kind inWait) {
            this.target = target;
            this.atStart = atStart;
            this.inWait = inWait;
        }
    }

    private final Path markers;
    private final JournalStore store;
    private final KillAt killAt;
    private final boolean parking;
    /** The checkpoint the rollout is at, from the events (emitted on the thread that then waits). */
    private volatile Checkpoint.Kind at;

    private RolloutRestartChild(Path markers, JournalStore store, KillAt killAt, boolean parking) {
        this.markers = markers;
        this.store = store;
        this.killAt = killAt;
        this.parking = parking;
    }

    public static void main(String[] args) {
        try {
            Path journals = Path.of(args[0]);
            FileClock clock = FileClock.at(Path.of(args[1]));
            Path markers = Path.of(args[2]);
            boolean parking = !args[3].equals("block");
            KillAt killAt = KillAt.valueOf(args[4]);
            JournalStore store = JournalStore.directory(journals);
            RolloutRestartChild child = new RolloutRestartChild(markers, store, killAt, parking);
            Runner runner = Runner.create().withTimeSource(child.dyingIn(clock)).withJournal(store)
                    .withRolloutListener(child::onEvent);
            if (parking) {
                runner = runner.parkLongerThan(Duration.parse(args[3]));
            }
            Rollout rollout = child.rollout();
            RolloutResult r = args[5].equals("run") ? runner.run(rollout) : runner.resume(rollout, args[6]);
            System.out.println(r);
            append(markers, RESULT, r.status() + " " + r.resumeAt());
            System.exit(0);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
    }

    private void onEvent(RolloutEvent e) {
        if (e instanceof RolloutEvent.RolloutStarted s && !Files.exists(markers.resolve(ROLLOUT_ID))) {
            // once, so the parent never reads it half rewritten by a resume
            write(markers, ROLLOUT_ID, s.rolloutId());
        } else if (e instanceof RolloutEvent.CheckpointStarted c) {
            at = c.kind();
            if (c.kind() == killAt.atStart) {
                die();
            }
        } else if (e instanceof RolloutEvent.CheckpointFinished f) {
            at = null;
            if (killAt == KillAt.AFTER_GATE && f.result().kind() == Checkpoint.Kind.GATE) {
                die();
            }
        } else if (e instanceof RolloutEvent.TargetFinished t && t.target().equals(killAt.target)) {
            die();
        }
    }

    /** The file clock, but the process dies at the first wait of the checkpoint {@link KillAt#inWait}. */
    private TimeSource dyingIn(FileClock clock) {
        return new TimeSource() {
            @Override
            public java.time.Instant now() {
                return clock.now();
            }

            @Override
            public boolean await(CountDownLatch wakeUp, Duration duration) {
                if (killAt.inWait != null && killAt.inWait == at) {
                    die();
                }
                return clock.await(wakeUp, duration);
            }

            @Override
            public boolean isVirtual() {
                return true;
            }
        };
    }

    private void die() {
        append(markers, KILLED_AT, killAt.name());
        Runtime.getRuntime().halt(137);
    }

    private Rollout rollout() {
        Plan plan = Plan.builder("patch-host").input(Input.required(HOST))
                .step(Step.mutating("patch").reads(HOST).run(ctx -> append(markers, ACTED, ctx.get(HOST))))
                .build();
        Approver neverAnswers = request -> {
            append(markers, APPROVAL_REQUESTS, request.wave() + " at " + request.requestedAt());
            if (killAt == KillAt.APPROVAL_PENDING) {
                die();
            }
            if (!parking) {
                awaitOutsideDecision(request.rolloutId());
            }
            return new CompletableFuture<>();
        };
        Notifier chat = Notifier.of("marker file " + NOTICES, n -> append(markers, NOTICES, n.at() + " " + n.subject()));
        return Rollout.builder("restart", plan).inputs(t -> Inputs.of(HOST, t))
                .wave(Wave.builder("canary").targets(inventory("canary", "c1")))
                .soak(SOAK)
                .wave(Wave.builder("rest").targets(inventory("rest", "r1", "r2")).maxConcurrency(1))
                .gate("canary and rest succeeded", r -> {
                    append(markers, GATE, "evaluated");
                    return r.wave("canary").allSucceeded() && r.wave("rest").allSucceeded();
                })
                .approval(Approval.by(neverAnswers).timeout(APPROVAL_TIMEOUT).onTimeout(Approval.TimeoutRule.REJECT))
                .announce(Announcement.to(Notifications.builder(chat).audience("owners").build()).leadTime(LEAD_TIME))
                .window(WINDOW, Checkpoint.WindowRule.WAIT)
                .wave(Wave.builder("final").targets(inventory("final", "f1")))
                .build();
    }

    /** Production's targets come from an inventory query; each query leaves a line, so a second one shows. */
    private TargetSource inventory(String wave, String... targets) {
        return TargetSource.named("inventory of " + wave, () -> {
            append(markers, RESOLVED, wave);
            return List.of(targets);
        });
    }

    /** Waits (real time, bounded) until the parent has answered the approval from outside. */
    private void awaitOutsideDecision(String rolloutId) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + DECISION_WAIT.toNanos();
        while (!store.exists(RolloutJournal.decisionsId(rolloutId)) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /** Appends {@code line} to marker {@code name}; written before the call returns, so it survives a halt. */
    static void append(Path markers, String name, String line) {
        try {
            Files.writeString(markers.resolve(name), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path markers, String name, String text) {
        try {
            Files.writeString(markers.resolve(name), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines of marker {@code name}; none if it was never written. */
    static List<String> lines(Path markers, String name) {
        try {
            Path f = markers.resolve(name);
            return Files.exists(f) ? Files.readAllLines(f, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
