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
            version("7.1.1794").
            previousVersion("7.0.1373").
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

        assertThat(version).isEqualTo(ControllerVersion.parse("7.1.1794"));
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
                ControllerVersion.parse("7.1.1794"), java.util.Optional.of(ControllerVersion.parse("7.0.1373")),
                java.util.Optional.of(ControllerVersion.parse("8.0.1"))));
        assertThat(fake.requestCount("login")).isEqualTo(1);
    }

    @Test
    void latestVersion_whenAsked_returnsControllersLatest(FakeController fake) {
        assertThat(FakeClients.client(fake).latestVersion()).hasToString("8.0.1");
        // the first list_version_info is the login's, which picks the era
        assertThat(fake.requests("list_version_info")).last().extracting(RecordedRequest::params)
                .satisfies(p -> assertThat(p).containsEntry("latest_version", "true"));
    }

    @Test
    void login_whenPasswordWrong_throwsApiExceptionWithControllersReason(FakeController fake) {
        AviatrixClient client = FakeClients.builder(fake).password("wrong-Passw0rd".toCharArray()).build();

        assertThatThrownBy(client::login)
                .isInstanceOf(AviatrixApiException.class)
                .hasMessageContaining("login")
                .hasMessageContaining("invalid username or password")
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
    void currentVersion_whenPre32Controller_takesItAs31AndStaysOnV1() {
        try (FakeController fake = FakeController.builder().version("UserConnect-3.1").start()) {
            AviatrixClient client = FakeClients.client(fake);

            assertThat(client.currentVersion()).hasToString("3.1");
            assertThat(client.era()).isEqualTo(ControllerEra.V3_0);
            assertThat(fake.requests()).filteredOn(r -> !"get_api_token".equals(r.action()))
                    .allSatisfy(r -> assertThat(r.path()).isEqualTo("/v1/api"));
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

        UpgradeStart start = client.upgrade(ControllerVersion.parse("7.2"), UpgradeScope.CONTROLLER_AND_GATEWAYS);
        UpgradeStatus status = FakeClients.finishUpgrade(client, start);

        assertThat(start.state()).isEqualTo(UpgradeStart.State.STARTED);
        assertThat(start.era()).isEqualTo(ControllerEra.V7_1);
        assertThat(status.state()).isEqualTo(UpgradeStatus.State.COMPLETE);
        assertThat(fake.requests()).extracting(RecordedRequest::status).contains(502, 503);
        assertThat(fake.versionsReached()).containsExactly("7.1.1794", "7.2.4820");
        assertThat(fake.requestCount("login")).isEqualTo(2);
        assertThat(client.currentVersion()).hasToString("7.2.4820");
        assertThat(client.gateways()).extracting(g -> g.softwareVersion().toString())
                .containsExactly("7.2.4820", "7.2.4820");
        RecordedRequest upgrade = fake.requests("upgrade").get(0);
        assertThat(upgrade.params()).containsEntry("version", "7.2").containsEntry("async", "true");
        assertThat(upgrade.method() + " " + upgrade.path()).isEqualTo("POST /v2/api");
    }

    @Test
    void call_when502503OutlastsRetries_throwsTransportNamingRetries(FakeController fake) {
        AviatrixClient client = FakeClients.builder(fake).unavailableRetries(1).build();
        UpgradeStart start = client.upgrade(ControllerVersion.parse("7.2"), UpgradeScope.CONTROLLER_AND_GATEWAYS);

        assertThatThrownBy(() -> client.upgradeStatus(start))
                .isInstanceOf(AviatrixTransportException.class)
                .hasMessageContaining("platform_upgrade_status")
                .hasMessageContaining("gave up after 1 retries");
        assertThat(fake.requestCount("platform_upgrade_status")).isEqualTo(2);
    }

    @Test
    void upgrade_whenMinorSkipped_throwsWithControllersReason(FakeController fake) {
        AviatrixClient client = FakeClients.client(fake);

        assertThatThrownBy(() -> client.upgrade(ControllerVersion.parse("8.0.1"), UpgradeScope.CONTROLLER_AND_GATEWAYS))
                .isInstanceOf(AviatrixApiException.class)
                .hasMessageContaining("upgrade")
                .satisfies(e -> assertThat(((AviatrixApiException) e).reason())
                        .contains("not the next release after 7.1.1794"));
    }

    @Test
    void upgradeStatus_whenUpgradeFails_reportsFailedWithControllersReasonAndVersionStays(FakeController fake) {
        fake.failUpgradeAtHop(1, "Failed to download the release from the release server.");
        AviatrixClient client = FakeClients.client(fake);
        UpgradeStart start = client.upgrade(ControllerVersion.parse("7.2"), UpgradeScope.CONTROLLER_AND_GATEWAYS);

        List<UpgradeStatus> seen = FakeClients.pollUntilUpgradeEnds(client, start);

        UpgradeStatus last = seen.get(seen.size() - 1);
        assertThat(last.state()).isEqualTo(UpgradeStatus.State.FAILED);
        assertThat(last.reason()).contains("Failed to download the release from the release server.");
        assertThat(client.currentVersion()).hasToString("7.1.1794");
    }

    @Test
    void upgradeControllerOnly_whenGatewaysLag_nextHopRefusedUntilGatewaysMove(FakeController fake) {
        AviatrixClient client = FakeClients.client(fake);
        FakeClients.finishUpgrade(client, client.upgrade(ControllerVersion.parse("7.2"), UpgradeScope.CONTROLLER_ONLY));

        // upgrade_platform, gateway_list="", software_version; from 7.1 also version [V3, V7]
        assertThat(fake.requests("upgrade_platform").get(0).params()).containsEntry("gateway_list", "")
                .containsEntry("software_version", "7.2").containsEntry("version", "7.2");
        assertThat(client.gateways()).filteredOn(g -> g.name().equals("spoke-1")).singleElement()
                .extracting(g -> g.softwareVersion().toString()).isEqualTo("7.1.1794");
        assertThatThrownBy(() -> client.upgrade(ControllerVersion.parse("8.0.1"), UpgradeScope.CONTROLLER_ONLY))
                .isInstanceOf(AviatrixApiException.class)
                .hasMessageContaining("spoke-1 runs 7.1.1794");

        for (GatewayInfo g : client.gateways()) {
            client.upgradeGateway(g.name(), client.currentVersion(), g.imageName());
        }
        FakeClients.finishUpgrade(client, client.upgrade(ControllerVersion.parse("8.0.1"),
                UpgradeScope.CONTROLLER_ONLY));

        assertThat(client.currentVersion()).hasToString("8.0.1");
        assertThat(fake.requests("upgrade_selected_gateway")).extracting(q -> q.params().get("gateway_list"))
                .containsExactly("spoke-1", "transit-1");
    }

    @Test
    void gateway_whenUnknown_throwsWithControllersReason(FakeController fake) {
        assertThatThrownBy(() -> FakeClients.client(fake).upgradeGateway("nope", ControllerVersion.parse("7.1.1794"),
                "hvm-cloudx-aws-031222"))
                .isInstanceOf(AviatrixApiException.class)
                .hasMessageContaining("gateway nope does not exist");
    }

    @Test
    void gateway_whenKnown_readsVersionAndImage(FakeController fake) {
        GatewayInfo gw = FakeClients.client(fake).gateways().get(0);

        assertThat(gw.name()).isEqualTo("spoke-1");
        assertThat(gw.isHa()).isFalse();
        assertThat(gw.softwareVersion()).hasToString("7.1.1794");
        assertThat(fake.requests("list_vpcs_summary")).singleElement().extracting(RecordedRequest::method)
                .isEqualTo("GET");
        assertThat(gw.imageName()).isNotBlank();
    }

    @Test
    void backupNow_whenAccepted_fakeRecordsBackupOnCurrentVersion(FakeController fake) {
        AviatrixClient client = FakeClients.client(fake);

        client.backupNow(BackupRequest.of(CloudType.AWS, "aws-primary", "controller-backups"));

        assertThat(fake.backups()).singleElement().satisfies(b -> {
            assertThat(b.controllerVersion()).isEqualTo("7.1.1794");
            assertThat(b.now()).isTrue();
        });
        assertThat(fake.requests("enable_cloudn_backup_config").get(0).params()).containsAllEntriesOf(Map.of(
                "cloud_type", "1", "acct_name", "aws-primary", "bucket_name", "controller-backups",
                "multiple_bkup", "true", "now", "true"));
    }

    @Test
    void backupNow_whenControllerFails_throwsWithReason(FakeController fake) {
        fake.failBackups("Access denied to bucket controller-backups.");

        assertThatThrownBy(() -> FakeClients.client(fake).backupNow(
                BackupRequest.of(CloudType.GCP, "gcp-1", "controller-backups")))
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
