package dev.stepwise.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.rollout.Approval;
import dev.stepwise.core.rollout.ApprovalDecision;
import dev.stepwise.core.rollout.CheckpointResult;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.rollout.Wave;
import dev.stepwise.core.rollout.WaveStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class AnnouncementTest {
    private static final Key<String> HOST = Key.of("host", String.class);
    private static final Key<String> TOKEN = Key.secret("token", String.class);
    private static final String SECRET = "tok-9f8e7d6c5b4a";
    private static final Instant T0 = VirtualTimeSource.DEFAULT_START;

    private final VirtualTimeSource time = VirtualTimeSource.create();
    private final Map<String, Instant> startedAt = new ConcurrentHashMap<>();
    private final List<String> order = new CopyOnWriteArrayList<>();

    private Plan plan(String failingTarget) {
        return Plan.builder("patch-host").input(Input.required(HOST)).input(Input.required(TOKEN))
                .step(Step.mutating("patch").reads(HOST).run(ctx -> {
                    startedAt.put(ctx.get(HOST), time.now());
                    if (ctx.get(HOST).equals(failingTarget)) {
                        throw new IllegalStateException("patch failed on " + ctx.get(HOST) + " using " + ctx.get(TOKEN));
                    }
                }))
                .build();
    }

    private Rollout.Builder staged(Plan plan, Announcement.Builder announcement) {
        return Rollout.builder("patch-fleet", plan).inputs(t -> Inputs.of(HOST, t, TOKEN, SECRET))
                .wave(Wave.builder("non-production").targets("dev-1", "dev-2"))
                .soak(Duration.ofDays(7))
                .announce(announcement)
                .wave(Wave.builder("production").targets("prod-1", "prod-2"));
    }

    private Notifications to(Notifier n) {
        return Notifications.builder(n).audience("production application owners")
                .impact("each instance reboots; connected VPN users are disconnected")
                .backups("an AMI of every instance before it is patched").build();
    }

    private Runner rollouter() {
        return Runner.create().withTimeSource(time);
    }

    @Test
    void announce_withLeadTime_sendsTheNoticeThenWaitsTheLeadTimeOnTheVirtualClockBeforeTheWave() {
        Recorder chat = Recorder.working("chat");
        Rollout rollout = staged(plan(""), Announcement.to(to(chat)).leadTime(Duration.ofHours(24))).build();

        RolloutResult r = rollouter().run(rollout);

        assertThat(r.status()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(time.waits()).containsExactly(Duration.ofDays(7), Duration.ofHours(24));
        assertThat(chat.notices).hasSize(1);
        Notice n = chat.notices.get(0);
        Instant announcedAt = T0.plus(Duration.ofDays(7));
        assertThat(n.at()).isEqualTo(announcedAt);
        assertThat(n.moment()).isEqualTo(Moment.BEFORE_WAVE);
        assertThat(n.audience()).isEqualTo("production application owners");
        assertThat(n.subject()).isEqualTo("Planned change: rollout patch-fleet, wave production starts at "
                + announcedAt.plus(Duration.ofHours(24)) + " (in 1 d 00 h)");
        assertThat(n.body()).contains("Which targets: wave production: prod-1, prod-2",
                "connected VPN users are disconnected", "an AMI of every instance",
                "wave non-production SUCCEEDED");
        assertThat(startedAt.get("prod-1")).isEqualTo(announcedAt.plus(Duration.ofHours(24)));
        CheckpointResult cp = r.wave("production").checkpoints().get(1);
        assertThat(cp.outcome()).isEqualTo(CheckpointResult.Outcome.PASSED);
        assertThat(cp.detail()).isEqualTo("sent via [chat]; waited the lead time of 1 d 00 h from " + announcedAt);
    }

    @Test
    void announce_whenTheNotifierFailsAndTheNoticeIsNotRequired_theRolloutGoesOnAndSaysSo() {
        Recorder mail = Recorder.failing("mail");
        Rollout rollout = staged(plan(""), Announcement.to(to(mail)).leadTime(Duration.ofHours(24))).build();

        RolloutResult r = rollouter().run(rollout);

        assertThat(r.status()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(startedAt).containsKeys("prod-1", "prod-2");
        assertThat(r.wave("production").checkpoints().get(1).detail())
                .contains("could not send", "via mail: NotifyException: mail is down", "not required");
    }

    @Test
    void announce_whenTheNotifierFailsAndTheNoticeIsRequired_haltsBeforeProductionWithTheReason() {
        Recorder chat = Recorder.working("chat");
        Recorder mail = Recorder.failing("mail");
        Notifications both = Notifications.builder(chat, mail).audience("production application owners").build();
        Rollout rollout = staged(plan(""), Announcement.to(both).leadTime(Duration.ofHours(24)).required()).build();

        RolloutResult r = rollouter().run(rollout);

        assertThat(r.status()).isEqualTo(RolloutStatus.HALTED);
        assertThat(r.reason()).contains("wave production", "required before wave production and could not be sent",
                "via mail: NotifyException: mail is down");
        assertThat(r.wave("production").status()).isEqualTo(WaveStatus.HALTED);
        assertThat(startedAt).containsOnlyKeys("dev-1", "dev-2");
        assertThat(time.waits()).containsExactly(Duration.ofDays(7));
        assertThat(chat.notices).hasSize(1);
    }

    @Test
    void dryRun_withAnnouncementAndRolloutNotifier_listsEveryNoticeAndWhoGetsItAndSendsNone() {
        Recorder chat = Recorder.working("chat");
        Notifications ops = to(chat);
        List<String> asked = new CopyOnWriteArrayList<>();
        Rollout rollout = staged(plan(""), Announcement.to(ops).leadTime(Duration.ofHours(24)).required())
                .approval(Approval.by(req -> {
                    asked.add(req.wave());
                    return CompletableFuture.completedFuture(ApprovalDecision.approve("cab"));
                }))
                .wave(Wave.builder("production-eu").targets("eu-1"))
                .build();
        RolloutNotifier told = ops.forRollout(rollout);

        RolloutResult r = rollouter().dryRun().withRolloutListener(told).run(rollout);

        assertThat(chat.notices).isEmpty();
        assertThat(asked).isEmpty();
        CheckpointResult cp = r.wave("production").checkpoints().get(1);
        assertThat(cp.outcome()).isEqualTo(CheckpointResult.Outcome.NOT_EVALUATED);
        assertThat(cp.detail()).startsWith("would send \"Planned change: rollout patch-fleet, wave production starts at ")
                .contains("to production application owners via chat at ", "then a live run waits 1 d 00 h",
                        "nothing was sent");
        assertThat(told.deliveries()).extracting(Delivery::outcome).containsOnly(Delivery.Outcome.DRY_RUN);
        assertThat(told.deliveries()).extracting(d -> d.notice().moment())
                .containsExactly(Moment.BEFORE_START, Moment.APPROVAL_REQUESTED, Moment.COMPLETED);
        assertThat(told.deliveries()).extracting(Delivery::destination).containsOnly("chat");
        assertThat(told.deliveries().get(1).toString()).startsWith(
                "would send \"Approval requested: rollout patch-fleet, wave production-eu\" to production application owners via chat at ");
    }

    @Test
    void rolloutNotifier_whenApprovalIsAsked_notifiesBeforeTheApproverIsCalled() {
        Notifications ops = Notifications.builder(Notifier.of("chat", n -> order.add("notice: " + n.subject())))
                .addMoments(Moment.APPROVAL_REQUESTED).build();
        Rollout rollout = Rollout.builder("patch-fleet", plan("")).inputs(t -> Inputs.of(HOST, t, TOKEN, SECRET))
                .wave(Wave.builder("non-production").targets("dev-1"))
                .approval(Approval.by(req -> {
                    order.add("approver asked");
                    return CompletableFuture.completedFuture(ApprovalDecision.approve("cab"));
                }))
                .wave(Wave.builder("production").targets("prod-1"))
                .build();
        RolloutNotifier told = ops.forRollout(rollout);

        rollouter().withRolloutListener(told).run(rollout);

        assertThat(order).containsExactly("notice: Approval requested: rollout patch-fleet, wave production",
                "approver asked");
        assertThat(told.deliveries().get(0).notice().body()).contains("So far: wave non-production: succeeded [dev-1]");
    }

    @Test
    void rolloutNotifier_whenTheRolloutHalts_sendsACriticalNoticeWithTheReasonAndNoSecret() {
        Recorder chat = Recorder.working("chat");
        Notifications ops = Notifications.builder(chat).addMoments(Moment.FAILED, Moment.COMPLETED).build();
        Rollout rollout = staged(plan("dev-2"), Announcement.to(ops)).build();
        RolloutNotifier told = ops.forRollout(rollout);

        RolloutResult r = rollouter().withRolloutListener(told).run(rollout);

        assertThat(r.status()).isEqualTo(RolloutStatus.HALTED);
        // the failing step quotes the secret input; the run masks it in the failure itself
        assertThat(r.toJson()).doesNotContain(SECRET).contains("****");
        assertThat(chat.notices).hasSize(1);
        Notice n = chat.notices.get(0);
        assertThat(n.moment()).isEqualTo(Moment.FAILED);
        assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(n.subject()).isEqualTo("Halted: rollout patch-fleet");
        assertThat(n.body()).contains("Outcome: HALTED — wave non-production: 1 target(s) failed",
                "Which targets: wave non-production: succeeded [dev-1], failed [dev-2]");
        assertThat(chat.allText()).doesNotContain(SECRET);
    }

    @Test
    void rolloutNotifier_whenANotifierFails_theRolloutStillSucceeds() {
        Notifications ops = Notifications.builder(Recorder.failing("mail")).build();
        Rollout rollout = staged(plan(""), Announcement.to(Notifications.builder(Recorder.working("chat")).build()))
                .build();
        RolloutNotifier told = ops.forRollout(rollout);

        RolloutResult r = rollouter().withRolloutListener(told).run(rollout);

        assertThat(r.status()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(told.deliveries()).extracting(Delivery::outcome).containsOnly(Delivery.Outcome.FAILED);
        assertThat(told.deliveries()).extracting(d -> d.notice().moment())
                .containsExactly(Moment.BEFORE_START, Moment.COMPLETED);
    }
}
