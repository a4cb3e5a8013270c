package dev.stepwise.core.internal;

import dev.stepwise.core.notify.Announcement;
import dev.stepwise.core.notify.Delivery;
import dev.stepwise.core.notify.Notice;
import dev.stepwise.core.journal.JournalEmptyException;
import dev.stepwise.core.journal.JournalEntry;
import dev.stepwise.core.journal.RolloutJournal;
import dev.stepwise.core.journal.RunJournal;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.rollout.Approval;
import dev.stepwise.core.rollout.ApprovalDecision;
import dev.stepwise.core.rollout.ApprovalRequest;
import dev.stepwise.core.rollout.Checkpoint;
import dev.stepwise.core.rollout.CheckpointResult;
import dev.stepwise.core.rollout.CheckpointResult.Outcome;
import dev.stepwise.core.rollout.MaintenanceWindow;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.RolloutEvent;
import dev.stepwise.core.rollout.RolloutListener;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.rollout.TargetResult;
import dev.stepwise.core.rollout.TargetSource;
import dev.stepwise.core.rollout.TargetStatus;
import dev.stepwise.core.rollout.Wave;
import dev.stepwise.core.rollout.WaveProgress;
import dev.stepwise.core.rollout.WaveResult;
import dev.stepwise.core.rollout.WaveStatus;
import dev.stepwise.core.run.Cancellation;
import dev.stepwise.core.run.Failure;
import dev.stepwise.core.journal.JournalException;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.StepStatus;
import dev.stepwise.core.run.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;


/**
 * One run of one rollout: the waves in order, each behind its {@link Checkpoints}, its targets resolved (or taken
 * frozen from the journal) and checked, then run by a {@link WaveScheduler}; each target's plan runs through
 * {@link PlanRuns} with the runner's options. A journaling runner records the rollout itself through a
 * {@link RolloutRecorder}, so a resume continues where it stood and a parking runner can return at a long wait.
 * Used by one thread, apart from {@link #cancel}.
 */
final class RolloutRun {
    private static final Logger log = LoggerFactory.getLogger(RolloutRun.class);

    final Rollout rollout;
    final Plan plan;
    final Runner options;
    final TimeSource time;
    final boolean dryRun;
    final String id;
    final Cancellation cancellation = Cancellation.create();
    final List<Runnable> wakers = new CopyOnWriteArrayList<>();
    final ReentrantLock lock = new ReentrantLock();
    volatile boolean interrupted;
    private final List<RolloutListener> listeners;
    private final Checkpoints checkpoints = new Checkpoints(this);
    /** Whether this execution continues an earlier one with the same id. */
    final boolean resuming;
    private final String override;
    RolloutRecorder recorder;
    private Instant start;
    /** Set when a checkpoint parks the rollout: when a resume goes on, and why. */
    private Instant parkedUntil;
    private String parkedBecause;

    RolloutRun(Rollout rollout, Runner options, String id, boolean resuming) {
        this(rollout, options, id, resuming, null);
    }

    private RolloutRun(Rollout rollout, Runner options, String id, boolean resuming, String override) {
        this.rollout = rollout;
        this.plan = rollout.plan();
        this.options = options;
        this.time = options.timeSource();
        this.dryRun = options.isDryRun();
        this.listeners = List.copyOf(options.rolloutListeners());
        this.id = id;
        this.resuming = resuming;
        this.override = override;
    }

    /** A run continuing rollout {@code id}; the runner must journal and run live. */
    static RolloutRun resuming(Rollout rollout, Runner options, String id, String override) {
        if (options.journal().isEmpty() || options.isDryRun()) {
            throw new JournalException("Resuming rollout " + id + " needs a live runner with a journal: "
                    + "Runner.create().withJournal(store)");
        }
        return new RolloutRun(rollout, options, id, true, override);
    }

    String id() {
        return id;
    }

    Cancellation cancellation() {
        return cancellation;
    }

    /** Stops new targets, wakes every wait, and asks in-flight runs to stop at their next boundary. */
    void cancel(String reason) {
        cancellation.cancel(reason);
        for (Runnable w : wakers) {
            w.run();
        }
    }

    /** Whether a wait of {@code d} should park instead: the runner parks and this rollout is journaled. */
    boolean parks(Duration d) {
        return recorder.active() && options.parkThreshold().filter(t -> d.compareTo(t) > 0).isPresent();
    }

    /** Parks the rollout at the current checkpoint: a resume at or after {@code until} goes on. */
    void park(Instant until, String because) {
        parkedUntil = until;
        parkedBecause = because;
    }

    RolloutResult execute() {
        if (options.parkThreshold().isPresent() && options.journal().isEmpty() && !dryRun) {
            throw new JournalException("Rollout " + rollout.name() + " cannot park without a journal: a parked rollout "
                    + "resumes from it; use Runner.create().withJournal(store).parkLongerThan(d)");
        }
        Map<String, String> previousMdc = MDC.getCopyOfContextMap();
        MDC.put("rollout", rollout.name());
        AutoCloseable wake = cancellation.onCancel(() -> wakers.forEach(Runnable::run));
        recorder = resuming ? RolloutRecorder.resume(options, rollout, id, override)
                : RolloutRecorder.start(options, rollout, id, plan.name());
        try {
            return executeWaves();
        } finally {
            recorder.close();
            try {
                wake.close();
            } catch (Exception e) {
                // removing a listener from a list cannot fail
            }
            if (previousMdc == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(previousMdc);
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private RolloutResult executeWaves() {
        start = recorder.earlier().map(j -> j.start().at()).orElseGet(time::now);
        log.info("{} {} of plan {} {} (rollout {}, {} wave(s))", dryRun ? "Dry run of rollout" : "Rollout",
                rollout.name(), plan.name(), resuming ? "resumed" : "started", id, rollout.waves().size());
        emit(new RolloutEvent.RolloutStarted(rollout.name(), id, time.now(), dryRun,
                rollout.waves().stream().map(Wave::name).toList()));
        List<WaveResult> done = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        RolloutStatus status = RolloutStatus.SUCCEEDED;
        String reason = "";
        String stoppedIn = null;
        for (Wave w : rollout.waves()) {
            boolean skip = stoppedIn != null && (!dryRun || status == RolloutStatus.CANCELLED
                    || status == RolloutStatus.WAITING);
            if (skip) {
                done.add(notStarted(w, List.of(), status == RolloutStatus.WAITING ? WaveStatus.WAITING
                        : WaveStatus.NOT_STARTED, status == RolloutStatus.WAITING ? "waiting: the rollout parked before wave "
                        + stoppedIn : "not started: the rollout " + (status == RolloutStatus.CANCELLED ? "was cancelled"
                        : "halted") + " in wave " + stoppedIn));
                continue;
            }
            MDC.put("wave", w.name());
            WaveResult r;
            try {
                r = runWave(w, done, seen);
            } finally {
                MDC.remove("wave");
            }
            done.add(r);
            if (r.status() != WaveStatus.WAITING) {
                emit(new RolloutEvent.WaveFinished(rollout.name(), id, time.now(), w.name(), r.status(), r.reason(),
                        r.progress()));
                log.info("Wave {} {}: {}{}", w.name(), r.status(), r.progress(), r.reason().isEmpty() ? "" : " — " + r.reason());
            }
            if (!r.status().isSuccess() && stoppedIn == null) {
                stoppedIn = w.name();
                status = switch (r.status()) {
                    case CANCELLED -> RolloutStatus.CANCELLED;
                    case WAITING -> RolloutStatus.WAITING;
                    default -> RolloutStatus.HALTED;
                };
                reason = status == RolloutStatus.WAITING ? parkedBecause : "wave " + w.name() + ": " + r.reason();
            }
        }
        Instant end = time.now();
        if (status == RolloutStatus.WAITING) {
            recorder.append(new JournalEntry.RolloutParked(end, reason, parkedUntil));
        } else {
            recorder.append(new JournalEntry.RolloutFinished(end, status.name(), reason));
        }
        emit(new RolloutEvent.RolloutFinished(rollout.name(), id, end, status, reason));
        log.info("Rollout {} {}{}", rollout.name(), status, reason.isEmpty() ? "" : ": " + reason);
        return RolloutResult.builder().rollout(rollout.name()).rolloutId(id).plan(plan.name())
                .fingerprint(plan.fingerprint()).dryRun(dryRun).status(status)
                .reason(Objects.requireNonNullElse(reason, ""))
                .start(start).end(status == RolloutStatus.WAITING ? null : end).waves(done)
                .resumeAt(status == RolloutStatus.WAITING ? parkedUntil : null).build();
    }

    RolloutResult soFar(List<WaveResult> done) {
        return RolloutResult.builder().rollout(rollout.name()).rolloutId(id).plan(plan.name())
                .fingerprint(plan.fingerprint()).dryRun(dryRun).status(RolloutStatus.RUNNING).start(start).waves(done)
                .build();
    }

    static WaveResult notStarted(Wave w, List<CheckpointResult> cps, WaveStatus status, String reason) {
        return WaveResult.builder().name(w.name()).status(status).reason(reason)
                .targetSource(w.targets().description()).maxConcurrency(w.maxConcurrency()).maxErrors(w.maxErrors())
                .ramp(w.ramp()).strict(w.strict()).checkpoints(cps).build();
    }

    private WaveResult runWave(Wave w, List<WaveResult> done, Map<String, String> seen) {
        Optional<RolloutJournal> earlier = recorder.earlier();
        Optional<JournalEntry.WaveEnded> ended = earlier.flatMap(j -> j.waveEnded(w.name()))
                .filter(e -> WaveStatus.valueOf(e.status()).isSuccess());
        Optional<WaveResult> recalled = ended.flatMap(e -> WaveRecall.recall(this, w, earlier.get(), e));
        if (recalled.isPresent()) {
            // the wave had ended within its budget: recalled from the journals, not run again
            recalled.get().targets().forEach(t -> seen.put(WaveTargetsCheck.key(planOf(w).name(), t.target()), w.name()));
            return recalled.get();
        }
        List<CheckpointResult> cps = new ArrayList<>();
        MaintenanceWindow window = null;
        boolean startedBefore = earlier.map(j -> j.waveStarted(w.name())).orElse(false);
        List<Checkpoint> before = rollout.checkpointsBefore(w);
        for (int i = 0; i < before.size(); i++) {
            Checkpoint c = before.get(i);
            if (c instanceof Checkpoint.Window win) {
                window = win.window();
            }
            if (startedBefore) {
                // the wave had started, so its checkpoints had passed: a resume must not soak or ask again
                cps.add(WaveRecall.passedBefore(c, recorder.checkpoint(w.name(), i), time.now()));
                continue;
            }
            CheckpointResult r = checkpoints.pass(c, w, i, done);
            cps.add(r);
            String what = c.kind().name().toLowerCase(java.util.Locale.ROOT) + " \"" + c.description() + "\"";
            if (r.outcome() == Outcome.WAITING) {
                return notStarted(w, cps, WaveStatus.WAITING, "waiting at " + what + ": " + r.detail());
            }
            if (r.outcome() == Outcome.CANCELLED) {
                return notStarted(w, cps, WaveStatus.CANCELLED, "cancelled before the wave started, at " + what + ": "
                        + cancellation.reason());
            }
            if (r.outcome() == Outcome.REJECTED) {
                return notStarted(w, cps, WaveStatus.HALTED, what + " said no: " + r.detail());
            }
        }
        if (cancellation.isCancelled()) {
            return notStarted(w, cps, WaveStatus.CANCELLED, "cancelled before the wave started: " + cancellation.reason());
        }
        Optional<List<String>> frozen = earlier.flatMap(j -> j.targets(w.name()));
        WaveTargetsCheck.Resolved resolved = frozen.map(WaveTargetsCheck.Resolved::of)
                .orElseGet(() -> WaveTargetsCheck.resolve(w, planOf(w).name(), seen, () -> soFar(done)));
        if (resolved.problem() != null) {
            return notStarted(w, cps, WaveStatus.HALTED, resolved.problem());
        }
        List<String> targets = resolved.targets();
        if (frozen.isEmpty()) {
            recorder.append(new JournalEntry.WaveTargets(time.now(), w.name(), targets));
        }
        if (targets.isEmpty()) {
            if (w.allowEmpty()) {
                WaveResult empty = notStarted(w, cps, WaveStatus.SUCCEEDED, "no targets (allowed)");
                recorder.append(new JournalEntry.WaveEnded(time.now(), w.name(), empty.status().name(), empty.reason()));
                return empty;
            }
            return notStarted(w, cps, WaveStatus.HALTED, "targets from " + w.targets().description()
                    + " resolved to nothing; call allowEmpty() on the wave if that is expected");
        }
        targets.forEach(t -> seen.put(WaveTargetsCheck.key(planOf(w).name(), t), w.name()));
        if (!startedBefore) {
            recorder.append(new JournalEntry.WaveStarted(time.now(), w.name()));
        }
        WaveResult result = new WaveScheduler(this, w, targets, cps, window).run();
        recorder.append(new JournalEntry.WaveEnded(time.now(), w.name(), result.status().name(), result.reason()));
        return result;
    }

    /** What running one target gave: its result and a note on how it was obtained. */
    record TargetRun(RunResult result, String note) {
    }

    /**
     * Runs {@code target}'s plan: a fresh run; or, when resuming, its result from the journal if it finished, or
     * its run resumed if it was cut short. Its steps see {@code waveCheckpoints}, the checkpoints passed before
     * {@code wave} (see {@link dev.stepwise.core.plan.StepContext#waveCheckpoints()}).
     */
    TargetRun runTarget(Wave wave, String target, List<CheckpointResult> waveCheckpoints) {
        Plan runs = planOf(wave);
        Inputs inputs = rollout.inputsFor(target);
        String runId = targetRunId(id, wave, target);
        Optional<RunJournal> journal = Optional.empty();
        boolean emptyJournal = false;
        if (resuming) {
            try {
                journal = PlanRuns.journalOf(options, runId);
            } catch (JournalEmptyException e) {
                emptyJournal = true; // created, nothing recorded: the run never started, so it starts now
            }
        }
        journal.ifPresent(j -> TargetRunIds.checkTarget(j, runId, target));
        if (journal.isPresent() && PlanRuns.finished(journal.get())) {
            return new TargetRun(PlanRuns.fromJournal(runs, journal.get()), "finished before the rollout stopped; not run again");
        }
        if (journal.isPresent() && !journal.get().isClosed()) {
            return new TargetRun(PlanRuns.resume(options, runs, runId, id, waveCheckpoints, inputs, Set.of(),
                    cancellation), "resumed from its journal");
        }
        return new TargetRun(PlanRuns.execute(options, runs, runs.resolve(inputs), runId, target, id, waveCheckpoints,
                cancellation, emptyJournal), emptyJournal ? "its journal was created but nothing recorded before the "
                + "rollout stopped; run from the start" : "");
    }

    /** The plan {@code wave} runs on each target: its own, or the rollout's. */
    Plan planOf(Wave wave) {
        return wave.plan().orElse(plan);
    }

    /** A target's run id in {@code wave}: see {@link TargetRunIds}; scoped to the wave when it runs its own plan. */
    static String targetRunId(String rolloutId, Wave wave, String target) {
        return TargetRunIds.of(rolloutId, wave.plan().isPresent() ? wave.name() : null, target);
    }

    boolean sleep(CountDownLatch latch, Duration d) {
        try {
            return time.await(latch, d);
        } catch (InterruptedException e) {
            interrupted = true;
            cancel("the rollout's thread was interrupted");
            return true;
        }
    }

    void emit(RolloutEvent e) {
        lock.lock();
        try {
            for (RolloutListener l : listeners) {
                try {
                    l.onEvent(e);
                } catch (RuntimeException ex) {
                    log.warn("Rollout listener {} failed on {}: {}", l, e.getClass().getSimpleName(), ex.toString());
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
