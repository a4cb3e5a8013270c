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
 * Runs one wave's targets: a scheduler on the rollout's thread starts targets on a bounded pool under the
 * rollout's lock (which also serialises events), keeping the concurrency limit, the ramp with its canary, the
 * error budget (strict or not) and the maintenance window. Used by the rollout's thread, apart from the pool's
 * callbacks, which take the lock.
 */
final class WaveScheduler {
    private static final Logger log = LoggerFactory.getLogger(WaveScheduler.class);
    private final RolloutRun r;
    private final Wave wave;
    private final List<String> targets;
    private final List<CheckpointResult> checkpoints;
    private final MaintenanceWindow window;
    private final int n;
    private final int limit;
    private final int budget;
    private final List<Integer> stages;
    private final TargetResult[] results;
    private final Condition changed;
    private int inFlight;
    private int succeeded;
    private int failed;
    private int cancelled;
    private String haltReason;

    WaveScheduler(RolloutRun r, Wave wave, List<String> targets, List<CheckpointResult> checkpoints, MaintenanceWindow window) {
        this.r = r;
        this.changed = r.lock.newCondition();
        this.wave = wave;
        this.targets = targets;
        this.checkpoints = List.copyOf(checkpoints);
        this.window = window;
        this.n = targets.size();
        this.limit = wave.maxConcurrency().concurrencyFor(n);
        this.budget = wave.maxErrors().errorsFor(n);
        this.stages = wave.rampStages(n);
        this.results = new TargetResult[n];
    }

    WaveResult run() {
        Instant waveStart = r.time.now();
        log.info("Wave {} started: {} target(s), concurrency {}, error budget {}{}{}", wave.name(), n, limit, budget,
                wave.ramp() ? ", ramp " + stages : "", wave.strict() ? ", strict" : "");
        r.emit(new RolloutEvent.WaveStarted(r.rollout.name(), r.id, waveStart, wave.name(), n, limit, budget, stages));
        List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(limit, limit, 0L, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread t = new Thread(task, "stepwise-rollout-" + r.rollout.name() + "-" + wave.name() + "-"
                            + threads.size());
                    t.setDaemon(true);
                    threads.add(t);
                    return t;
                });
        Runnable waker = this::wake;
        r.wakers.add(waker);
        try {
            schedule(pool);
        } finally {
            r.wakers.remove(waker);
            pool.shutdown();
            awaitTermination(pool, threads);
        }
        return result(waveStart, r.time.now());
    }

    private void wake() {
        r.lock.lock();
        try {
            changed.signalAll();
        } finally {
            r.lock.unlock();
        }
    }

    private void schedule(ThreadPoolExecutor pool) {
        r.lock.lock();
        try {
            int next = 0;
            for (int s = 0; s < stages.size() && next < n; s++) {
                int end = next + stages.get(s);
                while (next < end && awaitSlot(stages.get(s))) {
                    start(pool, next++, s == 0);
                }
                awaitAllDone();
                if (s == 0 && results[0] != null && results[0].status() == TargetStatus.FAILED && haltReason == null
                        && !r.dryRun) {
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
            r.lock.unlock();
        }
    }

    /** Waits (holding the r.lock) until one more target may start; false when none may start any more. */
    private boolean awaitSlot(int cap) {
        while (true) {
            if (stopping()) {
                return false;
            }
            int allowed = cap;
            if (wave.strict() && !r.dryRun) {
                allowed = Math.min(cap, budget + 1 - failed);
            }
            if (inFlight < allowed) {
                return true;
            }
            await();
        }
    }

    private boolean stopping() {
        if (r.cancellation.isCancelled()) {
            return true;
        }
        if (r.dryRun) {
            return false;
        }
        if (haltReason == null && window != null && !window.isOpen(r.time.now())) {
            haltReason = "the maintenance window " + window.description() + " was closed at " + r.time.now()
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
            r.interrupted = true;
            r.cancel("the rollout's thread was interrupted");
        }
    }

    private void start(ThreadPoolExecutor pool, int i, boolean canary) {
        inFlight++;
        r.emit(new RolloutEvent.TargetStarted(r.rollout.name(), r.id, r.time.now(), wave.name(), targets.get(i), progress()));
        pool.execute(() -> runTarget(i, canary && wave.ramp()));
    }

    private WaveProgress progress() {
        return WaveProgress.builder().total(n).succeeded(succeeded).failed(failed).cancelled(cancelled)
                .inFlight(inFlight).build();
    }

    private void runTarget(int i, boolean canary) {
        String target = targets.get(i);
        MDC.put("rollout", r.rollout.name());
        MDC.put("wave", wave.name());
        MDC.put("target", target);
        Instant s = r.time.now();
        RunResult run = null;
        Failure failure = null;
        TargetStatus status;
        String note = "";
        try {
            RolloutRun.TargetRun tr = r.runTarget(wave, target, checkpoints);
            run = tr.result();
            note = tr.note();
            status = run.isSuccess() ? TargetStatus.SUCCEEDED
                    : run.status() == RunStatus.CANCELLED ? TargetStatus.CANCELLED : TargetStatus.FAILED;
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError vme) {
                finish(i, TargetResult.builder().target(target).status(TargetStatus.FAILED).canary(canary).start(s)
                        .end(r.time.now()).failure(Failure.of(t)).build());
                throw vme;
            }
            failure = Failure.of(t);
            status = TargetStatus.FAILED;
            note = "its run threw instead of returning a result";
            log.warn("Target {} failed: its run threw {}", target, failure);
        } finally {
            MDC.clear();
        }
        finish(i, TargetResult.builder().target(target).status(status).canary(canary).start(s).end(r.time.now())
                .run(run).failure(failure).note(Objects.requireNonNullElse(note, "")).build());
    }

    private void finish(int i, TargetResult tr) {
        r.lock.lock();
        try {
            results[i] = tr;
            inFlight--;
            switch (tr.status()) {
                case SUCCEEDED -> succeeded++;
                case FAILED -> failed++;
                default -> cancelled++;
            }
            if (tr.status() == TargetStatus.FAILED && failed > budget && haltReason == null && !r.dryRun) {
                haltReason = failed + " target(s) failed, more than maxErrors " + budgetText()
                        + "; no new target started after " + tr.target() + " failed";
            }
            r.emit(new RolloutEvent.TargetFinished(r.rollout.name(), r.id, r.time.now(), wave.name(), tr.target(), tr.status(),
                    progress()));
            changed.signalAll();
        } finally {
            r.lock.unlock();
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
            r.interrupted = true;
        }
    }

    private WaveResult result(Instant waveStart, Instant waveEnd) {
        boolean wasCancelled = r.cancellation.isCancelled();
        List<TargetResult> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            TargetResult tr = results[i];
            if (tr == null) {
                tr = TargetResult.builder().target(targets.get(i)).status(TargetStatus.NOT_STARTED)
                        .note(wasCancelled ? "not started: the rollout was cancelled: " + r.cancellation.reason()
                                : "not started: the wave halted")
                        .build();
            }
            out.add(tr);
        }
        int notStarted = (int) out.stream().filter(t -> t.status() == TargetStatus.NOT_STARTED).count();
        WaveStatus status;
        String reason = "";
        if (wasCancelled && (notStarted > 0 || cancelled > 0)) {
            status = WaveStatus.CANCELLED;
            reason = "cancelled: " + r.cancellation.reason() + " (" + cancelled + " target(s) stopped in flight, "
                    + notStarted + " not started)";
        } else if (haltReason != null) {
            status = WaveStatus.HALTED;
            reason = haltReason;
        } else if (r.dryRun && wave.ramp() && out.get(0).status() == TargetStatus.FAILED) {
            status = WaveStatus.HALTED;
            reason = "a live run would halt here: canary " + targets.get(0) + " failed: " + out.get(0).reason();
        } else if (r.dryRun && failed > budget) {
            status = WaveStatus.HALTED;
            reason = "a live run would halt here: " + failed + " target(s) failed, more than maxErrors " + budgetText();
        } else if (failed > 0) {
            status = WaveStatus.SUCCEEDED_WITHIN_BUDGET;
            reason = failed + " target(s) failed, within maxErrors " + budgetText();
        } else {
            status = WaveStatus.SUCCEEDED;
        }
        return WaveResult.builder().name(wave.name()).status(status).reason(reason)
                .targetSource(wave.targets().description()).maxConcurrency(wave.maxConcurrency()).concurrency(limit)
                .maxErrors(wave.maxErrors()).errorBudget(budget).ramp(wave.ramp()).strict(wave.strict())
                .rampStages(stages).checkpoints(checkpoints).start(waveStart).end(waveEnd).targets(out).build();
    }
}
