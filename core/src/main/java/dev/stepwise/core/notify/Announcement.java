package dev.stepwise.core.notify;

import dev.stepwise.core.Durations;
import dev.stepwise.core.PlanValidationException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.immutables.value.Value;

/**
 * A notice before a rollout's wave, then a lead time: "tell them 24 h before production". Added with
 * {@link dev.stepwise.core.rollout.Rollout.Builder#announce(Announcement)} as a checkpoint that holds back the
 * next wave: the rollout sends a {@link Moment#BEFORE_WAVE} notice through the {@link Notifications}' notifiers
 * (naming the wave, its targets, when it starts, the expected impact, the backups and the earlier waves'
 * outcome), then waits the lead time on the rollout's clock (cancellable), then goes on to the next checkpoint
 * or the wave.
 *
 * <p>Defaults: no lead time (at most {@link Durations#MAX}, 30 days); not required — a notifier that fails is
 * recorded in the checkpoint's detail and the rollout goes on. A {@linkplain #isRequired() required} announcement
 * halts the rollout before the wave, with the reason in the result, unless every notifier accepted the notice. In a
 * dry run nothing is sent and nothing waited; the checkpoint says what would be sent, to whom and when. Made by the
 * {@link Builder} that {@link #to(Notifications)} starts, which {@link dev.stepwise.core.rollout.Rollout.Builder}
 * takes as it is. Immutable and thread-safe.
 *
 * <pre>{@code
 * Rollout.builder("patch-fleet", plan).
 *     wave(nonProd).
 *     announce(ops, a -> a.leadTime(Duration.ofHours(24)).required()).
 *     wave(prod).
 *     build();
 * Announcement dayAhead = Announcement.to(ops).leadTime(Duration.ofHours(24)).required().build();
 * }</pre>
 */
@Value.Immutable
public abstract class Announcement {
    private static final int MAX_TARGETS_SHOWN = 20;

    Announcement() {
    }

    /** A builder for an announcement through {@code notifications}' notifiers, to its audience; no lead time, not required. */
    public static Builder to(Notifications notifications) {
        return new Builder().notifications(notifications);
    }

    /** A builder holding this announcement's settings. */
    public Builder toBuilder() {
        return new Builder().from(this);
    }

    /** Through whom, and to whom, the notice goes. */
    public abstract Notifications notifications();

    /** How long the rollout waits after the notice, before the next wave (default zero). */
    @Value.Default
    public Duration leadTime() {
        return Duration.ZERO;
    }

    /** Whether the rollout halts when the notice could not be sent (default false). */
    @Value.Default
    public boolean isRequired() {
        return false;
    }

    @Value.Check
    void check() {
        List<String> problems = new ArrayList<>();
        Durations.checkNotNegative("leadTime", leadTime(), problems);
        if (!problems.isEmpty()) {
            throw new PlanValidationException("Announcement", problems);
        }
    }

    /** What it does, for people, e.g. {@code "tell production owners via webhook https://chat/…, 24 h ahead (required)"}. */
    public String description() {
        Duration leadTime = leadTime();
        return "tell " + notifications().audience() + " via " + notifications().destinations()
                + (leadTime.isZero() ? "" : ", " + Durations.human(leadTime) + " ahead")
                + (isRequired() ? " (required)" : "");
    }

    /**
     * The notice for wave {@code wave} of a rollout, made at {@code now}.
     *
     * @param rollout the rollout's name
     * @param rolloutId the rollout's id
     * @param plan    the plan's name
     * @param wave    the wave about to start
     * @param targets the wave's targets, when known before it starts; empty to use {@code targetSource}
     * @param targetSource how the wave's targets are found, for people
     * @param soFar   how earlier waves went, one line
     * @param now     now, on the rollout's clock
     */
    public Notice notice(String rollout, String rolloutId, String plan, String wave, List<String> targets,
            String targetSource, String soFar, Instant now) {
        Notifications notifications = notifications();
        Duration leadTime = leadTime();
        Instant starts = now.plus(leadTime);
        String shown = targets.isEmpty() ? targetSource : targets.size() <= MAX_TARGETS_SHOWN
                ? String.join(", ", targets)
                : String.join(", ", targets.subList(0, MAX_TARGETS_SHOWN)) + " and " + (targets.size()
                - MAX_TARGETS_SHOWN) + " more";
        return notifications.compose(Moment.BEFORE_WAVE, Severity.INFO,
                "Planned change: rollout " + rollout + ", wave " + wave + " starts " + (leadTime.isZero() ? "now"
                        : "at " + starts + " (in " + Durations.human(leadTime) + ")"),
                "rollout " + rollout + " (" + rolloutId + ")", now, List.of(
                        "What: " + (notifications.what().isEmpty() ? "rollout " + rollout + " of plan " + plan
                                : notifications.what()),
                        "Which targets: wave " + wave + ": " + shown,
                        "When: wave " + wave + " starts no earlier than " + starts,
                        "So far: " + soFar), List.of());
    }

    @Override
    public String toString() {
        return "Announcement{" + description() + "}";
    }

    /** Builds an {@link Announcement}. Not thread-safe. */
    public static final class Builder extends ImmutableAnnouncement.Builder {
        Builder() {
        }

        /** Halts the rollout unless every notifier accepted the notice ("must notify before production"). */
        public Builder required() {
            return required(true);
        }
    }
}
