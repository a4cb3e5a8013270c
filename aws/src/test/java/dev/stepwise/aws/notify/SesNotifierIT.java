package dev.stepwise.aws.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.Testbed;
import dev.stepwise.aws.testkit.MotoExtension;
import dev.stepwise.core.notify.Delivery;
import dev.stepwise.core.notify.Moment;
import dev.stepwise.core.notify.Notice;
import dev.stepwise.core.notify.Notifications;
import dev.stepwise.core.notify.NotifyException;
import dev.stepwise.core.notify.RunNotifier;
import dev.stepwise.core.notify.Severity;
import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ses.SesClient;

class SesNotifierIT {
    @RegisterExtension
    static final MotoExtension MOTO = MotoExtension.create();

    private static final String FROM = "maintenance@example.com";
    private static final Key<String> DB = Key.of("db", String.class);
    private static final Key<String> PASSWORD = Key.secret("password", String.class);
    private static final String SECRET = "s3cr3t-Vpn-Admin-42";

    private AwsContext aws;

    @BeforeEach
    void setUp() {
        aws = Testbed.context(MOTO.proxy());
        try (SesClient ses = aws.configure(SesClient.builder()).credentialsProvider(aws.credentials()).build()) {
            ses.verifyEmailIdentity(r -> r.emailAddress(FROM));
        }
    }

    @AfterEach
    void tearDown() {
        aws.close();
    }

    private SesNotifier mail(String from) {
        return SesNotifier.builder(aws).from(from).to("app-owners@example.com", "vpn-users@example.com").build();
    }

    @Test
    void send_fromAVerifiedAddress_emailsEveryAddressOnTheListAsMotoRecorded() throws Exception {
        try (SesNotifier ses = mail(FROM)) {
            ses.send(Notice.builder().moment(Moment.BEFORE_START).severity(Severity.INFO)
                    .subject("Starting: plan upgrade-gateways").body("Expected impact: connected VPN users are disconnected")
                    .audience("VPN users").source("plan run r-1").at(Instant.EPOCH).build());
        }

        assertThat(MotoState.sent(MOTO.server())).containsExactly(new MotoState.Sent(FROM,
                List.of("app-owners@example.com", "vpn-users@example.com"), "Starting: plan upgrade-gateways",
                "Expected impact: connected VPN users are disconnected"));
    }

    @Test
    void send_fromAnUnverifiedAddress_throwsNotifyExceptionAndSendsNothing() throws Exception {
        try (SesNotifier ses = mail("someone-else@example.com")) {
            assertThatThrownBy(() -> ses.send(Notice.builder().moment(Moment.FAILED).severity(Severity.CRITICAL)
                    .subject("Failed").body("x").audience("owners").source("plan run r-1").at(Instant.EPOCH).build()))
                    .isInstanceOf(NotifyException.class)
                    .hasMessageContaining("SES e-mail from someone-else@example.com to 2 address(es) failed");
        }
        assertThat(MotoState.sent(MOTO.server())).isEmpty();
    }

    @Test
    void forRun_withSes_emailsBeforeAndAfterThePlanRunWithoutTheSecretInput() throws Exception {
        Plan plan = Plan.builder("upgrade-gateways").input(Input.required(DB)).input(Input.required(PASSWORD))
                .step(Step.mutating("backup").run(ctx -> { }))
                .step(Step.mutating("upgrade").reads(PASSWORD).run(ctx -> { }))
                .build();
        Inputs inputs = Inputs.of(DB, "gw-1", PASSWORD, SECRET);
        RunResult r;
        RunNotifier told;
        try (SesNotifier ses = mail(FROM)) {
            told = Notifications.builder(ses).audience("VPN users").impact("connected VPN users are disconnected")
                    .addBackupSteps("backup").build().forRun(plan, inputs);
            r = Runner.create().withTimeSource(VirtualTimeSource.create()).withListener(told).run(plan, inputs);
        }

        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(told.deliveries()).extracting(Delivery::outcome).containsOnly(Delivery.Outcome.SENT);
        List<MotoState.Sent> sent = MotoState.sent(MOTO.server());
        assertThat(sent).extracting(MotoState.Sent::subject)
                .containsExactly("Starting: plan upgrade-gateways", "Completed: plan upgrade-gateways SUCCEEDED");
        assertThat(sent.get(0).body()).contains("db=gw-1, password=****", "connected VPN users are disconnected");
        assertThat(sent.get(1).body()).contains("Backups made: backup (succeeded at ");
        assertThat(sent).allSatisfy(s -> assertThat(s.subject() + s.body()).doesNotContain(SECRET));
    }

    @Test
    void forRun_whenSesRejectsTheSender_theRunStillSucceeds() throws Exception {
        Plan plan = Plan.builder("upgrade-gateways").step(Step.mutating("upgrade").run(ctx -> { })).build();
        RunResult r;
        RunNotifier told;
        try (SesNotifier ses = mail("unverified@example.com")) {
            told = Notifications.builder(ses).build().forRun(plan, Inputs.empty());
            r = Runner.create().withListener(told).run(plan, Inputs.empty());
        }

        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(told.deliveries()).hasSize(2).extracting(Delivery::outcome).containsOnly(Delivery.Outcome.FAILED);
        assertThat(MotoState.sent(MOTO.server())).isEmpty();
    }
}
