package dev.stepwise.core.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting on the future behind a run or rollout handle, with its own failure rethrown as it was. */
final class Futures {
    private Futures() {
    }

    static <R> R await(CompletableFuture<R> future, String what) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw rethrow(e, what);
        }
    }

    static <R> Optional<R> await(CompletableFuture<R> future, Duration timeout, String what) throws InterruptedException {
        try {
            return Optional.of(future.get(Deadlines.nanos(timeout), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw rethrow(e, what);
        }
    }

    private static RuntimeException rethrow(ExecutionException e, String what) {
        Throwable c = e.getCause();
        if (c instanceof RuntimeException r) {
            return r;
        }
        if (c instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(what + " failed unexpectedly", c);
    }
}
