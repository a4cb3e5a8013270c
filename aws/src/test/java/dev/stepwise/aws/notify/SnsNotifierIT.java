package dev.stepwise.aws.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.Testbed;
import dev.stepwise.aws.testkit.MotoExtension;
import dev.stepwise.core.notify.Announcement;
import dev.stepwise.core.notify.Moment;
import dev.stepwise.core.notify.Notice;
import dev.stepwise.core.notify.Notifications;
import dev.stepwise.core.notify.NotifyException;
import dev.stepwise.core.notify.Severity;
import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.rollout.Wave;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sns.SnsClient;

class SnsNotifierIT {
    @RegisterExtension
    static final MotoExtension MOTO = MotoExtension.create();

    private static final Key<String> INSTANCE_ID = Key.of("InstanceId", String.class);
    private static final Key<String> DB_PASSWORD = Key.secret("DbPassword", String.class);
    private static final String SECRET = "db-pw-7Hq2-never-shown";

    private final VirtualTimeSource time = VirtualTimeSource.create();
    private final Map<String, Instant> startedAt = new ConcurrentHashMap<>();
    private AwsContext aws;
    private String topicArn;

    @BeforeEach
    void setUp() {
        aws = Testbed.context(MOTO.proxy());
        try (SnsClient sns = aws.configure(SnsClient.builder()).credentialsProvider(aws.credentials()).build()) {
            topicArn = sns.createTopic(r -> r.name("maintenance")).topicArn();
        }
    }

    @AfterEach
    void tearDown() {
        aws.close();
    }

    private Rollout staged(Announcement.Builder announcement) {
        Plan plan = Plan.builder("patch-host").input(Input.required(INSTANCE_ID)).input(Input.required(DB_PASSWORD))
                .step(Step.mutating("install").reads(INSTANCE_ID).run(ctx -> startedAt.put(ctx.get(INSTANCE_ID), time.now())))
                .build();
        return Rollout.builder("patch-fleet", plan).inputs(t -> Inputs.of(INSTANCE_ID, t, DB_PASSWORD, SECRET))
                .wave(Wave.builder("non-production").targets("i-0aaaaaaaaaaaaaaa1"))
                .soak(Duration.ofDays(7))
                .announce(announcement)
                .wave(Wave.builder("production").targets("i-0bbbbbbbbbbbbbbb1", "i-0bbbbbbbbbbbbbbb2"))
                .build();
    }

    @Test
    void send_toATopic_publishesSubjectAndTextThatMotoRecorded() throws Exception {
        try (SnsNotifier sns = SnsNotifier.create(aws, topicArn)) {
            sns.send(Notice.builder().moment(Moment.COMPLETED).severity(Severity.INFO)
                    .subject("Completed: rollout patch-fleet").body("Outcome: SUCCEEDED").audience("owners")
                    .source("rollout patch-fleet (r-1)").at(Instant.EPOCH).build());
        }

        assertThat(MotoState.published(MOTO.server(), topicArn)).containsExactly(new MotoState.Published(
                "Completed: rollout patch-fleet", "Completed: rollout patch-fleet\n\nOutcome: SUCCEEDED"));
    }

    @Test
    void stagedRollout_announcing24HoursBeforeProduction_publishesThenWaitsTheLeadTimeOnTheVirtualClock() throws Exception {
        RolloutResult r;
        try (SnsNotifier sns = SnsNotifier.create(aws, topicArn)) {
            Notifications owners = Notifications.builder(sns).audience("production application owners")
                    .impact("each instance reboots once").backups("an AMI of every instance").build();
            r = Runner.create().withTimeSource(time)
                    .run(staged(Announcement.to(owners).leadTime(Duration.ofHours(24)).required()));
        }

        assertThat(r.status()).isEqualTo(RolloutStatus.SUCCEEDED);
        Instant announced = VirtualTimeSource.DEFAULT_START.plus(Duration.ofDays(7));
        List<MotoState.Published> published = MotoState.published(MOTO.server(), topicArn);
        assertThat(published).singleElement().satisfies(p -> {
            assertThat(p.subject()).isEqualTo("Planned change: rollout patch-fleet, wave production starts at "
                    + announced.plus(Duration.ofHours(24)) + " (in 1 d 00 h)");
            assertThat(p.message()).contains("i-0bbbbbbbbbbbbbbb1, i-0bbbbbbbbbbbbbbb2", "each instance reboots once",
                    "an AMI of every instance").doesNotContain(SECRET);
        });
        assertThat(startedAt.get("i-0bbbbbbbbbbbbbbb1")).isEqualTo(announced.plus(Duration.ofHours(24)));
        assertThat(time.waits()).containsExactly(Duration.ofDays(7), Duration.ofHours(24));
    }

    @Test
    void stagedRollout_whenTheTopicDoesNotExistAndTheNoticeIsRequired_haltsBeforeProductionSayingWhy() throws Exception {
        String missing = topicArn.replace("maintenance", "no-such-topic");
        RolloutResult r;
        try (SnsNotifier sns = SnsNotifier.create(aws, missing)) {
            r = Runner.create().withTimeSource(time)
                    .run(staged(Announcement.to(Notifications.builder(sns).build()).leadTime(Duration.ofHours(24)).required()));
        }

        assertThat(r.status()).isEqualTo(RolloutStatus.HALTED);
        assertThat(r.reason()).contains("required before wave production and could not be sent",
                "SNS topic " + missing, "SNS publish to " + missing + " failed");
        assertThat(startedAt).containsOnlyKeys("i-0aaaaaaaaaaaaaaa1");
    }

    @Test
    void stagedRollout_whenTheTopicDoesNotExistAndTheNoticeIsNotRequired_goesOnToProduction() throws Exception {
        String missing = topicArn.replace("maintenance", "no-such-topic");
        RolloutResult r;
        try (SnsNotifier sns = SnsNotifier.create(aws, missing)) {
            r = Runner.create().withTimeSource(time)
                    .run(staged(Announcement.to(Notifications.builder(sns).build()).leadTime(Duration.ofHours(24))));
        }

        assertThat(r.status()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(r.wave("production").checkpoints().get(1).detail()).contains("could not send", "not required");
        assertThat(startedAt).containsKeys("i-0bbbbbbbbbbbbbbb1", "i-0bbbbbbbbbbbbbbb2");
    }

    @Test
    void stagedRollout_inADryRun_showsTheNoticeAndPublishesNothing() throws Exception {
        RolloutResult r;
        try (SnsNotifier sns = SnsNotifier.create(aws, topicArn)) {
            Notifications owners = Notifications.builder(sns).audience("production application owners").build();
            r = Runner.create().withTimeSource(time).dryRun()
                    .run(staged(Announcement.to(owners).leadTime(Duration.ofHours(24)).required()));
        }

        assertThat(MotoState.published(MOTO.server(), topicArn)).isEmpty();
        assertThat(startedAt).isEmpty();
        assertThat(r.wave("production").checkpoints().get(1).detail())
                .contains("would send \"Planned change: rollout patch-fleet, wave production",
                        "to production application owners via SNS topic " + topicArn, "nothing was sent");
    }

    @Test
    void send_toAMissingTopic_throwsNotifyExceptionNamingTheTopic() {
        String missing = topicArn.replace("maintenance", "gone");
        try (SnsNotifier sns = SnsNotifier.create(aws, missing)) {
            assertThatThrownBy(() -> sns.send(Notice.builder().moment(Moment.FAILED).severity(Severity.CRITICAL)
                    .subject("Halted").body("x").audience("owners").source("rollout r").at(Instant.EPOCH).build()))
                    .isInstanceOf(NotifyException.class)
                    .hasMessageContaining("SNS publish to " + missing + " failed");
        }
    }
}
