package dev.stepwise.core.internal;

import dev.stepwise.core.notify.Announcement;
import dev.stepwise.core.notify.Delivery;
import dev.stepwise.core.notify.Notice;
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
 * One run of one rollout: the waves in order, each behind its {@link Checkpoints}, its targets resolved and
 * checked, then run by a {@link WaveScheduler}; each target's plan runs through {@link PlanRuns} with the runner's
 * options. Used by one thread, apart from {@link #cancel}.
 */
final class RolloutRun {
    private static final Logger log = LoggerFactory.getLogger(RolloutRun.class);
    private static final int MAX_PROBLEMS_SHOWN = 5;

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
    /** Whether this execution continues an earlier one with the same id, from its targets' journals. */
    final boolean resuming;
    private Instant start;

    RolloutRun(Rollout rollout, Runner options, String id, boolean resuming) {
        this.rollout = rollout;
        this.plan = rollout.plan();
        this.options = options;
        this.time = options.timeSource();
        this.dryRun = options.isDryRun();
        this.listeners = List.copyOf(options.rolloutListeners());
        this.id = id;
        this.resuming = resuming;
    }

    /** A run continuing rollout {@code id}; the runner must journal and run live. */
    static RolloutRun resuming(Rollout rollout, Runner options, String id) {
        if (options.journal().isEmpty() || options.isDryRun()) {
            throw new JournalException("Resuming rollout " + id + " needs a live runner with a journal: "
                    + "Runner.create().withJournal(store)");
        }
        return new RolloutRun(rollout, options, id, true);
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

    RolloutResult execute() {
        Map<String, String> previousMdc = MDC.getCopyOfContextMap();
        MDC.put("rollout", rollout.name());
        AutoCloseable wake = cancellation.onCancel(() -> wakers.forEach(Runnable::run));
        try {
            return executeWaves();
        } finally {
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
        start = time.now();
        log.info("{} {} of plan {} started (rollout {}, {} wave(s))", dryRun ? "Dry run of rollout" : "Rollout",
                rollout.name(), plan.name(), id, rollout.waves().size());
        emit(new RolloutEvent.RolloutStarted(rollout.name(), id, start, dryRun,
                rollout.waves().stream().map(Wave::name).toList()));
        List<WaveResult> done = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        RolloutStatus status = RolloutStatus.SUCCEEDED;
        String reason = "";
        String stoppedIn = null;
        for (Wave w : rollout.waves()) {
            boolean skip = stoppedIn != null && (!dryRun || status == RolloutStatus.CANCELLED);
            if (skip) {
                done.add(notStarted(w, List.of(), WaveStatus.NOT_STARTED, "not started: the rollout "
                        + (status == RolloutStatus.CANCELLED ? "was cancelled" : "halted") + " in wave " + stoppedIn));
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
            emit(new RolloutEvent.WaveFinished(rollout.name(), id, time.now(), w.name(), r.status(), r.reason(),
                    r.progress()));
            log.info("Wave {} {}: {}{}", w.name(), r.status(), r.progress(), r.reason().isEmpty() ? "" : " — " + r.reason());
            if (!r.status().isSuccess() && stoppedIn == null) {
                stoppedIn = w.name();
                status = r.status() == WaveStatus.CANCELLED ? RolloutStatus.CANCELLED : RolloutStatus.HALTED;
                reason = "wave " + w.name() + ": " + r.reason();
            }
        }
        Instant end = time.now();
        emit(new RolloutEvent.RolloutFinished(rollout.name(), id, end, status, reason));
        log.info("Rollout {} {}{}", rollout.name(), status, reason.isEmpty() ? "" : ": " + reason);
        return new RolloutResult(rollout.name(), id, plan.name(), plan.fingerprint(), dryRun, status, reason, start, end,
                done);
    }

    RolloutResult soFar(List<WaveResult> done) {
        return new RolloutResult(rollout.name(), id, plan.name(), plan.fingerprint(), dryRun, RolloutStatus.RUNNING, "",
                start, null, done);
    }

    private WaveResult notStarted(Wave w, List<CheckpointResult> cps, WaveStatus status, String reason) {
        return new WaveResult(w.name(), status, reason, w.targets().description(), w.maxConcurrency(), 0, w.maxErrors(),
                0, w.ramp(), w.strict(), List.of(), cps, null, null, List.of());
    }

    private WaveResult runWave(Wave w, List<WaveResult> done, Map<String, String> seen) {
        List<CheckpointResult> cps = new ArrayList<>();
        MaintenanceWindow window = null;
        boolean startedBefore = resuming && startedBeforeResume(w);
        for (Checkpoint c : rollout.checkpointsBefore(w)) {
            if (c instanceof Checkpoint.Window win) {
                window = win.window();
            }
            if (startedBefore) {
                // the wave had started, so its checkpoints had passed: a resume must not soak or ask again
                Instant now = time.now();
                cps.add(new CheckpointResult(c.kind(), c.description(), Outcome.PASSED, now, now,
                        "passed before the rollout stopped; not repeated on resume", null));
                continue;
            }
            CheckpointResult r = checkpoints.pass(c, w, done);
            cps.add(r);
            if (r.outcome() == Outcome.CANCELLED) {
                return notStarted(w, cps, WaveStatus.CANCELLED, "cancelled before the wave started, at "
                        + c.kind().name().toLowerCase(java.util.Locale.ROOT) + " \"" + c.description() + "\": "
                        + cancellation.reason());
            }
            if (r.outcome() == Outcome.REJECTED) {
                return notStarted(w, cps, WaveStatus.HALTED, c.kind().name().toLowerCase(java.util.Locale.ROOT) + " \""
                        + c.description() + "\" said no: " + r.detail());
            }
        }
        if (cancellation.isCancelled()) {
            return notStarted(w, cps, WaveStatus.CANCELLED, "cancelled before the wave started: " + cancellation.reason());
        }
        List<String> targets;
        try {
            List<String> resolved = w.targets().resolve();
            if (resolved == null) {
                throw new IllegalStateException("the source returned null instead of a list");
            }
            targets = List.copyOf(resolved);
        } catch (Exception | AssertionError e) {
            return notStarted(w, cps, WaveStatus.HALTED, "targets from " + w.targets().description()
                    + " could not be resolved: " + Failure.of(e));
        }
        List<String> problems = new ArrayList<>();
        Set<String> inWave = new HashSet<>();
        for (String t : targets) {
            if (t == null || t.isBlank()) {
                problems.add("a blank target id");
            } else if (!inWave.add(t)) {
                problems.add("target " + t + " appears twice in this wave");
            } else if (seen.containsKey(t)) {
                problems.add("target " + t + " already ran in wave " + seen.get(t));
            }
        }
        if (!problems.isEmpty()) {
            String shown = String.join("; ", problems.subList(0, Math.min(MAX_PROBLEMS_SHOWN, problems.size())))
                    + (problems.size() > MAX_PROBLEMS_SHOWN ? "; and " + (problems.size() - MAX_PROBLEMS_SHOWN) + " more" : "");
            return notStarted(w, cps, WaveStatus.HALTED, "targets from " + w.targets().description()
                    + " are not valid (a target runs at most once per rollout): " + shown);
        }
        if (targets.isEmpty()) {
            if (w.allowEmpty()) {
                return notStarted(w, cps, WaveStatus.SUCCEEDED, "no targets (allowed)");
            }
            return notStarted(w, cps, WaveStatus.HALTED, "targets from " + w.targets().description()
                    + " resolved to nothing; call allowEmpty() on the wave if that is expected");
        }
        targets.forEach(t -> seen.put(t, w.name()));
        return new WaveScheduler(this, w, targets, cps, window).run();
    }

    /** What running one target gave: its result and a note on how it was obtained. */
    record TargetRun(RunResult result, String note) {
    }

    /**
     * Runs {@code target}'s plan: a fresh run; or, when resuming, its result from the journal if it finished, or
     * its run resumed if it was cut short.
     */
    TargetRun runTarget(String target) {
        Inputs inputs = rollout.inputsFor(target);
        String runId = targetRunId(id, target);
        Optional<RunJournal> journal = resuming ? PlanRuns.journalOf(options, runId) : Optional.empty();
        journal.ifPresent(j -> TargetRunIds.checkTarget(j, runId, target));
        if (journal.isPresent() && PlanRuns.finished(journal.get())) {
            return new TargetRun(PlanRuns.fromJournal(plan, journal.get()), "finished before the rollout stopped; not run again");
        }
        if (journal.isPresent() && !journal.get().isClosed()) {
            return new TargetRun(PlanRuns.resume(options, plan, runId, inputs, Set.of(), cancellation), "resumed from its journal");
        }
        return new TargetRun(PlanRuns.execute(options, plan, plan.resolve(inputs), runId, target, cancellation), "");
    }

    /** A target's run id: the rollout's id and the target, so a resume finds each target's journal. */
    static String targetRunId(String rolloutId, String target) {
        return TargetRunIds.of(rolloutId, target);
    }

    /** Whether any target of the wave has a journal, i.e. the wave had started before the rollout stopped. */
    private boolean startedBeforeResume(Wave w) {
        try {
            return w.targets().resolve().stream().anyMatch(t -> PlanRuns.journalOf(options, targetRunId(id, t)).isPresent());
        } catch (Exception e) {
            return false;
        }
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


    /** For renderings: the predictions of a dry-run target, one line each. */
    static List<String> predictions(RunResult run) {
        List<String> out = new ArrayList<>();
        if (run == null) {
            return out;
        }
        run.steps().stream().filter(s -> s.status() == StepStatus.PREDICTED)
                .forEach(s -> s.predictions().forEach(p -> out.add(s.name() + ": " + p)));
        return out;
    }
}
