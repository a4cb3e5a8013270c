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
import dev.stepwise.core.run.Failure;
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
 * One run of one rollout: checkpoints, then per wave a scheduler on the calling thread that starts targets on a
 * bounded pool under one lock, which also serialises events. Used by one thread, apart from {@link #cancel}.
 */
public final class RolloutExecution {
    private static final Logger log = LoggerFactory.getLogger(RolloutExecution.class);
    private static final int MAX_PROBLEMS_SHOWN = 5;

    private final Rollout rollout;
    private final Plan plan;
    private final Runner runner;
    private final DefaultRunner defaultRunner;
    private final TimeSource time;
    private final boolean dryRun;
    private final List<RolloutListener> listeners;
    private final String id;
    private final Cancellation cancellation = new Cancellation();
    private final List<Runnable> wakers = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean interrupted;
    private Instant start;
    /** Whether this execution continues an earlier one with the same id, from its targets' journals. */
    private final boolean resuming;

    public RolloutExecution(Rollout rollout, Runner runner, TimeSource time, List<RolloutListener> listeners, String id) {
        this(rollout, runner, time, listeners, id, false);
    }

    public RolloutExecution(Rollout rollout, Runner runner, TimeSource time, List<RolloutListener> listeners, String id,
            boolean resuming) {
        this.resuming = resuming;
        this.rollout = rollout;
        this.plan = rollout.plan();
        this.runner = runner;
        this.defaultRunner = runner instanceof DefaultRunner d ? d : null;
        this.time = time;
        this.dryRun = runner.isDryRun();
        this.listeners = List.copyOf(listeners);
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Stops new targets, wakes every wait, and asks in-flight runs to stop at their next boundary. */
    public void cancel(String reason) {
        cancellation.cancel(reason);
        for (Runnable w : wakers) {
            w.run();
        }
    }

    public RolloutResult execute() {
        Map<String, String> previousMdc = MDC.getCopyOfContextMap();
        MDC.put("rollout", rollout.name());
        try {
            return executeWaves();
        } finally {
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

    private RolloutResult soFar(List<WaveResult> done) {
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
            CheckpointResult r = pass(c, w, done);
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
        return new WaveRun(w, targets, cps, window).run();
    }

    // ---- checkpoints ----

    /** A target's run id: the rollout's id and the target, so a resume finds each target's journal. */
    static String targetRunId(String rolloutId, String target) {
        String clean = target.replaceAll("[^A-Za-z0-9_.-]", "_");
        String id = rolloutId + "-" + clean;
        if (!clean.equals(target) || id.length() > 128) {
            id = (rolloutId + "-" + clean).substring(0, Math.min(id.length(), 110)) + "-"
                    + Integer.toHexString(target.hashCode());
        }
        return id;
    }

    /** Whether any target of the wave has a journal, i.e. the wave had started before the rollout stopped. */
    private boolean startedBeforeResume(Wave w) {
        if (defaultRunner == null) {
            return false;
        }
        try {
            return w.targets().resolve().stream().anyMatch(t -> defaultRunner.journalOf(targetRunId(id, t)).isPresent());
        } catch (Exception e) {
            return false;
        }
    }

    private CheckpointResult pass(Checkpoint c, Wave w, List<WaveResult> done) {
        Instant s = time.now();
        emit(new RolloutEvent.CheckpointStarted(rollout.name(), id, s, w.name(), c.kind(), c.description()));
        CheckpointResult r;
        if (cancellation.isCancelled()) {
            r = new CheckpointResult(c.kind(), c.description(), Outcome.CANCELLED, s, s, "cancelled: "
                    + cancellation.reason(), null);
        } else if (dryRun) {
            r = new CheckpointResult(c.kind(), c.description(), Outcome.NOT_EVALUATED, s, s, dryDetail(c, w, done, s), null);
        } else if (c instanceof Checkpoint.Soak soak) {
            r = soak(soak, s);
        } else if (c instanceof Checkpoint.Gate gate) {
            r = gate(gate, s, done);
        } else if (c instanceof Approval approval) {
            r = approval(approval, s, w, done);
        } else if (c instanceof Checkpoint.Notify notify) {
            r = announce(notify, s, w, done);
        } else {
            r = window((Checkpoint.Window) c, s);
        }
        emit(new RolloutEvent.CheckpointFinished(rollout.name(), id, time.now(), w.name(), r));
        log.info("Before wave {}: {}", w.name(), r);
        return r;
    }

    private String dryDetail(Checkpoint c, Wave w, List<WaveResult> done, Instant now) {
        if (c instanceof Checkpoint.Soak soak) {
            return "a live run waits " + ResultRendering.human(soak.duration());
        } else if (c instanceof Checkpoint.Gate) {
            return "a live run evaluates this over the real results of earlier waves";
        } else if (c instanceof Approval a) {
            return "a live run asks the approver and waits up to " + ResultRendering.human(a.timeout())
                    + "; the approver was not called";
        }
        if (c instanceof Checkpoint.Notify n) {
            List<Delivery> would = n.announcement().notifications().preview(announcement(n.announcement(), w, done, now));
            return String.join("; ", would.stream().map(Delivery::toString).toList())
                    + (n.announcement().leadTime().isZero() ? "" : ", then a live run waits "
                    + ResultRendering.human(n.announcement().leadTime()) + " before wave " + w.name() + " starts")
                    + "; nothing was sent";
        }
        Checkpoint.Window win = (Checkpoint.Window) c;
        return win.window().isOpen(now) ? "open now" : "closed now" + win.window().nextOpening(now)
                .map(n -> "; opens next at " + n).orElse("; never opens again");
    }

    private CheckpointResult soak(Checkpoint.Soak soak, Instant s) {
        boolean cut = sleep(cancellation.latch(), soak.duration());
        Instant e = time.now();
        if (cut || cancellation.isCancelled()) {
            return new CheckpointResult(Checkpoint.Kind.SOAK, soak.description(), Outcome.CANCELLED, s, e,
                    "cancelled after " + ResultRendering.human(Duration.between(s, e)) + " of soak: " + cancellation.reason(), null);
        }
        return new CheckpointResult(Checkpoint.Kind.SOAK, soak.description(), Outcome.PASSED, s, e,
                "soaked " + ResultRendering.human(Duration.between(s, e)), null);
    }

    private CheckpointResult gate(Checkpoint.Gate gate, Instant s, List<WaveResult> done) {
        Outcome o;
        String detail;
        try {
            boolean held = gate.condition().test(soFar(done));
            o = held ? Outcome.PASSED : Outcome.REJECTED;
            detail = held ? "held" : "did not hold";
        } catch (RuntimeException | AssertionError e) {
            o = Outcome.REJECTED;
            detail = "could not be evaluated: " + Failure.of(e);
        }
        return new CheckpointResult(Checkpoint.Kind.GATE, gate.description(), o, s, time.now(), detail, null);
    }

    private CheckpointResult approval(Approval a, Instant s, Wave w, List<WaveResult> done) {
        ApprovalRequest request = new ApprovalRequest(rollout.name(), id, w.name(), a.description(), soFar(done), s,
                s.plus(a.timeout()));
        CountDownLatch answered = new CountDownLatch(1);
        AtomicReference<ApprovalDecision> decision = new AtomicReference<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        try {
            CompletionStage<ApprovalDecision> answer = a.approver().request(request);
            if (answer == null) {
                throw new IllegalStateException("the approver returned null instead of a future");
            }
            answer.whenComplete((d, ex) -> {
                if (ex != null) {
                    failed.set(ex);
                } else if (d == null) {
                    failed.set(new IllegalStateException("the approver answered null"));
                } else {
                    decision.set(d);
                }
                answered.countDown();
            });
        } catch (Exception | AssertionError e) {
            return new CheckpointResult(Checkpoint.Kind.APPROVAL, a.description(), Outcome.REJECTED, s, time.now(),
                    "the approver failed: " + Failure.of(e), null);
        }
        Runnable waker = answered::countDown;
        wakers.add(waker);
        try {
            if (cancellation.isCancelled()) {
                answered.countDown();
            }
            sleep(answered, a.timeout());
        } finally {
            wakers.remove(waker);
        }
        Instant e = time.now();
        if (cancellation.isCancelled()) {
            return new CheckpointResult(Checkpoint.Kind.APPROVAL, a.description(), Outcome.CANCELLED, s, e,
                    "cancelled while waiting for approval: " + cancellation.reason(), null);
        }
        if (failed.get() != null) {
            return new CheckpointResult(Checkpoint.Kind.APPROVAL, a.description(), Outcome.REJECTED, s, e,
                    "the approver's answer failed: " + Failure.of(failed.get()), null);
        }
        ApprovalDecision d = decision.get();
        if (d == null) {
            boolean approve = a.onTimeout() == Approval.TimeoutRule.APPROVE;
            d = new ApprovalDecision(approve, "timeout rule", "no answer within " + ResultRendering.human(a.timeout()),
                    e, true);
            return new CheckpointResult(Checkpoint.Kind.APPROVAL, a.description(),
                    approve ? Outcome.PASSED : Outcome.REJECTED, s, e, "no answer within "
                    + ResultRendering.human(a.timeout()) + "; the timeout rule " + (approve ? "approves" : "rejects"), d);
        }
        d = d.at(e);
        return new CheckpointResult(Checkpoint.Kind.APPROVAL, a.description(),
                d.approved() ? Outcome.PASSED : Outcome.REJECTED, s, e, d.toString(), d);
    }

    private Notice announcement(Announcement a, Wave w, List<WaveResult> done, Instant now) {
        List<String> known = w.targets() instanceof TargetSource.FixedTargets fixed ? fixed.targets() : List.of();
        String soFar = done.isEmpty() ? "this is the first wave" : String.join("; ", done.stream()
                .map(d -> "wave " + d.name() + " " + d.status() + " (" + d.progress() + ")").toList());
        return a.notice(rollout.name(), id, plan.name(), w.name(), known, w.targets().description(), soFar, now);
    }

    private CheckpointResult announce(Checkpoint.Notify n, Instant s, Wave w, List<WaveResult> done) {
        Announcement a = n.announcement();
        List<Delivery> deliveries = a.notifications().send(announcement(a, w, done, s));
        List<Delivery> failed = deliveries.stream().filter(d -> !d.isSent()).toList();
        String sent = deliveries.stream().filter(Delivery::isSent).map(Delivery::destination).toList().toString();
        if (!failed.isEmpty() && a.isRequired()) {
            return new CheckpointResult(Checkpoint.Kind.NOTIFY, n.description(), Outcome.REJECTED, s, time.now(),
                    "the notice is required before wave " + w.name() + " and could not be sent: "
                            + String.join("; ", failed.stream().map(Delivery::toString).toList()), null);
        }
        String detail = (failed.isEmpty() ? "sent via " + sent : "sent via " + sent + "; "
                + String.join("; ", failed.stream().map(Delivery::toString).toList())
                + " (not required, so the rollout goes on)");
        if (!a.leadTime().isZero()) {
            boolean cut = sleep(cancellation.latch(), a.leadTime());
            Instant e = time.now();
            if (cut || cancellation.isCancelled()) {
                return new CheckpointResult(Checkpoint.Kind.NOTIFY, n.description(), Outcome.CANCELLED, s, e,
                        detail + "; cancelled after " + ResultRendering.human(Duration.between(s, e))
                                + " of the lead time: " + cancellation.reason(), null);
            }
            detail += "; waited the lead time of " + ResultRendering.human(Duration.between(s, e));
        }
        return new CheckpointResult(Checkpoint.Kind.NOTIFY, n.description(), Outcome.PASSED, s, time.now(), detail, null);
    }

    private CheckpointResult window(Checkpoint.Window win, Instant s) {
        MaintenanceWindow mw = win.window();
        Instant now = s;
        Optional<Instant> next = mw.nextOpening(now);
        if (!mw.isOpen(now) && win.rule() == Checkpoint.WindowRule.HALT) {
            return new CheckpointResult(Checkpoint.Kind.WINDOW, win.description(), Outcome.REJECTED, s, now,
                    "closed at " + now + next.map(n -> "; it opens next at " + n).orElse("; it never opens again"), null);
        }
        while (!mw.isOpen(now)) {
            if (next.isEmpty()) {
                return new CheckpointResult(Checkpoint.Kind.WINDOW, win.description(), Outcome.REJECTED, s, now,
                        "closed at " + now + " and it never opens again", null);
            }
            Duration wait = Duration.between(now, next.get());
            sleep(cancellation.latch(), wait.isZero() ? Duration.ofMillis(1) : wait);
            now = time.now();
            if (cancellation.isCancelled()) {
                return new CheckpointResult(Checkpoint.Kind.WINDOW, win.description(), Outcome.CANCELLED, s, now,
                        "cancelled while waiting for the window: " + cancellation.reason(), null);
            }
            next = mw.nextOpening(now);
        }
        String detail = now.equals(s) ? "open at " + s : "waited " + ResultRendering.human(Duration.between(s, now))
                + " for the window to open at " + now;
        return new CheckpointResult(Checkpoint.Kind.WINDOW, win.description(), Outcome.PASSED, s, now, detail, null);
    }

    /** Waits on the rollout's clock; true if {@code latch} cut the wait short. */
    private boolean sleep(CountDownLatch latch, Duration d) {
        try {
            return time.await(latch, d);
        } catch (InterruptedException e) {
            interrupted = true;
            cancel("the rollout's thread was interrupted");
            return true;
        }
    }

    private void emit(RolloutEvent e) {
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

    // ---- one wave's targets ----

    private final class WaveRun {
        private final Wave wave;
        private final List<String> targets;
        private final List<CheckpointResult> checkpoints;
        private final MaintenanceWindow window;
        private final int n;
        private final int limit;
        private final int budget;
        private final List<Integer> stages;
        private final TargetResult[] results;
        private final Condition changed = lock.newCondition();
        private int inFlight;
        private int succeeded;
        private int failed;
        private int cancelled;
        private String haltReason;

        WaveRun(Wave wave, List<String> targets, List<CheckpointResult> checkpoints, MaintenanceWindow window) {
            this.wave = wave;
            this.targets = targets;
            this.checkpoints = checkpoints;
            this.window = window;
            this.n = targets.size();
            this.limit = wave.maxConcurrency().concurrencyFor(n);
            this.budget = wave.maxErrors().errorsFor(n);
            this.stages = wave.rampStages(n);
            this.results = new TargetResult[n];
        }

        WaveResult run() {
            Instant waveStart = time.now();
            log.info("Wave {} started: {} target(s), concurrency {}, error budget {}{}{}", wave.name(), n, limit, budget,
                    wave.ramp() ? ", ramp " + stages : "", wave.strict() ? ", strict" : "");
            emit(new RolloutEvent.WaveStarted(rollout.name(), id, waveStart, wave.name(), n, limit, budget, stages));
            List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
            ThreadPoolExecutor pool = new ThreadPoolExecutor(limit, limit, 0L, TimeUnit.MILLISECONDS,
                    new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "stepwise-rollout-" + rollout.name() + "-" + wave.name() + "-"
                                + threads.size());
                        t.setDaemon(true);
                        threads.add(t);
                        return t;
                    });
            Runnable waker = this::wake;
            wakers.add(waker);
            try {
                schedule(pool);
            } finally {
                wakers.remove(waker);
                pool.shutdown();
                awaitTermination(pool, threads);
            }
            return result(waveStart, time.now());
        }

        private void wake() {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        private void schedule(ThreadPoolExecutor pool) {
            lock.lock();
            try {
                int next = 0;
                for (int s = 0; s < stages.size() && next < n; s++) {
                    int end = next + stages.get(s);
                    while (next < end && awaitSlot(stages.get(s))) {
                        start(pool, next++, s == 0);
                    }
                    awaitAllDone();
                    if (s == 0 && results[0] != null && results[0].status() == TargetStatus.FAILED && haltReason == null
                            && !dryRun) {
                        haltReason = "canary " + targets.get(0) + " failed: " + results[0].reason();
                    }
                    if (stopping()) {
                        break;
                    }
                }
                while (next < n && awaitSlot(limit)) {
                    start(pool, next++, false);
                }
                awaitAllDone();
            } finally {
                lock.unlock();
            }
        }

        /** Waits (holding the lock) until one more target may start; false when none may start any more. */
        private boolean awaitSlot(int cap) {
            while (true) {
                if (stopping()) {
                    return false;
                }
                int allowed = cap;
                if (wave.strict() && !dryRun) {
                    allowed = Math.min(cap, budget + 1 - failed);
                }
                if (inFlight < allowed) {
                    return true;
                }
                await();
            }
        }

        private boolean stopping() {
            if (cancellation.isCancelled()) {
                return true;
            }
            if (dryRun) {
                return false;
            }
            if (haltReason == null && window != null && !window.isOpen(time.now())) {
                haltReason = "the maintenance window " + window.description() + " was closed at " + time.now()
                        + "; no new target started after that";
            }
            return haltReason != null;
        }

        private void awaitAllDone() {
            while (inFlight > 0) {
                await();
            }
        }

        private void await() {
            try {
                changed.await();
            } catch (InterruptedException e) {
                interrupted = true;
                cancel("the rollout's thread was interrupted");
            }
        }

        private void start(ThreadPoolExecutor pool, int i, boolean canary) {
            inFlight++;
            emit(new RolloutEvent.TargetStarted(rollout.name(), id, time.now(), wave.name(), targets.get(i), progress()));
            pool.execute(() -> runTarget(i, canary && wave.ramp()));
        }

        private WaveProgress progress() {
            return new WaveProgress(n, succeeded, failed, cancelled, inFlight);
        }

        private void runTarget(int i, boolean canary) {
            String target = targets.get(i);
            MDC.put("rollout", rollout.name());
            MDC.put("wave", wave.name());
            MDC.put("target", target);
            Instant s = time.now();
            RunResult run = null;
            Failure failure = null;
            TargetStatus status;
            String note = "";
            try {
                Inputs inputs = rollout.inputsFor(target);
                String runId = targetRunId(id, target);
                Optional<RunJournal> journal = resuming && defaultRunner != null ? defaultRunner.journalOf(runId) : Optional.empty();
                if (journal.isPresent() && journal.get().status().filter(st -> st.equals("SUCCEEDED") || st.equals("ENDED")).isPresent()) {
                    run = DefaultRunner.fromJournal(plan, journal.get());
                    note = "finished before the rollout stopped; not run again";
                } else if (journal.isPresent() && !journal.get().isClosed()) {
                    run = defaultRunner.resume(plan, runId, inputs, Set.of(), cancellation);
                    note = "resumed from its journal";
                } else {
                    run = defaultRunner != null
                            ? defaultRunner.execute(plan, plan.resolve(inputs), runId, target, cancellation)
                            : runner.run(plan, inputs);
                }
                status = run.isSuccess() ? TargetStatus.SUCCEEDED
                        : run.status() == RunStatus.CANCELLED ? TargetStatus.CANCELLED : TargetStatus.FAILED;
            } catch (Throwable t) {
                if (t instanceof VirtualMachineError vme) {
                    finish(i, new TargetResult(target, TargetStatus.FAILED, canary, s, time.now(), null, Failure.of(t), ""));
                    throw vme;
                }
                failure = Failure.of(t);
                status = TargetStatus.FAILED;
                note = "its run threw instead of returning a result";
                log.warn("Target {} failed: its run threw {}", target, failure);
            } finally {
                MDC.clear();
            }
            finish(i, new TargetResult(target, status, canary, s, time.now(), run, failure, note));
        }

        private void finish(int i, TargetResult r) {
            lock.lock();
            try {
                results[i] = r;
                inFlight--;
                switch (r.status()) {
                    case SUCCEEDED -> succeeded++;
                    case FAILED -> failed++;
                    default -> cancelled++;
                }
                if (r.status() == TargetStatus.FAILED && failed > budget && haltReason == null && !dryRun) {
                    haltReason = failed + " target(s) failed, more than maxErrors " + budgetText()
                            + "; no new target started after " + r.target() + " failed";
                }
                emit(new RolloutEvent.TargetFinished(rollout.name(), id, time.now(), wave.name(), r.target(), r.status(),
                        progress()));
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        private String budgetText() {
            return wave.maxErrors().isPercentage()
                    ? wave.maxErrors() + " of " + n + " targets = " + budget + " (rounded down)"
                    : String.valueOf(budget);
        }

        private void awaitTermination(ThreadPoolExecutor pool, List<Thread> threads) {
            boolean wasInterrupted = false;
            while (true) {
                try {
                    if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    wasInterrupted = true;
                }
            }
            List<Thread> copy;
            synchronized (threads) {
                copy = new ArrayList<>(threads);
            }
            for (Thread t : copy) {
                while (t.isAlive()) {
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        wasInterrupted = true;
                    }
                }
            }
            if (wasInterrupted) {
                interrupted = true;
            }
        }

        private WaveResult result(Instant waveStart, Instant waveEnd) {
            boolean wasCancelled = cancellation.isCancelled();
            List<TargetResult> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                TargetResult r = results[i];
                if (r == null) {
                    r = new TargetResult(targets.get(i), TargetStatus.NOT_STARTED, false, null, null, null, null,
                            wasCancelled ? "not started: the rollout was cancelled: " + cancellation.reason()
                                    : "not started: the wave halted");
                }
                out.add(r);
            }
            int notStarted = (int) out.stream().filter(t -> t.status() == TargetStatus.NOT_STARTED).count();
            WaveStatus status;
            String reason = "";
            if (wasCancelled && (notStarted > 0 || cancelled > 0)) {
                status = WaveStatus.CANCELLED;
                reason = "cancelled: " + cancellation.reason() + " (" + cancelled + " target(s) stopped in flight, "
                        + notStarted + " not started)";
            } else if (haltReason != null) {
                status = WaveStatus.HALTED;
                reason = haltReason;
            } else if (dryRun && wave.ramp() && out.get(0).status() == TargetStatus.FAILED) {
                status = WaveStatus.HALTED;
                reason = "a live run would halt here: canary " + targets.get(0) + " failed: " + out.get(0).reason();
            } else if (dryRun && failed > budget) {
                status = WaveStatus.HALTED;
                reason = "a live run would halt here: " + failed + " target(s) failed, more than maxErrors " + budgetText();
            } else if (failed > 0) {
                status = WaveStatus.SUCCEEDED_WITHIN_BUDGET;
                reason = failed + " target(s) failed, within maxErrors " + budgetText();
            } else {
                status = WaveStatus.SUCCEEDED;
            }
            return new WaveResult(wave.name(), status, reason, wave.targets().description(), wave.maxConcurrency(), limit,
                    wave.maxErrors(), budget, wave.ramp(), wave.strict(), stages, checkpoints, waveStart, waveEnd, out);
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
