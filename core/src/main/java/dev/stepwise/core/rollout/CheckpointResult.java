package dev.stepwise.core.rollout;

import dev.stepwise.core.AllowNulls;
import dev.stepwise.core.Nullable;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * What happened at a checkpoint before a wave: a soak served, a gate that held or not, an approval (who, when),
 * a window waited for, and what a gate saw ({@link #data()}).
 *
 * <p>Made by the rollout runner; {@link #builder()} is there for tests and tools that forge results. Defaults:
 * no times, an empty detail, no decision, no data. Immutable and thread-safe.
 *
 * <pre>{@code
 * result.wave("production").checkpoints().forEach(c -> System.out.println(c + " " + c.approval().orElse(null)));
 * }</pre>
 */
@Value.Immutable
public abstract class CheckpointResult {

    /** What happened at a checkpoint. */
    public enum Outcome {
        /** Passed: the soak was served, the gate held, the approval was given, the window was open. */
        PASSED,
        /** Said no: the gate did not hold (or threw), the approval was refused or timed out, the window was closed. */
        REJECTED,
        /** Cancelled while waiting. */
        CANCELLED,
        /** A dry run: shown, not evaluated. */
        NOT_EVALUATED,
        /** Still going: the rollout parked here and a resume continues it (soak, lead time, window, approval). */
        WAITING
    }

    CheckpointResult() {
    }

    /** Starts a checkpoint's result; {@code kind}, {@code description} and {@code outcome} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this result's values. */
    public Builder toBuilder() {
        return new Builder().from(this);
    }

    /** What kind of checkpoint. */
    public abstract Checkpoint.Kind kind();

    /** Its description. */
    public abstract String description();

    /** What happened. */
    public abstract Outcome outcome();

    /** When the rollout reached it, or null. */
    @Nullable
    public abstract Instant start();

    /** When it was passed, rejected or cancelled, or null while waiting. */
    @Nullable
    public abstract Instant end();

    /** A sentence for people, e.g. "waited 2 h 00 min for the window to open"; possibly empty. */
    @Value.Default
    public String detail() {
        return "";
    }

    /** For approvals: the decision, else null. */
    @Nullable
    public abstract ApprovalDecision decision();

    /**
     * What the checkpoint saw, as plain JSON values (strings, numbers, booleans, lists and maps of them), in
     * order: for a gate, the values it compared. Shown in {@link RolloutResult#toJson()} (key {@code data}, left
     * out when empty). Empty by default.
     */
    @AllowNulls
    public abstract Map<String, Object> data();

    /** The approval decision, for approvals that got one. */
    public Optional<ApprovalDecision> approval() {
        return Optional.ofNullable(decision());
    }

    /** How long the rollout spent here. */
    public Duration duration() {
        return start() == null || end() == null ? Duration.ZERO : Duration.between(start(), end());
    }

    @Override
    public String toString() {
        return kind().name().toLowerCase(Locale.ROOT) + " \"" + description() + "\": " + outcome()
                + (detail().isEmpty() ? "" : " (" + detail() + ")");
    }

    /**
     * Builds a {@link CheckpointResult}; a missing required value throws a {@code PlanValidationException} naming
     * it.
     */
    public static final class Builder extends ImmutableCheckpointResult.Builder {
        Builder() {
        }
    }
}
