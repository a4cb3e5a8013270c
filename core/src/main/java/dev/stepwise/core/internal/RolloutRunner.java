package dev.stepwise.core.internal;

import dev.stepwise.core.journal.JournalException;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.RolloutHandle;
import dev.stepwise.core.rollout.RolloutListener;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.Rollouter;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The rollouter: immutable options; each rollout gets its own {@link RolloutExecution}. */
public final class RolloutRunner implements Rollouter {
    private final Runner runner;
    private final TimeSource time;
    private final List<RolloutListener> listeners;

    private RolloutRunner(Runner runner, TimeSource time, List<RolloutListener> listeners) {
        this.runner = runner;
        this.time = time;
        this.listeners = List.copyOf(listeners);
    }

    public static Rollouter create(Runner runner) {
        Objects.requireNonNull(runner, "runner");
        TimeSource t = runner instanceof DefaultRunner d ? d.timeSource() : TimeSource.system();
        return new RolloutRunner(runner, t, List.of());
    }

    @Override
    public Rollouter dryRun() {
        return new RolloutRunner(runner.dryRun(), time, listeners);
    }

    @Override
    public boolean isDryRun() {
        return runner.isDryRun();
    }

    @Override
    public Rollouter withListener(RolloutListener listener) {
        List<RolloutListener> l = new ArrayList<>(listeners);
        l.add(Objects.requireNonNull(listener, "listener"));
        return new RolloutRunner(runner, time, l);
    }

    @Override
    public Rollouter withTimeSource(TimeSource timeSource) {
        Objects.requireNonNull(timeSource, "timeSource");
        return new RolloutRunner(runner.withTimeSource(timeSource), timeSource, listeners);
    }

    @Override
    public RolloutResult run(Rollout rollout) {
        Objects.requireNonNull(rollout, "rollout");
        return new RolloutExecution(rollout, runner, time, listeners, DefaultRunner.newRunId()).execute();
    }

    @Override
    public RolloutResult resume(Rollout rollout, String rolloutId) {
        Objects.requireNonNull(rollout, "rollout");
        Objects.requireNonNull(rolloutId, "rolloutId");
        if (!(runner instanceof DefaultRunner d) || !d.isJournaled()) {
            throw new JournalException("Resuming rollout " + rolloutId + " needs a live runner with a journal: "
                    + "Rollouter.create(Runner.create().withJournal(store))");
        }
        return new RolloutExecution(rollout, runner, time, listeners, rolloutId, true).execute();
    }

    @Override
    public RolloutHandle start(Rollout rollout) {
        Objects.requireNonNull(rollout, "rollout");
        RolloutExecution execution = new RolloutExecution(rollout, runner, time, listeners, DefaultRunner.newRunId());
        CompletableFuture<RolloutResult> future = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                future.complete(execution.execute());
            } catch (Throwable e) {
                future.completeExceptionally(e);
            }
        }, "stepwise-rollout-" + rollout.name() + "-" + execution.id());
        t.start();
        return new Handle(execution, future);
    }

    @Override
    public String toString() {
        return "Rollouter{" + runner + ", " + time + ", " + listeners.size() + " listener(s)}";
    }

    private record Handle(RolloutExecution execution, CompletableFuture<RolloutResult> future) implements RolloutHandle {
        @Override
        public String rolloutId() {
            return execution.id();
        }

        @Override
        public void cancel(String reason) {
            execution.cancel(reason);
        }

        @Override
        public boolean isDone() {
            return future.isDone();
        }

        @Override
        public RolloutResult await() throws InterruptedException {
            return Futures.await(future, "the rollout");
        }

        @Override
        public Optional<RolloutResult> await(Duration timeout) throws InterruptedException {
            return Futures.await(future, timeout, "the rollout");
        }

        @Override
        public String toString() {
            return "RolloutHandle{" + execution.id() + (future.isDone() ? ", done" : ", running") + "}";
        }
    }
}
