package dev.stepwise.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.notify.Announcement;
import dev.stepwise.core.notify.Notifications;
import dev.stepwise.core.notify.Notifier;
import dev.stepwise.core.notify.WebhookNotifier;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.retry.RetryPolicy;
import dev.stepwise.core.rollout.Approval;
import dev.stepwise.core.rollout.Approver;
import dev.stepwise.core.rollout.Checkpoint;
import dev.stepwise.core.rollout.MaintenanceWindow;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hardening: every configured duration is refused at build above {@link Durations#MAX} (30 days), naming the
 * setting, the value and the rule, so no deadline, backoff or nanosecond arithmetic on it can overflow once an
 * action has started. Regression: a {@code Long.MAX_VALUE}-seconds step timeout used to build.
 */
class DurationLimitsHardeningTest {
    private static final Duration HUGE = Duration.ofSeconds(Long.MAX_VALUE);
    private static final Duration JUST_OVER = Durations.MAX.plusNanos(1);
    private static final String RULE = "must be at most PT720H (30 days)";

    @Test
    void stepTimeout_whenLongMaxValueSeconds_isRefusedAtBuildNamingFieldValueAndRule() {
        assertThatThrownBy(() -> Step.mutating("patch").run(ctx -> { }).timeout(HUGE).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessage("Step \"patch\": timeout PT2562047788015215H30M7S " + RULE);
    }

    @Test
    void stepTimeout_whenExactlyTheMaximum_builds() {
        assertThat(Step.mutating("patch").run(ctx -> { }).timeout(Durations.MAX).build().timeout())
                .contains(Durations.MAX);
    }

    @Test
    void stepWithTimeout_whenOverTheMaximum_isRefused() {
        Step<Void> step = Step.mutating("patch").run(ctx -> { }).build();

        assertThatThrownBy(() -> step.withTimeout(JUST_OVER)).isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("timeout " + JUST_OVER + " " + RULE);
    }

    @Test
    void retryPolicy_whenDelayMaxDelayAndAttemptTimeoutAreHuge_listsEachInOneException() {
        assertThatThrownBy(() -> RetryPolicy.builder().backoff(JUST_OVER, HUGE).attemptTimeout(HUGE).build())
                .isInstanceOf(PlanValidationException.class)
                .satisfies(e -> assertThat(((PlanValidationException) e).problems()).containsExactly(
                        "delay " + JUST_OVER + " " + RULE,
                        "maxDelay " + HUGE + " " + RULE,
                        "attemptTimeout " + HUGE + " " + RULE));
    }

    @Test
    void retryPolicyFixedDelay_whenHuge_isRefused() {
        assertThatThrownBy(() -> RetryPolicy.builder().delay(HUGE).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("delay " + HUGE + " " + RULE)
                .hasMessageContaining("maxDelay " + HUGE + " " + RULE);
    }

    @Test
    void soak_whenOverTheMaximum_isRefused() {
        assertThatThrownBy(() -> new Checkpoint.Soak(JUST_OVER)).isInstanceOf(PlanValidationException.class)
                .hasMessage("Soak: soak " + JUST_OVER + " " + RULE);
        assertThat(new Checkpoint.Soak(Durations.MAX).duration()).isEqualTo(Durations.MAX);
    }

    @Test
    void approvalTimeout_whenHuge_isRefused() {
        assertThatThrownBy(() -> Approval.by(Approver.autoApprove("ci")).timeout(HUGE).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessage("Approval: timeout " + HUGE + " " + RULE);
    }

    @Test
    void announcementLeadTime_whenHuge_isRefused() {
        Notifications ops = Notifications.builder(Notifier.of("chat", n -> { })).build();

        assertThatThrownBy(() -> Announcement.to(ops).leadTime(HUGE).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessage("Announcement: leadTime " + HUGE + " " + RULE);
    }

    @Test
    void webhookTimeout_whenHuge_isRefused() {
        assertThatThrownBy(() -> WebhookNotifier.builder(URI.create("https://chat.example.com/hook")).timeout(HUGE)
                .build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessage("WebhookNotifier: webhook timeout " + HUGE + " " + RULE);
    }

    @Test
    void maintenanceWindowBetween_whenLongerThanTheMaximum_isRefused() {
        Instant from = Instant.parse("2026-01-01T00:00:00Z");

        assertThatThrownBy(() -> MaintenanceWindow.between(from, Instant.MAX))
                .isInstanceOf(PlanValidationException.class)
                .hasMessageStartingWith("MaintenanceWindow: length ")
                .hasMessageContaining(RULE + ": from 2026-01-01T00:00:00Z to " + Instant.MAX + " is too long");
        assertThat(MaintenanceWindow.between(from, from.plus(Durations.MAX)).isOpen(from)).isTrue();
    }

    @Test
    void recurringWindowLength_whenOverADay_isRefused() {
        assertThatThrownBy(() -> MaintenanceWindow.daily(LocalTime.MIDNIGHT, HUGE, ZoneOffset.UTC))
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("length " + HUGE + " must be more than zero and at most 1 day");
    }

    @Test
    void durationsCheck_namesFieldValueAndRule() {
        List<String> problems = new java.util.ArrayList<>();
        Durations.checkPositive("timeout", Duration.ZERO, problems);
        Durations.checkNotNegative("soak", Duration.ofSeconds(-1), problems);
        Durations.checkNotNegative("soak", Duration.ZERO, problems);
        Durations.checkPositive("timeout", HUGE, problems);

        assertThat(problems).containsExactly("timeout PT0S must be positive", "soak PT-1S must not be negative",
                "timeout " + HUGE + " " + RULE);
    }
}
