package dev.stepwise.core.rollout;

import dev.stepwise.core.Durations;
import dev.stepwise.core.PlanValidationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.immutables.value.Value;

/**
 * A manual approval before a wave: who is asked, how long the rollout waits, and what silence means.
 *
 * <p>Defaults: timeout 24 hours on the rollout's clock (at most {@link Durations#MAX}, 30 days); on timeout,
 * {@link TimeoutRule#REJECT} (the rollout halts); description "manual approval". The decision — who, when, why, or
 * that the timeout rule decided — goes into the wave's {@link CheckpointResult}. Cancelling the rollout ends the
 * wait at once. Made by the {@link Builder} that {@link #by(Approver)} starts, which {@link Rollout.Builder}
 * takes as it is; {@link Builder#build()} reports every bad setting in one {@link PlanValidationException}.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * Rollout.builder("patch-fleet", plan).
 *     wave(nonProd).
 *     approval(approver, a -> a.timeout(Duration.ofHours(4)).describedAs("change board sign-off")).
 *     wave(prod).
 *     build();
 * Approval signOff = Approval.by(approver).timeout(Duration.ofHours(4)).onTimeout(Approval.TimeoutRule.REJECT).build();
 * }</pre>
 */
@Value.Immutable
public abstract non-sealed class Approval implements Checkpoint {
    /** The default timeout: 24 hours. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(24);

    /** What it means when nobody answers before the timeout. */
    public enum TimeoutRule {
        /** Silence approves: the next wave starts (the decision says "timeout rule"). */
        APPROVE,
        /** Silence rejects: the rollout halts. */
        REJECT
    }

    Approval() {
    }

    /** A builder for an approval asked of {@code approver}, with the defaults. */
    public static Builder by(Approver approver) {
        return new Builder().approver(approver);
    }

    /** A builder holding this approval's settings. */
    public Builder toBuilder() {
        return new Builder().from(this);
    }

    /** Who is asked. */
    public abstract Approver approver();

    /** How long the rollout waits for an answer, on its clock (default 24 h). */
    @Value.Default
    public Duration timeout() {
        return DEFAULT_TIMEOUT;
    }

    /** What silence until the timeout means (default {@link TimeoutRule#REJECT}). */
    @Value.Default
    public TimeoutRule onTimeout() {
        return TimeoutRule.REJECT;
    }

    @Value.Default
    String text() {
        return "manual approval";
    }

    @Value.Check
    void check() {
        List<String> problems = new ArrayList<>();
        Durations.checkPositive("timeout", timeout(), problems);
        if (text().isBlank()) {
            problems.add("description \"" + text() + "\" must not be blank");
        }
        if (!problems.isEmpty()) {
            throw new PlanValidationException("Approval", problems);
        }
    }

    @Override
    public Kind kind() {
        return Kind.APPROVAL;
    }

    /** The description given, with the timeout and its rule, e.g. "manual approval (timeout 24 h, then reject)". */
    @Override
    public String description() {
        return text() + " (timeout " + Durations.human(timeout()) + ", then "
                + (onTimeout() == TimeoutRule.APPROVE ? "approve" : "reject") + ")";
    }

    @Override
    public String toString() {
        return "Approval{" + description() + "}";
    }

    /** Builds an {@link Approval}. Not thread-safe. */
    public static final class Builder extends ImmutableApproval.Builder {
        Builder() {
        }

        /** What is being approved, for people (default "manual approval"); must not be blank. */
        public Builder describedAs(String text) {
            return text(Objects.requireNonNull(text, "description"));
        }
    }
}
