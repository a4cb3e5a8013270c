package dev.stepwise.aviatrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.aviatrix.testkit.FakeController;
import dev.stepwise.aviatrix.testkit.FakeController.AuditRecord;
import dev.stepwise.aviatrix.testkit.FakeController.RecordedRequest;
import dev.stepwise.aviatrix.testkit.FakeControllerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AviatrixClientIT {

    @RegisterExtension
    final FakeControllerExtension controller = FakeControllerExtension.with(b -> b.
            version("6.5.2608").
            previousVersion("6.4").
            gateway("spoke-1").
            gateway("transit-1").
            inProgressPolls(2).
            unavailableResponses(3).
            audit(new AuditRecord("aws-primary", "Pass", "ok"),
                    new AuditRecord("aws-legacy", "Fail: policy outdated", "update aviatrix-app-policy")));

    @Test
    void login_whenCredentialsValid_sendsApiTokenHeaderAndUsesReturnedCid(FakeController fake) {
        AviatrixClient client = FakeClients.client(fake);

        client.login();
        ControllerVersion version = client.currentVersion();

        assertThat(version).isEqualTo(ControllerVersion.parse("6.5.2608"));
        assertThat(fake.requests("get_api_token")).singleElement().extracting(RecordedRequest::method).isEqualTo("GET");
        RecordedRequest login = fake.requests("login").get(0);
        assertThat(login.method()).isEqualTo("POST");
        assertThat(login.headers().get("x-access-key")).singleElement().asString().isNotBlank();
        assertThat(login.params()).containsEntry("username", "admin");
        assertThat(fake.requests("list_version_info").get(0).params().get("CID")).isNotBlank();
        assertThat(client.toString()).contains("session=active");
    }

    @Test
    void call_whenNoLoginYet_logsInFirst(FakeController fake) {
        assertThat(FakeClients.client(fake).versionInfo(true)).isEqualTo(new VersionInfo(
                ControllerVersion.parse("6.5.2608"), java.util.Optional.of(ControllerVersion.parse("6.4")),
                java.util.Optional.of(ControllerVersion.parse("7.1.1794"))));
        assertThat(fake.requestCount("login")).isEqualTo(1);
    }

    @Test
    void latestVersion_whenAsked_returnsControllersLatest(FakeController fake) {
        assertThat(FakeClients.client(fake).latestVersion()).hasToString("7.1.1794");
        assertThat(fake.requests("list_version_info").get(0).params()).containsEntry("latest_version", "true");
    }

    @Test
    void login_whenPasswordWrong_throwsApiExceptionWithControllersReason(FakeController fake) {
        AviatrixClient client = FakeClients.builder(fake).password("wrong-Passw0rd".toCharArray()).build();

        assertThatThrownBy(client::login)
                .isInstanceOf(AviatrixApiException.class)
                .hasMessageContaining("login")
                .hasMessageContaining("Invalid username or password.")
                .hasMessageNotContaining("wrong-Passw0rd")
                .satisfies(e -> assertThat(((AviatrixApiException) e).action()).isEqualTo("login"));
    }

    @Test
    void login_whenControllerHasNoApiToken_logsInWithoutHeader() {
        try (FakeController fake = FakeController.builder().withoutApiToken().start()) {
            AviatrixClient client = FakeClients.client(fake);

            client.login();

            assertThat(fake.requests("login").get(0).headers()).doesNotContainKey("x-access-key");
            assertThat(client.currentVersion()).hasToString(FakeController.DEFAULT_VERSION);
        }
    }

    @Test
    void apiVersionV1_whenLegacyController_works() {
        try (FakeController fake = FakeController.builder().version("UserConnect-3.1").legacyApi().start()) {
            AviatrixClient client = FakeClients.builder(fake).apiVersion(ApiVersion.V1).build();

            assertThat(client.currentVersion()).hasToString("3.1");
            assertThat(fake.requests()).allSatisfy(r -> assertThat(r.path()).isEqualTo("/v1/api"));
        }
    }

    @Test
    void apiVersionV2_whenLegacyController_throwsTransportWithStatus() {
        try (FakeController fake = FakeController.builder().version("3.1").legacyApi().start()) {
            assertThatThrownBy(FakeClients.client(fake)::login)
                    .isInstanceOf(AviatrixTransportException.class)
                    .hasMessageContaining("HTTP 404")
                    .hasMessageContaining("/v2/api");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {FakeController.CID_EXPIRED, FakeController.SESSION_INVALID})
    void call_whenSessionExpiresMidRun_logsInAgainAndRepeats(String reason, FakeController fake) {
        fake.expiryReason(reason);
        AviatrixClient client = FakeClients.client(fake);
        client.currentVersion();

        fake.expireSessions();
        BackupConfig config = client.backupConfig();

        assertThat(config.enabled()).isTrue();
        assertThat(fake.requestCount("login")).isEqualTo(2);
        List<RecordedRequest> backupCalls = fake.requests("get_cloudn_backup_config");
        assertThat(backupCalls).hasSize(2);
        assertThat(backupCalls.get(0).params().get("CID")).isNotEqualTo(backupCalls.get(1).params().get("CID"));
    }

    @Test
    void call_whenUnknownFailureReason_doesNotLogInAgain(FakeController fake) {
        fake.expiryReason("Something else went wrong.");
        AviatrixClient client = FakeClients.client(fake);
        client.currentVersion();
        fake.expireSessions();

        assertThatThrownBy(client::currentVersion)
                .isInstanceOf(AviatrixApiException.class)
                .hasMessageContaining("Something else went wrong.");
        assertThat(fake.requestCount("login")).isEqualTo(1);
    }

    @Test
    void upgradeStatus_whenControllerAnswers502And503ForAWhile_survivesUntilComplete(FakeController fake) {
        AviatrixClient client = FakeClients.client(fake);

        String requestId = client.upgrade(ControllerVersion.parse("6.6"), UpgradeScope.CONTROLLER_AND_GATEWAYS);
        UpgradeStatus status = FakeClients.finishUpgrade(client);

        assertThat(requestId).isNotBlank();
        assertThat(status.state()).isEqualTo(UpgradeStatus.State.COMPLETE);
        assertThat(fake.requests()).extracting(RecordedRequest::status).contains(502, 503);
        assertThat(fake.versionsReached()).containsExactly("6.5.2608", "6.6.5224");
        assertThat(fake.requestCount("login")).isEqualTo(2);
        assertThat(client.currentVersion()).hasToString("6.6.5224");
        assertThat(client.gateways(List.of("spoke-1", "transit-1"))).extracting(g -> g.softwareVersion().toString())
                .containsExactly("6.6.5224", "6.6.5224");
        RecordedRequest upgrade = fake.requests("upgrade").get(0);
        assertThat(upgrade.params()).containsEntry("version", "6.6").containsEntry("async", "true");
    }

    @Test
    void call_when502503OutlastsRetries_throwsTransportNamingRetries(FakeController fake) {
        AviatrixClient client = FakeClients.builder(fake).unavailableRetries(1).build();
        client.upgrade(ControllerVersion.parse("6.6"), UpgradeScope.CONTROLLER_AND_GATEWAYS);

        assertThatThrownBy(client::upgradeStatus)
                .isInstanceOf(AviatrixTransportException.class)
                .hasMessageContaining("platform_upgrade_status")
                .hasMessageContaining("gave up after 1 retries");
        assertThat(fake.requestCount("platform_upgrade_status")).isEqualTo(2);
    }

    @Test
    void upgrade_whenMinorSkipped_throwsWithControllersReason(FakeController fake) {
        AviatrixClient client = FakeClients.client(fake);

        assertThatThrownBy(() -> client.upgrade(ControllerVersion.parse("6.7"), UpgradeScope.CONTROLLER_AND_GATEWAYS))
                .isInstanceOf(AviatrixApiException.class)
                .hasMessageContaining("upgrade")
                .satisfies(e -> assertThat(((AviatrixApiException) e).reason())
                        .contains("not the next release after 6.5.2608"));
    }

    @Test
    void upgradeStatus_whenUpgradeFails_reportsFailedWithControllersReasonAndVersionStays(FakeController fake) {
        fake.failUpgradeAtHop(1, "Failed to download the release from the release server.");
        AviatrixClient client = FakeClients.client(fake);
        client.upgrade(ControllerVersion.parse("6.6"), UpgradeScope.CONTROLLER_AND_GATEWAYS);

        List<UpgradeStatus> seen = FakeClients.pollUntilUpgradeEnds(client);

        UpgradeStatus last = seen.get(seen.size() - 1);
        assertThat(last.state()).isEqualTo(UpgradeStatus.State.FAILED);
        assertThat(last.reason()).contains("Failed to download the release from the release server.");
        assertThat(client.currentVersion()).hasToString("6.5.2608");
    }

    @Test
    void taskStatus_whenPolled_reportsInProgressThenDone(FakeController fake) {
        AviatrixClient client = FakeClients.builder(fake).build();
        String id = client.upgrade(ControllerVersion.parse("6.6"), UpgradeScope.CONTROLLER_AND_GATEWAYS);

        TaskStatus first = client.taskStatus(id);
        client.taskStatus(id);
        TaskStatus third = client.taskStatus(id);

        assertThat(first.done()).isFalse();
        assertThat(third.done()).isTrue();
        assertThat(third.message()).contains("6.6.5224");
    }

    @Test
    void upgradeControllerOnly_whenGatewaysLag_nextHopRefusedUntilGatewaysMove(FakeController fake) {
        AviatrixClient client = FakeClients.client(fake);
        client.upgrade(ControllerVersion.parse("6.6"), UpgradeScope.CONTROLLER_ONLY);
        FakeClients.finishUpgrade(client);

        assertThat(fake.requests("upgrade_platform").get(0).params()).containsEntry("gateway_list", "")
                .containsEntry("software_version", "6.6");
        assertThat(client.gateway("spoke-1").softwareVersion()).hasToString("6.5.2608");
        assertThatThrownBy(() -> client.upgrade(ControllerVersion.parse("6.7"), UpgradeScope.CONTROLLER_ONLY))
                .isInstanceOf(AviatrixApiException.class)
                .hasMessageContaining("spoke-1 runs 6.5.2608");

        client.upgradeGateways(List.of("spoke-1", "transit-1"), client.currentVersion());
        client.upgrade(ControllerVersion.parse("6.7"), UpgradeScope.CONTROLLER_ONLY);
        FakeClients.finishUpgrade(client);

        assertThat(client.currentVersion()).hasToString("6.7.1185");
    }

    @Test
    void gateway_whenUnknown_throwsWithControllersReason(FakeController fake) {
        assertThatThrownBy(() -> FakeClients.client(fake).gateway("nope"))
                .isInstanceOf(AviatrixApiException.class)
                .hasMessageContaining("Gateway nope does not exist.");
    }

    @Test
    void gateway_whenKnown_readsVersionAndImage(FakeController fake) {
        GatewayInfo gw = FakeClients.client(fake).gateway("spoke-1");

        assertThat(gw.name()).isEqualTo("spoke-1");
        assertThat(gw.softwareVersion()).hasToString("6.5.2608");
        assertThat(gw.imageName()).isNotBlank();
    }

    @Test
    void backupNow_whenAccepted_fakeRecordsBackupOnCurrentVersion(FakeController fake) {
        AviatrixClient client = FakeClients.client(fake);

        client.backupNow(BackupRequest.of(CloudType.AWS, "aws-primary", "controller-backups"));

        assertThat(fake.backups()).containsExactly(
                new FakeController.Backup(1, "6.5.2608", true, "aws-primary", "controller-backups"));
        assertThat(fake.requests("enable_cloudn_backup_config").get(0).params()).containsAllEntriesOf(Map.of(
                "cloud_type", "1", "acct_name", "aws-primary", "bucket_name", "controller-backups",
                "multiple_bkup", "true", "now", "true"));
    }

    @Test
    void backupNow_whenControllerFails_throwsWithReason(FakeController fake) {
        fake.failBackups("Access denied to bucket controller-backups.");

        assertThatThrownBy(() -> FakeClients.client(fake).backupNow(
                BackupRequest.of(CloudType.AZURE, "azure-1", "controller-backups")))
                .isInstanceOf(AviatrixApiException.class)
                .hasMessageContaining("enable_cloudn_backup_config")
                .hasMessageContaining("Access denied to bucket controller-backups.");
        assertThat(fake.backups()).isEmpty();
    }

    @Test
    void backupConfig_whenNotConfigured_reportsDisabled() {
        try (FakeController fake = FakeController.builder().noBackupConfig().start()) {
            BackupConfig config = FakeClients.client(fake).backupConfig();

            assertThat(config.enabled()).isFalse();
            assertThat(config.bucketName()).isEmpty();
        }
    }

    @Test
    void accountAudit_whenOneAccountFails_reportsItNotPassed(FakeController fake) {
        List<AccountAudit> audit = FakeClients.client(fake).accountAudit();

        assertThat(audit).extracting(AccountAudit::accountName, AccountAudit::passed)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("aws-primary", true),
                        org.assertj.core.groups.Tuple.tuple("aws-legacy", false));
        assertThat(audit.get(1).comment()).isEqualTo("update aviatrix-app-policy");
    }

    @Test
    void accountAudit_whenControllerFails_throwsWithReason(FakeController fake) {
        fake.failAudit("Audit is not available right now.");

        assertThatThrownBy(() -> FakeClients.client(fake).accountAudit())
                .isInstanceOf(AviatrixApiException.class)
                .hasMessageContaining("get_account_audit_records")
                .hasMessageContaining("Audit is not available right now.");
    }

    @Test
    void call_whenControllerDown_throwsTransportNamingAction(FakeController fake) {
        AviatrixClient client = FakeClients.client(fake);
        fake.close();

        assertThatThrownBy(client::currentVersion)
                .isInstanceOf(AviatrixTransportException.class)
                .hasMessageContaining("get_api_token");
    }
}
