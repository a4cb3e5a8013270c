package dev.stepwise.aviatrix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.aviatrix.testkit.FakeController;
import dev.stepwise.aviatrix.testkit.FakeController.RecordedRequest;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Prediction;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.StepStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A full stepped upgrade in every era the reference documents, against the era-speaking fake. What happened is read
 * from the fake's state: versions reached, the requests with their method, endpoint and parameters, the backups with
 * the parameter names each era takes.
 */
class AviatrixEraUpgradeIT {

    private static final BackupRequest BACKUP = BackupRequest.of(CloudType.AWS, "aws-primary", "controller-backups");
    private static final Set<String> READS = Set.of("list_version_info", "get_cloudn_backup_config",
            "list_vpcs_summary", "get_account_audit_records");

    private final VirtualTimeSource time = VirtualTimeSource.create();
    private final Runner runner = Runner.create().withTimeSource(time);

    private static ControllerUpgrade upgrade(FakeController fake, Consumer<ControllerUpgrade.Builder> options) {
        ControllerUpgrade.Builder b = ControllerUpgrade.builder().
                client(FakeClients.client(fake)).
                train(FakeController.DEFAULT_TRAIN).
                backup(BACKUP);
        options.accept(b);
        return b.build();
    }

    private RunResult run(FakeController fake, String target) {
        return runner.run(upgrade(fake, b -> { }).plan(), Inputs.of(ControllerUpgrade.TARGET_VERSION, target));
    }

    private static List<String> where(FakeController fake, String action) {
        return fake.requests(action).stream().map(r -> r.method() + " " + r.path()).toList();
    }

    private static void assertReadsAreGet(FakeController fake) {
        assertThat(fake.requests()).filteredOn(r -> READS.contains(r.action()))
                .extracting(RecordedRequest::method).containsOnly("GET");
    }

    private static void assertBackupsBeforeEveryHopAndAfterTheLast(FakeController fake, List<String> takenOn) {
        assertThat(fake.backups()).extracting(FakeController.Backup::controllerVersion)
                .containsExactlyElementsOf(takenOn);
        assertThat(fake.backups()).allSatisfy(b -> assertThat(b.now()).isTrue());
    }

    @Test
    void run_when31To35_usesUserconnectReleaseThroughThe32AndGetUpgradeFrom33() {
        try (FakeController fake = FakeController.builder().version("3.1").start()) {
            RunResult r = run(fake, "3.5");

            assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(fake.versionsReached()).containsExactly("3.1", "3.2", "3.3", "3.4", "3.5");
            // up to 3.2 the provider sends userconnect_release, 3.2 included [V1]
            assertThat(where(fake, "userconnect_release")).containsExactly("POST /v1/backend1", "POST /v1/backend1");
            // 3.3-6.4: GET /v1/api upgrade with the version [V2, V3]
            assertThat(where(fake, "upgrade")).containsExactly("GET /v1/api", "GET /v1/api");
            assertThat(fake.requests("upgrade")).extracting(q -> q.params().get("version"))
                    .containsExactly("3.4", "3.5");
            // before 7.0 there is no token endpoint: every get_api_token is a 404, and login goes to /v1/api [H1]
            assertThat(fake.requests("get_api_token")).isNotEmpty().extracting(RecordedRequest::status)
                    .contains(404).doesNotContain(200);
            assertThat(where(fake, "login")).containsOnly("POST /v1/api");
            assertBackupsBeforeEveryHopAndAfterTheLast(fake, List.of("3.1", "3.2", "3.3", "3.4", "3.5"));
            // up to 7.0: account_name and multiple [B0]
            assertThat(fake.backups()).allSatisfy(b -> assertThat(b.params()).containsEntry("account_name",
                    "aws-primary").containsEntry("multiple", "true").doesNotContainKeys("acct_name", "multiple_bkup"));
            assertReadsAreGet(fake);
            UpgradeReport report = r.output(ControllerUpgrade.UPGRADE_REPORT).orElseThrow();
            assertThat(report.backups()).hasSize(5);
            assertThat(report.backups().get(4).afterLastHop()).isTrue();
        }
    }

    @Test
    void run_when47To51_goesThrough50WithSynchronousUpgrades() {
        try (FakeController fake = FakeController.builder().version("4.7").start()) {
            RunResult r = run(fake, "5.1");

            assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(fake.versionsReached()).containsExactly("4.7", "5.0", "5.1");
            assertThat(where(fake, "upgrade")).containsExactly("GET /v1/api", "GET /v1/api");
            assertThat(fake.requests()).extracting(RecordedRequest::action)
                    .doesNotContain("check_upgrade_status", "platform_upgrade_status", "userconnect_release");
            assertBackupsBeforeEveryHopAndAfterTheLast(fake, List.of("4.7", "5.0", "5.1"));
            assertReadsAreGet(fake);
        }
    }

    @Test
    void run_when64To66_switchesFromSynchronousToCheckUpgradeStatusAt65() {
        try (FakeController fake = FakeController.builder().version("6.4").start()) {
            RunResult r = run(fake, "6.6");

            assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(fake.versionsReached()).containsExactly("6.4", "6.5.2608", "6.6.5612");
            assertThat(where(fake, "upgrade")).containsExactly("GET /v1/api", "POST /v1/api");
            assertThat(fake.requests("upgrade").get(1).params()).containsEntry("async", "true")
                    .containsEntry("version", "6.6");
            // 6.5: check_upgrade_status with id and pos on /v1/backend1 [V4, V5]
            assertThat(fake.requests("check_upgrade_status")).isNotEmpty().allSatisfy(q -> {
                assertThat(q.method() + " " + q.path()).isEqualTo("POST /v1/backend1");
                assertThat(q.params()).containsEntry("id", "1002").containsEntry("pos", "0");
            });
            assertBackupsBeforeEveryHopAndAfterTheLast(fake, List.of("6.4", "6.5.2608", "6.6.5612"));
            assertReadsAreGet(fake);
        }
    }

    @Test
    void run_when651800To68_movesToTheLatestBuildOfEachMinorFirst() {
        try (FakeController fake = FakeController.builder().version("6.5.1800").start()) {
            RunResult r = run(fake, "6.8");

            assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
            // 6.5.1922+, 6.6.5612+, 6.7.1376+ before the next minor [RN 6.6.5224, 6.6.5612, 6.8.1148]
            assertThat(fake.versionsReached()).containsExactly("6.5.1800", "6.5.2608", "6.6.5612", "6.7.1376",
                    "6.8.1148");
            assertThat(fake.requests("upgrade")).extracting(q -> q.params().get("version"))
                    .containsExactly("6.5.2608", "6.6.5612", "6.7.1376", "6.8");
            assertThat(fake.requests()).extracting(RecordedRequest::action).doesNotContain("platform_upgrade_status");
            assertBackupsBeforeEveryHopAndAfterTheLast(fake,
                    List.of("6.5.1800", "6.5.2608", "6.6.5612", "6.7.1376", "6.8.1148"));
            assertReadsAreGet(fake);
        }
    }

    @Test
    void run_when69To71_logsInWithTheTokenFrom70AndKeeps70sActionsOnV1() {
        try (FakeController fake = FakeController.builder().version("6.9.733").start()) {
            RunResult r = run(fake, "7.1");

            assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(fake.versionsReached()).containsExactly("6.9.733", "7.0.1373", "7.1.1794");
            assertThat(where(fake, "upgrade")).containsExactly("POST /v1/api", "POST /v1/api");
            // from 7.0 login is on /v2/api with the token [C2]
            assertThat(fake.requests("login")).filteredOn(q -> q.path().equals("/v2/api"))
                    .isNotEmpty().allSatisfy(q -> assertThat(q.headers()).containsKey("x-access-key"));
            assertThat(fake.requests("login")).filteredOn(q -> q.path().equals("/v1/api"))
                    .allSatisfy(q -> assertThat(q.headers()).doesNotContainKey("x-access-key"));
            // 6.9 and 7.0 upgrades are followed with check_upgrade_status, never platform_upgrade_status
            assertThat(fake.requests()).extracting(RecordedRequest::action).doesNotContain("platform_upgrade_status");
            assertBackupsBeforeEveryHopAndAfterTheLast(fake, List.of("6.9.733", "7.0.1373", "7.1.1794"));
            assertThat(fake.backups().get(2).params()).containsKey("acct_name").containsEntry("multiple_bkup", "true");
            assertReadsAreGet(fake);
        }
    }

    @Test
    void run_when71To72_usesPlatformUpgradeStatusOnV2AndThe72BackupNames() {
        try (FakeController fake = FakeController.builder().version("7.1.1794").start()) {
            RunResult r = run(fake, "7.2");

            assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(fake.versionsReached()).containsExactly("7.1.1794", "7.2.4820");
            assertThat(where(fake, "upgrade")).containsExactly("POST /v2/api");
            assertThat(fake.requests("platform_upgrade_status")).isNotEmpty()
                    .allSatisfy(q -> assertThat(q.params()).containsEntry("platform_only", "true"));
            assertBackupsBeforeEveryHopAndAfterTheLast(fake, List.of("7.1.1794", "7.2.4820"));
            // 7.1: acct_name and multiple_bkup [B1]; 7.2: acct_name, region, bucket_name [B2]
            assertThat(fake.backups().get(0).params()).containsKeys("acct_name", "multiple_bkup", "bucket_name")
                    .doesNotContainKeys("account_name", "multiple");
            assertThat(fake.backups().get(1).params()).containsKeys("acct_name", "region", "bucket_name");
            assertReadsAreGet(fake);
        }
    }

    @Test
    void dryRun_when31To35_predictsEachErasCallsAndChangesNothing() {
        try (FakeController fake = FakeController.builder().version("3.1").start()) {
            RunResult r = runner.dryRun().run(upgrade(fake, b -> { }).plan(),
                    Inputs.of(ControllerUpgrade.TARGET_VERSION, "3.5"));

            assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(fake.versionsReached()).containsExactly("3.1");
            assertThat(fake.backups()).isEmpty();
            var walk = r.step(ControllerUpgrade.UPGRADE_STEP).orElseThrow();
            assertThat(walk.status()).isEqualTo(StepStatus.PREDICTED);
            List<String> calls = walk.predictions().stream().filter(Prediction::isCall).map(Prediction::operation)
                    .filter(o -> !o.equals("login") && !o.equals("list_version_info")).toList();
            assertThat(calls).containsExactly(
                    "enable_cloudn_backup_config", "userconnect_release",
                    "enable_cloudn_backup_config", "userconnect_release",
                    "enable_cloudn_backup_config", "upgrade",
                    "enable_cloudn_backup_config", "upgrade",
                    "enable_cloudn_backup_config");
            assertThat(walk.predictions()).extracting(Prediction::toString)
                    .filteredOn(p -> p.contains("OpenVPN")).hasSize(4);
        }
    }
}
