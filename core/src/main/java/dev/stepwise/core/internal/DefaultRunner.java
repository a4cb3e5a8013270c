package dev.stepwise.core.internal;

import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.run.RunHandle;
import dev.stepwise.core.run.RunListener;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The runner: immutable options; each run gets its own {@link RunExecution}. */
public final class DefaultRunner implements Runner {
    private static final DefaultRunner DEFAULT = new DefaultRunner(false, List.of(), TimeSource.system());

    private final boolean dryRun;
    private final List<RunListener> listeners;
    private final TimeSource time;

    private DefaultRunner(boolean dryRun, List<RunListener> listeners, TimeSource time) {
        this.dryRun = dryRun;
        this.listeners = List.copyOf(listeners);
        this.time = time;
    }

    public static Runner create() {
        return DEFAULT;
    }

    @Override
    public Runner dryRun() {
        return new DefaultRunner(true, listeners, time);
    }

    @Override
    public Runner live() {
        return new DefaultRunner(false, listeners, time);
    }

    @Override
    public boolean isDryRun() {
        return dryRun;
    }

    @Override
    public Runner withListener(RunListener listener) {
        List<RunListener> l = new ArrayList<>(listeners);
        l.add(Objects.requireNonNull(listener, "listener"));
        return new DefaultRunner(dryRun, l, time);
    }

    @Override
    public Runner withTimeSource(TimeSource timeSource) {
        return new DefaultRunner(dryRun, listeners, Objects.requireNonNull(timeSource, "timeSource"));
    }

    public TimeSource timeSource() {
        return time;
    }

    @Override
    public RunResult run(Plan plan, Inputs inputs) {
        Objects.requireNonNull(plan, "plan");
        return execute(plan, plan.resolve(inputs), newRunId(), null, new Cancellation());
    }

    /** Runs with resolved inputs, a given id and target, and an outside cancellation (for rollouts). */
    public RunResult execute(Plan plan, Inputs resolved, String runId, String target, Cancellation cancellation) {
        return new RunExecution(plan, resolved, runId, target, dryRun, listeners, time, cancellation).execute();
    }

    @Override
    public RunHandle start(Plan plan, Inputs inputs) {
        Objects.requireNonNull(plan, "plan");
        Inputs resolved = plan.resolve(inputs);
        String runId = newRunId();
        Cancellation cancellation = new Cancellation();
        CompletableFuture<RunResult> future = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                future.complete(execute(plan, resolved, runId, null, cancellation));
            } catch (Throwable e) {
                future.completeExceptionally(e);
            }
        }, "stepwise-run-" + plan.name() + "-" + runId);
        t.start();
        return new Handle(runId, cancellation, future);
    }

    /** A fresh run id: 12 hex digits, random. */
    public static String newRunId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    @Override
    public String toString() {
        return "Runner{" + (dryRun ? "dry run" : "live") + ", " + time + ", " + listeners.size() + " listener(s)}";
    }

    private record Handle(String runId, Cancellation cancellation, CompletableFuture<RunResult> future) implements RunHandle {
        @Override
        public void cancel(String reason) {
            cancellation.cancel(reason);
        }

        @Override
        public boolean isDone() {
            return future.isDone();
        }

        @Override
        public RunResult await() throws InterruptedException {
            try {
                return future.get();
            } catch (ExecutionException e) {
                throw rethrow(e);
            }
        }

        @Override
        public Optional<RunResult> await(Duration timeout) throws InterruptedException {
            try {
                return Optional.of(future.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                return Optional.empty();
            } catch (ExecutionException e) {
                throw rethrow(e);
            }
        }

        private static RuntimeException rethrow(ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                return r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            return new IllegalStateException("the run failed unexpectedly", c);
        }

        @Override
        public String toString() {
            return "RunHandle{" + runId + (future.isDone() ? ", done" : ", running") + "}";
        }
    }
}
