package dev.stepwise.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import org.junit.jupiter.api.Test;

class RunNotifierTest {
    private static final Key<String> HOST = Key.of("host", String.class);
    private static final Key<String> PASSWORD = Key.secret("password", String.class);
    private static final String SECRET = "pw-Zq81!secret";

    private final VirtualTimeSource time = VirtualTimeSource.create();
    private final Inputs inputs = Inputs.of(HOST, "db-1", PASSWORD, SECRET);

    private Plan plan(boolean upgradeFails) {
        return Plan.builder("upgrade-db").describedAs("minor version upgrade of the database")
                .input(Input.required(HOST)).input(Input.required(PASSWORD))
                .step(Step.mutating("snapshot").run(ctx -> { }))
                .step(Step.mutating("upgrade").reads(PASSWORD).run(ctx -> {
                    if (upgradeFails) {
                        throw new IllegalStateException("login as admin/" + ctx.get(PASSWORD) + " refused");
                    }
                }))
                .build();
    }

    private Notifications ops(Notifier n) {
        return Notifications.builder(n).audience("database users").impact("5 minutes of downtime")
                .addBackupSteps("snapshot").build();
    }

    @Test
    void forRun_whenThePlanSucceeds_notifiesBeforeAndAfterWithTheFactsAndTheBackupsMade() {
        Recorder mail = Recorder.working("mail");
        Plan plan = plan(false);

        RunResult r = Runner.create().withTimeSource(time).withListener(ops(mail).forRun(plan, inputs)).run(plan, inputs);

        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(mail.notices).extracting(Notice::moment).containsExactly(Moment.BEFORE_START, Moment.COMPLETED);
        Notice before = mail.notices.get(0);
        assertThat(before.subject()).isEqualTo("Starting: plan upgrade-db");
        assertThat(before.body()).contains("What: plan upgrade-db — minor version upgrade of the database",
                "Which targets: inputs host=db-1, password=****", "Expected impact: 5 minutes of downtime");
        Notice after = mail.notices.get(1);
        assertThat(after.severity()).isEqualTo(Severity.INFO);
        assertThat(after.body()).contains("Outcome: SUCCEEDED", "Backups made: snapshot (succeeded at ");
    }

    @Test
    void forRun_whenAStepFailsWithTheSecretInItsMessage_sendsACriticalNoticeWithTheSecretBlanked() {
        Recorder mail = Recorder.working("mail");
        Plan plan = plan(true);

        RunResult r = Runner.create().withTimeSource(time).withListener(ops(mail).forRun(plan, inputs)).run(plan, inputs);

        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        Notice failed = mail.notices.get(1);
        assertThat(failed.moment()).isEqualTo(Moment.FAILED);
        assertThat(failed.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(failed.subject()).isEqualTo("Failed: plan upgrade-db FAILED");
        assertThat(failed.body()).contains("step upgrade failed after 1 attempt(s)", "login as admin/**** refused");
        assertThat(mail.allText()).doesNotContain(SECRET);
    }

    @Test
    void forRun_whenTheNotifierFails_theRunStillSucceedsAndTheFailureIsRecorded() {
        Plan plan = plan(false);
        RunNotifier told = ops(Recorder.failing("mail")).forRun(plan, inputs);

        RunResult r = Runner.create().withTimeSource(time).withListener(told).run(plan, inputs);

        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(told.deliveries()).hasSize(2).allSatisfy(d -> {
            assertThat(d.outcome()).isEqualTo(Delivery.Outcome.FAILED);
            assertThat(d.detail()).isEqualTo("NotifyException: mail is down");
        });
    }

    @Test
    void forRun_inADryRun_listsTheNoticesAndSendsNone() {
        Recorder mail = Recorder.working("mail");
        Plan plan = plan(false);
        RunNotifier told = ops(mail).forRun(plan, inputs);

        Runner.create().withTimeSource(time).dryRun().withListener(told).run(plan, inputs);

        assertThat(mail.notices).isEmpty();
        assertThat(told.deliveries()).extracting(Delivery::toString).containsExactly(
                "would send \"Starting: plan upgrade-db\" to database users via mail at " + time.now(),
                "would send \"Completed: plan upgrade-db SUCCEEDED\" to database users via mail at " + time.now());
    }

    @Test
    void forRun_onlyAtChosenMoments_sendsNothingElse() {
        Recorder mail = Recorder.working("mail");
        Plan plan = plan(false);
        Notifications onFailure = Notifications.builder(mail).addMoments(Moment.FAILED).build();

        Runner.create().withTimeSource(time).withListener(onFailure.forRun(plan, inputs)).run(plan, inputs);

        assertThat(mail.notices).isEmpty();
    }
}
