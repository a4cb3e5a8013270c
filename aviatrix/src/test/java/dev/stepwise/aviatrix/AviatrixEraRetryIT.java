package dev.stepwise.aviatrix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.aviatrix.testkit.FakeController;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Retries never double an action: a start whose answer is lost is followed, not re-sent; "Active upgrade in
 * progress." is handled per era [V1, V2: up to 6.4 wait and send again; from 6.5 read the progress].
 */
class AviatrixEraRetryIT {

    private static final BackupRequest BACKUP = BackupRequest.of(CloudType.AWS, "aws-primary", "controller-backups");

    private final Runner runner = Runner.create().withTimeSource(VirtualTimeSource.create());

    private RunResult run(FakeController fake, String target) {
        ControllerUpgrade upgrade = ControllerUpgrade.builder().client(FakeClients.client(fake))
                .train(FakeController.DEFAULT_TRAIN).backup(BACKUP).upgradeTimeout(Duration.ofMinutes(5)).build();
        return runner.run(upgrade.plan(), Inputs.of(ControllerUpgrade.TARGET_VERSION, target));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"3.1, 3.2, 3.2, userconnect_release", "3.4, 3.5, 3.5, upgrade", "6.5.2608, 6.6, 6.6.5612, upgrade",
            "7.0.1373, 7.1, 7.1.1794, upgrade", "7.1.1794, 7.2, 7.2.4820, upgrade"})
    void run_when502AnswersTheUpgradeStart_neverSendsASecondStartAndFinishesTheHop(String from, String to,
            String reached, String action) {
        try (FakeController fake = FakeController.builder().version(from).unavailableDuringStart(1).start()) {
            RunResult r = run(fake, to);

            assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(fake.requestCount(action)).as(action + " requests").isEqualTo(1);
            assertThat(fake.requests(action).get(0).status()).isEqualTo(502);
            assertThat(fake.upgrades()).hasSize(1);
            assertThat(fake.version()).isEqualTo(reached);
        }
    }

    @Test
    void run_whenTheBackupAnswerIsLost_neverResendsItAndNeverUpgrades() {
        try (FakeController fake = FakeController.builder().version("7.1.1794").unavailableDuringBackup(1).start()) {
            RunResult r = run(fake, "7.2");

            assertThat(r.status()).isEqualTo(RunStatus.FAILED);
            assertThat(r.failure().message()).contains("was not sent again").contains("enabled=yes");
            assertThat(fake.requestCount("enable_cloudn_backup_config")).isEqualTo(1);
            assertThat(fake.backups()).hasSize(1);
            assertThat(fake.requestCount("upgrade")).isZero();
        }
    }

    @Test
    void run_whenSynchronousEraSaysActiveUpgrade_waitsAndSendsTheStartAgain() {
        try (FakeController fake = FakeController.builder().version("3.4").activeUpgradeAnswers(2).start()) {
            RunResult r = run(fake, "3.5");

            assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(fake.requestCount("upgrade")).isEqualTo(3);
            assertThat(fake.requests("upgrade")).extracting(q -> q.method()).containsOnly("GET");
            assertThat(fake.version()).isEqualTo("3.5");
        }
    }

    @Test
    void run_when65SaysActiveUpgrade_readsProgressAndNeverSendsTheStartAgain() {
        try (FakeController fake = FakeController.builder().version("6.5.2608").activeUpgradeAnswers(1).start()) {
            RunResult r = run(fake, "6.6");

            // nothing was really upgrading, so the version never moves: the hop fails after its timeout, unrepeated
            assertThat(r.status()).isEqualTo(RunStatus.FAILED);
            assertThat(r.failure().message()).contains("never confirmed")
                    .contains("Active upgrade in progress.");
            assertThat(fake.requestCount("upgrade")).isEqualTo(1);
            assertThat(fake.version()).isEqualTo("6.5.2608");
        }
    }
}
