package dev.stepwise.core.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What happened at a checkpoint before a wave: a soak served, a gate that held or not, an approval (who, when),
 * a window waited for. Immutable and thread-safe.
 *
 * <pre>{@code
 * result.wave("production").checkpoints().forEach(c -> System.out.println(c + " " + c.approval().orElse(null)));
 * }</pre>
 *
 * @param kind        what kind of checkpoint
 * @param description its description
 * @param outcome     what happened
 * @param start       when the rollout reached it
 * @param end         when it was passed, rejected or cancelled
 * @param detail      a sentence for people, e.g. "waited 2 h 00 min for the window to open"
 * @param decision    for approvals: the decision, else null
 */
public record CheckpointResult(Checkpoint.Kind kind, String description, Outcome outcome, Instant start, Instant end,
        String detail, ApprovalDecision decision) {

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

    public CheckpointResult {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(outcome, "outcome");
        detail = detail == null ? "" : detail;
    }

    /** The approval decision, for approvals that got one. */
    public Optional<ApprovalDecision> approval() {
        return Optional.ofNullable(decision);
    }

    /** How long the rollout spent here. */
    public Duration duration() {
        return start == null || end == null ? Duration.ZERO : Duration.between(start, end);
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " \"" + description + "\": " + outcome
                + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
