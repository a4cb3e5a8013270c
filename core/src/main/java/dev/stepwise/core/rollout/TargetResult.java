package dev.stepwise.core.rollout;

import dev.stepwise.core.run.Failure;
import dev.stepwise.core.run.RunResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What happened to one target: its status and its plan run's full {@link RunResult}. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * result.wave("production").target("i-0123456789abcdef0").ifPresent(t -> System.out.println(t.run()));
 * }</pre>
 *
 * @param target  the target's id
 * @param status  what happened
 * @param canary  whether it was its wave's canary
 * @param start   when its run started, or null if it never did
 * @param end     when its run finished, or null
 * @param run     its run's result, or null if it never started or threw before producing one
 * @param failure why it failed when its run threw unexpectedly (bad inputs, a bug), else null
 * @param note    why it did not start, or where it was cancelled; possibly empty
 */
public record TargetResult(String target, TargetStatus status, boolean canary, Instant start, Instant end,
        RunResult run, Failure failure, String note) {
    public TargetResult {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(status, "status");
        note = note == null ? "" : note;
    }

    /** Its run's result, if it ran. */
    public Optional<RunResult> runResult() {
        return Optional.ofNullable(run);
    }

    /** How long its run took. */
    public Duration duration() {
        return start == null || end == null ? Duration.ZERO : Duration.between(start, end);
    }

    /** Whether its run succeeded. */
    public boolean isSuccess() {
        return status == TargetStatus.SUCCEEDED;
    }

    /** One line: why it failed, was cancelled or did not start; empty on success. */
    public String reason() {
        if (failure != null) {
            return failure.toString();
        }
        if (run != null && !run.reason().isEmpty() && !run.isSuccess()) {
            return run.reason();
        }
        return note;
    }

    @Override
    public String toString() {
        String r = reason();
        return target + " " + status + (canary ? " (canary)" : "") + (r.isEmpty() ? "" : ": " + r);
    }
}
