package dev.stepwise.core.internal;

import dev.stepwise.core.CancelledException;
import dev.stepwise.core.StepFailedException;
import dev.stepwise.core.StepTimeoutException;
import dev.stepwise.core.journal.JournalEntry;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.Failure;
import dev.stepwise.core.run.RunEvent;
import dev.stepwise.core.retry.RetrySchedule;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs the attempts of one step that its retry policy allows: per-attempt and per-step deadlines, waits between
 * attempts on the run's clock, cancellation, and a journal entry and an event per failed attempt. Used by the
 * run's thread.
 *
 * <p>An attempt ends before anything else of the run starts. Without a deadline, or on a virtual clock, the action
 * runs inline on the run's thread. With a deadline on a real clock it runs on a daemon thread of its own; when the
 * deadline passes, that thread is interrupted and awaited for a grace period — as long as the timeout that passed,
 * at most {@link #MAX_GRACE} — before another attempt may start. An action still running after its grace is given
 * up by the retry policy (the step fails with "attempt still running"; no further attempt) but not by the run,
 * which waits for the action to end, or for the run to be cancelled: then the run ends CANCELLED with a reason
 * naming the action and its thread. Deadlines too far away to represent mean "no deadline" ({@link Deadlines}), so
 * no duration arithmetic can fail once an action has started.
 */
final class Attempts {
    private static final Logger log = LoggerFactory.getLogger(Attempts.class);

    /** The longest an attempt that timed out is given to end after its interrupt before it counts as still running. */
    static final Duration MAX_GRACE = Duration.ofSeconds(30);

    private final RunState run;
    private final RunRecorder recorder;

    Attempts(RunState run, RunRecorder recorder) {
        this.run = run;
        this.recorder = recorder;
    }

    /** An attempt that timed out and did not end within its grace: the step may not try again while it acts. */
    private static final class StillRunning extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Worker worker;
        final StepTimeoutException failure;

        StillRunning(Worker worker, StepTimeoutException failure) {
            super(failure.getMessage(), null, false, false);
            this.worker = worker;
            this.failure = failure;
        }
    }

    /**
     * The thread of one attempt; {@code ended} is released when it has finished with the action, {@code wake} then
     * too, and also when the run is cancelled while someone waits for it.
     */
    private record Worker(Thread thread, CountDownLatch ended, CountDownLatch wake) {
        boolean hasEnded() {
            return ended.getCount() == 0;
        }
    }

    /** Runs the attempts; returns the output, or throws StepFailedException (cause: the last failure) or CancelledException. */
    Object run(Step<?> step, RunState.Row row, int rowIndex) {
        // made on the first failure only: a step that succeeds at once never pays for the retry machinery
        RetrySchedule schedule = null;
        Instant stepDeadline = step.timeout().map(t -> Deadlines.after(run.now(), t)).orElse(null);
        while (true) {
            int attempt = ++row.attempts;
            MDC.put("attempt", String.valueOf(attempt));
            Instant deadline = Deadlines.earlier(
                    step.retry().attemptTimeout().map(t -> Deadlines.after(run.now(), t)).orElse(null), stepDeadline);
            try {
                Object out = attempt(step, row, attempt, deadline, attempt > 1 || run.rerunning.contains(step.name()));
                if (step.output().isPresent() && out == null) {
                    throw new IllegalStateException("step \"" + step.name() + "\" declares output "
                            + step.output().get().name() + " but its action returned null");
                }
                return out;
            } catch (CancelledException | RunState.UnavailableInDryRun e) {
                throw e;
            } catch (StillRunning s) {
                failed(step, rowIndex, attempt, s.failure);
                log.warn("Attempt {} of step {} timed out and is still running on thread {}; no further attempt "
                        + "starts and the run waits for it to end", attempt, step.name(), s.worker.thread().getName());
                awaitEndOrCancel(s.worker, null, step, row, attempt);
                throw new StepFailedException(step.name(), attempt, s.failure);
            } catch (Throwable t) {
                if (t instanceof Error && !(t instanceof AssertionError)) {
                    throw (Error) t;
                }
                Failure f = failed(step, rowIndex, attempt, t);
                if (schedule == null) {
                    schedule = step.retry().schedule();
                }
                Optional<Duration> next = schedule.afterFailure(t);
                boolean stepTimedOut = stepDeadline != null && !run.now().isBefore(stepDeadline);
                if (next.isEmpty() || stepTimedOut || run.cancellation.isCancelled()) {
                    if (run.cancellation.isCancelled() && next.isPresent() && !stepTimedOut) {
                        throw new CancelledException(run.cancellation.reason());
                    }
                    throw new StepFailedException(step.name(), attempt, stepTimedOut && !(t instanceof StepTimeoutException)
                            ? new StepTimeoutException(step.name(), "the step", step.timeout().orElseThrow()) : t);
                }
                Duration delay = next.get();
                if (stepDeadline != null && Deadlines.after(run.now(), delay).isAfter(stepDeadline)) {
                    throw new StepFailedException(step.name(), attempt,
                            new StepTimeoutException(step.name(), "the step (its next retry would start after its deadline)",
                                    step.timeout().orElseThrow()));
                }
                log.debug("Attempt {} of step {} failed: {}; retrying in {}", attempt, step.name(), f, delay);
                run.emit(new RunEvent.RetryScheduled(run.ref, run.now(), step.name(), attempt + 1, delay));
                StepContextImpl.sleep(run, delay, null, step.name());
            }
        }
    }

    private Failure failed(Step<?> step, int rowIndex, int attempt, Throwable t) {
        Failure f = run.scrub(Failure.of(t));
        run.emit(new RunEvent.AttemptFailed(run.ref, run.now(), step.name(), attempt, f));
        recorder.append(new JournalEntry.AttemptFailed(run.now(), rowIndex, step.name(), attempt, f), false);
        return f;
    }

    private Object attempt(Step<?> step, RunState.Row row, int attempt, Instant deadline, boolean isRerun)
            throws Exception {
        StepContextImpl ctx = new StepContextImpl(run, step.name(), attempt, deadline, isRerun);
        if (deadline == null || run.time.isVirtual()) {
            return step.action().execute(ctx);
        }
        Duration timeout = step.retry().attemptTimeout().orElseGet(() -> step.timeout().orElseThrow());
        // computed before the action starts, so nothing below can fail while it acts
        long nanos = Deadlines.nanosUntil(run.now(), deadline);
        if (nanos == 0) {
            throw new StepTimeoutException(step.name(), "attempt " + attempt + " was not started: its deadline " + deadline
                    + " had passed");
        }
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        FutureTask<Object> task = new FutureTask<>(() -> {
            if (mdc != null) {
                MDC.setContextMap(mdc);
            }
            try {
                return step.action().execute(ctx);
            } finally {
                MDC.clear();
            }
        });
        CountDownLatch ended = new CountDownLatch(1);
        CountDownLatch wake = new CountDownLatch(1);
        Thread thread = new Thread(() -> {
            try {
                task.run();
            } finally {
                ended.countDown();
                wake.countDown();
            }
        }, "stepwise-" + run.plan.name() + "-" + run.ref.runId() + "-" + step.name() + "-" + attempt);
        thread.setDaemon(true);
        Worker worker = new Worker(thread, ended, wake);
        thread.start();
        try {
            return task.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (!task.cancel(true)) {
                // it finished as the deadline passed: its outcome stands, rather than acting once more
                return outcome(task);
            }
            Duration grace = timeout.compareTo(MAX_GRACE) < 0 ? timeout : MAX_GRACE;
            awaitEndOrCancel(worker, grace, step, row, attempt);
            if (!worker.hasEnded()) {
                throw new StillRunning(worker, new StepTimeoutException(step.name(), "attempt " + attempt
                        + " timed out after " + timeout + " and did not end within " + grace + " of being interrupted "
                        + "(attempt still running on thread " + thread.getName() + "); no further attempt was started"));
            }
            throw new StepTimeoutException(step.name(), "attempt " + attempt, timeout);
        } catch (ExecutionException e) {
            throw rethrow(e);
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            if (!worker.hasEnded()) {
                row.note = stillActing(step, attempt, thread);
            }
            throw new CancelledException("the run's thread was interrupted");
        }
    }

    private static Object outcome(FutureTask<Object> task) throws Exception {
        try {
            return task.get();
        } catch (ExecutionException e) {
            throw rethrow(e);
        }
    }

    private static Exception rethrow(ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof Exception ex) {
            return ex;
        }
        throw (Error) cause;
    }

    /**
     * Waits until the attempt's action has ended or the run is cancelled, for at most {@code bound} (null: no bound).
     * When the run is cancelled, or its thread interrupted, while the action still acts, the row says so and this
     * throws {@link CancelledException}: the run ends CANCELLED, never as if it had finished.
     */
    private void awaitEndOrCancel(Worker worker, Duration bound, Step<?> step, RunState.Row row, int attempt) {
        boolean interrupted = false;
        AutoCloseable onCancel = run.cancellation.onCancel(worker.wake()::countDown);
        try {
            if (bound == null) {
                worker.wake().await();
            } else {
                worker.wake().await(Deadlines.nanos(bound), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            try {
                onCancel.close();
            } catch (Exception e) {
                // removing a listener from a list cannot fail
            }
        }
        if (worker.hasEnded() || (!interrupted && !run.cancellation.isCancelled())) {
            return;
        }
        row.note = stillActing(step, attempt, worker.thread());
        if (interrupted) {
            Thread.currentThread().interrupt();
            throw new CancelledException("the run's thread was interrupted");
        }
        throw new CancelledException(run.cancellation.reason());
    }

    private static String stillActing(Step<?> step, int attempt, Thread worker) {
        return "attempt " + attempt + " of \"" + step.name() + "\" timed out and was still running on thread "
                + worker.getName() + " when the run stopped: it may still act";
    }
}
