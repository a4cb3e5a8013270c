package dev.stepwise.core.notify;

import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.internal.ResultRendering;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A notice before a rollout's wave, then a lead time: "tell them 24 h before production". Added with
 * {@link dev.stepwise.core.rollout.Rollout.Builder#announce(Announcement)} as a checkpoint that holds back the
 * next wave: the rollout sends a {@link Moment#BEFORE_WAVE} notice through the {@link Notifications}' notifiers
 * (naming the wave, its targets, when it starts, the expected impact, the backups and the earlier waves'
 * outcome), then waits the lead time on the rollout's clock (cancellable), then goes on to the next checkpoint
 * or the wave.
 *
 * <p>Defaults: no lead time; not required — a notifier that fails is recorded in the checkpoint's detail and
 * the rollout goes on. A {@linkplain #required() required} announcement halts the rollout before the wave,
 * with the reason in the result, unless every notifier accepted the notice. In a dry run nothing is sent and
 * nothing waited; the checkpoint says what would be sent, to whom and when. Immutable and thread-safe; the
 * {@code with}-style methods return changed copies.
 *
 * <pre>{@code
 * Rollout.builder("patch-fleet", plan).
 *     wave(nonProd).
 *     announce(Announcement.to(ops).leadTime(Duration.ofHours(24)).required()).
 *     wave(prod).
 *     build();
 * }</pre>
 */
public final class Announcement {
    private static final int MAX_TARGETS_SHOWN = 20;

    private final Notifications notifications;
    private final Duration leadTime;
    private final boolean required;

    private Announcement(Notifications notifications, Duration leadTime, boolean required) {
        this.notifications = notifications;
        this.leadTime = leadTime;
        this.required = required;
    }

    /** An announcement through {@code notifications}' notifiers, to its audience; no lead time, not required. */
    public static Announcement to(Notifications notifications) {
        return new Announcement(Objects.requireNonNull(notifications, "notifications"), Duration.ZERO, false);
    }

    /**
     * A copy that waits {@code leadTime} after the notice, before the next wave. Checked at once, since an
     * announcement has no {@code build()} to report it later.
     *
     * @throws dev.stepwise.core.PlanValidationException if {@code leadTime} is negative
     */
    public Announcement leadTime(Duration leadTime) {
        Objects.requireNonNull(leadTime, "leadTime");
        if (leadTime.isNegative()) {
            throw new PlanValidationException("Announcement", List.of("leadTime " + leadTime + " must not be negative"));
        }
        return new Announcement(notifications, leadTime, required);
    }

    /** A copy that halts the rollout unless every notifier accepted the notice ("must notify before production"). */
    public Announcement required() {
        return new Announcement(notifications, leadTime, true);
    }

    public Notifications notifications() {
        return notifications;
    }

    public Duration leadTime() {
        return leadTime;
    }

    /** Whether the rollout halts when the notice could not be sent. */
    public boolean isRequired() {
        return required;
    }

    /** What it does, for people, e.g. {@code "tell production owners via webhook https://chat/…, 24 h ahead (required)"}. */
    public String description() {
        return "tell " + notifications.audience() + " via " + notifications.destinations()
                + (leadTime.isZero() ? "" : ", " + ResultRendering.human(leadTime) + " ahead")
                + (required ? " (required)" : "");
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
        Instant starts = now.plus(leadTime);
        String shown = targets.isEmpty() ? targetSource : targets.size() <= MAX_TARGETS_SHOWN
                ? String.join(", ", targets)
                : String.join(", ", targets.subList(0, MAX_TARGETS_SHOWN)) + " and " + (targets.size()
                - MAX_TARGETS_SHOWN) + " more";
        return notifications.compose(Moment.BEFORE_WAVE, Severity.INFO,
                "Planned change: rollout " + rollout + ", wave " + wave + " starts " + (leadTime.isZero() ? "now"
                        : "at " + starts + " (in " + ResultRendering.human(leadTime) + ")"),
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
}
