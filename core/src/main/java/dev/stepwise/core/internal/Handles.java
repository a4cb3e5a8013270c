package dev.stepwise.core.internal;

import dev.stepwise.core.rollout.RolloutHandle;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.run.Cancellation;
import dev.stepwise.core.run.RunHandle;
import dev.stepwise.core.run.RunResult;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The handles of runs and rollouts started on their own threads. */
final class Handles {
    private Handles() {
    }

    record Run(String runId, Cancellation cancellation, CompletableFuture<RunResult> future) implements RunHandle {
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
            return Futures.await(future, "the run");
        }

        @Override
        public Optional<RunResult> await(Duration timeout) throws InterruptedException {
            return Futures.await(future, timeout, "the run");
        }

        @Override
        public String toString() {
            return "RunHandle{" + runId + (future.isDone() ? ", done" : ", running") + "}";
        }
    }

    record Rollout(RolloutRun execution, CompletableFuture<RolloutResult> future) implements RolloutHandle {
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
