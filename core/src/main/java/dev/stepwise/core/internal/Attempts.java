package dev.stepwise.core.internal;

import dev.failsafe.Execution;
import dev.stepwise.core.CancelledException;
import dev.stepwise.core.StepFailedException;
import dev.stepwise.core.StepTimeoutException;
import dev.stepwise.core.journal.JournalEntry;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.Failure;
import dev.stepwise.core.run.RunEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
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
 */
final class Attempts {
    private static final Logger log = LoggerFactory.getLogger(Attempts.class);

    private final RunState run;
    private final RunRecorder recorder;

    Attempts(RunState run, RunRecorder recorder) {
        this.run = run;
        this.recorder = recorder;
    }

    /** Runs the attempts; returns the output, or throws StepFailedException (cause: the last failure) or CancelledException. */
    Object run(Step<?> step, RunState.Row row, int rowIndex) {
        // made on the first failure only: a step that succeeds at once never pays for the retry machinery
        Execution<Object> execution = null;
        Instant stepDeadline = step.timeout().map(t -> run.now().plus(t)).orElse(null);
        while (true) {
            int attempt = ++row.attempts;
            MDC.put("attempt", String.valueOf(attempt));
            Instant deadline = step.retry().attemptTimeout().map(t -> run.now().plus(t))
                    .map(d -> stepDeadline == null || d.isBefore(stepDeadline) ? d : stepDeadline).orElse(stepDeadline);
            try {
                Object out = attempt(step, attempt, deadline, attempt > 1 || run.rerunning.contains(step.name()));
                if (step.output().isPresent() && out == null) {
                    throw new IllegalStateException("step \"" + step.name() + "\" declares output "
                            + step.output().get().name() + " but its action returned null");
                }
                return out;
            } catch (CancelledException | RunState.UnavailableInDryRun e) {
                throw e;
            } catch (Throwable t) {
                if (t instanceof Error && !(t instanceof AssertionError)) {
                    throw (Error) t;
                }
                Failure f = Failure.of(t);
                run.emit(new RunEvent.AttemptFailed(run.ref, run.now(), step.name(), attempt, f));
                recorder.append(new JournalEntry.AttemptFailed(run.now(), rowIndex, step.name(), attempt, f), false);
                if (execution == null) {
                    execution = FailsafeRetry.execution(step.retry());
                }
                execution.recordException(t);
                boolean stepTimedOut = stepDeadline != null && !run.now().isBefore(stepDeadline);
                if (execution.isComplete() || stepTimedOut || run.cancellation.isCancelled()) {
                    if (run.cancellation.isCancelled() && !execution.isComplete() && !stepTimedOut) {
                        throw new CancelledException(run.cancellation.reason());
                    }
                    throw new StepFailedException(step.name(), attempt, stepTimedOut && !(t instanceof StepTimeoutException)
                            ? new StepTimeoutException(step.name(), "the step", step.timeout().orElseThrow()) : t);
                }
                Duration delay = execution.getDelay();
                if (stepDeadline != null && run.now().plus(delay).isAfter(stepDeadline)) {
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

    private Object attempt(Step<?> step, int attempt, Instant deadline, boolean isRerun) throws Exception {
        StepContextImpl ctx = new StepContextImpl(run, step.name(), attempt, deadline, isRerun);
        if (deadline == null || run.time.isVirtual()) {
            return step.action().execute(ctx);
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
        Thread worker = new Thread(task, "stepwise-" + run.plan.name() + "-" + step.name() + "-" + attempt);
        worker.setDaemon(true);
        worker.start();
        long nanos = Duration.between(run.now(), deadline).toNanos();
        try {
            return task.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new StepTimeoutException(step.name(), "attempt " + attempt,
                    step.retry().attemptTimeout().orElseGet(() -> step.timeout().orElseThrow()));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw (Error) cause;
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new CancelledException("the run's thread was interrupted");
        }
    }
}
