package dev.stepwise.core.rollout;

import dev.stepwise.core.Nullable;
import dev.stepwise.core.run.Failure;
import dev.stepwise.core.run.RunResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * What happened to one target: its status and its plan run's full {@link RunResult}.
 *
 * <p>Made by the rollout runner; {@link #builder()} is there for tests and tools that forge results. Defaults:
 * not a canary, no times, run or failure, an empty note. Immutable and thread-safe.
 *
 * <pre>{@code
 * result.wave("production").target("i-0123456789abcdef0").ifPresent(t -> System.out.println(t.run()));
 * }</pre>
 */
@Value.Immutable
public abstract class TargetResult {

    TargetResult() {
    }

    /** Starts a target's result; {@code target} and {@code status} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this result's values. */
    public Builder toBuilder() {
        return new Builder().from(this);
    }

    /** The target's id. */
    public abstract String target();

    /** What happened. */
    public abstract TargetStatus status();

    /** Whether it was its wave's canary. */
    @Value.Default
    public boolean canary() {
        return false;
    }

    /** When its run started, or null if it never did. */
    @Nullable
    public abstract Instant start();

    /** When its run finished, or null. */
    @Nullable
    public abstract Instant end();

    /** Its run's result, or null if it never started or threw before producing one. */
    @Nullable
    public abstract RunResult run();

    /** Why it failed when its run threw unexpectedly (bad inputs, a bug), else null. */
    @Nullable
    public abstract Failure failure();

    /** Why it did not start, or where it was cancelled; possibly empty. */
    @Value.Default
    public String note() {
        return "";
    }

    /** Its run's result, if it ran. */
    public Optional<RunResult> runResult() {
        return Optional.ofNullable(run());
    }

    /** How long its run took. */
    public Duration duration() {
        return start() == null || end() == null ? Duration.ZERO : Duration.between(start(), end());
    }

    /** Whether its run succeeded. */
    public boolean isSuccess() {
        return status() == TargetStatus.SUCCEEDED;
    }

    /** One line: why it failed, was cancelled or did not start; empty on success. */
    public String reason() {
        if (failure() != null) {
            return failure().toString();
        }
        RunResult run = run();
        if (run != null && !run.reason().isEmpty() && !run.isSuccess()) {
            return run.reason();
        }
        return note();
    }

    @Override
    public String toString() {
        String r = reason();
        return target() + " " + status() + (canary() ? " (canary)" : "") + (r.isEmpty() ? "" : ": " + r);
    }

    /** Builds a {@link TargetResult}; a missing required value throws a {@code PlanValidationException} naming it. */
    public static final class Builder extends ImmutableTargetResult.Builder {
        Builder() {
        }
    }
}
