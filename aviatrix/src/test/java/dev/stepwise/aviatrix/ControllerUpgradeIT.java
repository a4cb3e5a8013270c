package dev.stepwise.aviatrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.aviatrix.testkit.FakeController;
import dev.stepwise.aviatrix.testkit.FakeController.AuditRecord;
import dev.stepwise.aviatrix.testkit.FakeController.RecordedRequest;
import dev.stepwise.core.RestoredFailureException;
import dev.stepwise.core.StepFailedException;
import dev.stepwise.core.InvalidInputException;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Prediction;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.StepResult;
import dev.stepwise.core.run.StepStatus;
import dev.stepwise.core.run.VirtualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The ControllerUpgrade plan against the fake controller, on a virtual clock. What the controller
 * did (versions reached, backups and their order, gateway versions, requests) is read from the
 * fake's own state, never from the plan's report alone.
 */
class ControllerUpgradeIT {

    private static final BackupRequest BACKUP = BackupRequest.of(CloudType.AWS, "aws-primary", "controller-backups");
    private static final Set<String> MUTATING_ACTIONS = Set.of("enable_cloudn_backup_config", "upgrade",
            "upgrade_platform", "upgrade_selected_gateway");

    private final VirtualTimeSource time = VirtualTimeSource.create();
    private final Runner runner = Runner.create().withTimeSource(time);

    private static ControllerUpgrade.Builder upgrade(FakeController fake) {
        return ControllerUpgrade.builder().
                client(FakeClients.client(fake)).
                train(FakeController.DEFAULT_TRAIN).
                backup(BACKUP);
    }

    private static ControllerUpgrade upgrade(FakeController fake, Consumer<ControllerUpgrade.Builder> options) {
        ControllerUpgrade.Builder b = upgrade(fake);
        options.accept(b);
        return b.build();
    }

    private static Inputs target(String version) {
        return Inputs.of(ControllerUpgrade.TARGET_VERSION, version);
    }

    /**
     * Every output a run gives comes back equal from the JSON a journal (a resume) or a Temporal workflow's history
     * keeps it in: the next step, or a resumed run, reads it through its key from that form.
     */
    @org.junit.jupiter.api.Test
    void outputs_surviveTheirJsonForm_soAResumeOrAnotherEngineCanReadThem() {
        try (FakeController fake = FakeController.builder().version("6.5.2608").start()) {
            RunResult r = runner.run(upgrade(fake, b -> { }).plan(), target("6.8"));
            org.assertj.core.api.Assertions.assertThat(r.isSuccess()).as(r.toString()).isTrue();
            RunResult back = RunResult.fromJson(r.toJson());
            for (Key<?> key : List.of(ControllerUpgrade.CURRENT_VERSION, ControllerUpgrade.BACKUP_CONFIGURATION,
                    ControllerUpgrade.ACCOUNT_AUDIT, ControllerUpgrade.GATEWAYS, ControllerUpgrade.UPGRADE_PATH,
                    ControllerUpgrade.UPGRADE_REPORT, ControllerUpgrade.FINAL_VERSION)) {
                org.assertj.core.api.Assertions.assertThat(r.output(key)).as(key.name()).isPresent();
                org.assertj.core.api.Assertions.assertThat(back.output(key)).as(key.name()).isEqualTo(r.output(key));
            }
        }
    }

    private static StepResult step(RunResult r, String name) {
        return r.step(name).orElseThrow();
    }

    private static List<String> mutatingRequests(FakeController fake) {
        return fake.requests().stream().map(RecordedRequest::action).filter(MUTATING_ACTIONS::contains).toList();
    }

    /** Every upgrade request is directly preceded (among changing requests) by an accepted backup. */
    private static void assertBackupBeforeEveryUpgrade(FakeController fake) {
        List<String> accepted = new ArrayList<>();
        for (RecordedRequest r : fake.requests()) {
            if (MUTATING_ACTIONS.contains(r.action()) && r.status() == 200) {
                accepted.add(r.action());
            }
        }
        for (int i = 0; i < accepted.size(); i++) {
            if (accepted.get(i).startsWith("upgrade") && !accepted.get(i).equals("upgrade_selected_gateway")) {
                assertThat(i).as("upgrade #%s has a request before it", i).isPositive();
                assertThat(accepted.get(i - 1)).as("request before upgrade #%s", i)
                        .isEqualTo("enable_cloudn_backup_config");
            }
        }
    }

    @Test
    void run_when31To35_endsOnTargetWithBackupBeforeEveryHop() {
        try (FakeController fake = FakeController.builder().version("3.1").start()) {
            RunResult r = runner.run(upgrade(fake, b -> { }).plan(), target("3.5"));

            assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(fake.versionsReached()).containsExactly("3.1", "3.2", "3.3", "3.4", "3.5");
            assertThat(fake.backups()).extracting(FakeController.Backup::controllerVersion)
                    .containsExactly("3.1", "3.2", "3.3", "3.4", "3.5");
            assertThat(fake.backups()).allSatisfy(b -> assertThat(b.now()).isTrue());
            assertThat(fake.upgrades()).extracting(FakeController.Upgrade::to).containsExactly("3.2", "3.3", "3.4", "3.5");
            assertBackupBeforeEveryUpgrade(fake);
            assertThat(r.output(ControllerUpgrade.FINAL_VERSION)).hasValue(ControllerVersion.parse("3.5"));
            UpgradeReport report = r.output(ControllerUpgrade.UPGRADE_REPORT).orElseThrow();
            assertThat(report.isComplete()).isTrue();
            assertThat(report.backups()).extracting(UpgradeReport.BackupMade::beforeHop).containsExactly(1, 2, 3, 4, 5);
        }
    }

    @Test
    void run_when65To68WithGateways_endsOnTargetWithGatewaysAlongAndWaitsOnTheRunnersClock() {
        try (FakeController fake = FakeController.builder().version("6.5.2608").gateway("spoke-1").gateway("spoke-2")
                .start()) {
            RunResult r = runner.run(upgrade(fake, b -> b.gateways("spoke-1", "spoke-2")).plan(), target("6.8"));

            assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(fake.versionsReached()).containsExactly("6.5.2608", "6.6.5612", "6.7.1376", "6.8.1148");
            assertThat(fake.backups()).extracting(FakeController.Backup::controllerVersion)
                    .containsExactly("6.5.2608", "6.6.5612", "6.7.1376", "6.8.1148");
            assertBackupBeforeEveryUpgrade(fake);
            assertThat(fake.gatewayVersions()).containsEntry("spoke-1", "6.8.1148").containsEntry("spoke-2", "6.8.1148");
            assertThat(fake.upgrades()).allSatisfy(u -> assertThat(u.withGateways()).isTrue());
            // per hop: the 90 s initial delay, then 10 s between the fake's 3 in-progress polls and the completing one
            List<Duration> perHop = List.of(Duration.ofSeconds(90), Duration.ofSeconds(10), Duration.ofSeconds(10),
                    Duration.ofSeconds(10));
            List<Duration> expected = new ArrayList<>();
            Collections.nCopies(3, perHop).forEach(expected::addAll);
            assertThat(time.waits()).containsExactlyElementsOf(expected);
            assertThat(fake.requestCount("check_upgrade_status")).as("4 polls per hop, 502/503 answers included")
                    .isEqualTo(3 * (4 + FakeController.DEFAULT_UNAVAILABLE_RESPONSES));
            assertThat(r.output(ControllerUpgrade.FINAL_VERSION)).hasValue(ControllerVersion.parse("6.8.1148"));
        }
    }

    @Test
    void run_whenTargetIsLatest_endsOnTheVersionTheControllerReports() {
        try (FakeController fake = FakeController.builder().version("6.5.2608")
                .train("6.5.2608", "6.6.5612", "6.7.1376", "6.8.1148").start()) {
            RunResult r = runner.run(upgrade(fake, b -> b.target("latest")).plan(), Inputs.empty());

            assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(fake.version()).isEqualTo("6.8.1148");
            assertThat(fake.requests("list_version_info")).anySatisfy(q ->
                    assertThat(q.params()).containsEntry("latest_version", "true"));
            assertThat(r.output(ControllerUpgrade.UPGRADE_PATH).orElseThrow().target())
                    .isEqualTo(ControllerVersion.parse("6.8.1148"));
        }
    }

    @Test
    void run_whenUpgradeFailsAtHop2_stopsWithReportNamingVersionReachedBackupsAndReason() {
        String reason = "Failed to download 6.7.1376 from the release server: connection timed out.";
        try (FakeController fake = FakeController.builder().version("6.5.2608").start()) {
            fake.failUpgradeAtHop(2, reason);

            RunResult r = runner.run(upgrade(fake, b -> { }).plan(), target("6.8"));

            assertThat(r.status()).isEqualTo(RunStatus.FAILED);
            StepResult upgrade = step(r, ControllerUpgrade.UPGRADE_STEP);
            assertThat(upgrade.status()).isEqualTo(StepStatus.FAILED);
            assertThat(upgrade.failure().simpleType()).isEqualTo("ControllerUpgradeException");
            assertThat(upgrade.failure().message())
                    .contains("Hop 2 of 3 (6.6.5612 -> 6.7.1376) failed while waiting for the upgrade")
                    .contains("the controller says: Error: " + reason)
                    .contains("Version reached: the controller runs 6.6.5612 (6.5.2608 -> 6.6.5612)")
                    .contains("Backups made: 2 (before hop 1 on 6.5.2608 to controller-backups, "
                            + "before hop 2 on 6.6.5612 to controller-backups)");
            assertThat(r.reason()).contains("Hop 2 of 3").contains(reason);
            assertThat(step(r, ControllerUpgrade.VERIFY_STEP).status()).isEqualTo(StepStatus.NOT_REACHED);
            assertThat(fake.version()).isEqualTo("6.6.5612");
            assertThat(fake.backups()).hasSize(2);
            assertThat(fake.upgrades()).hasSize(2);

            // the report reaches callers through the run, typed, and survives JSON
            StepFailedException thrown = catchThrowableOfType(StepFailedException.class, r::orThrow);
            assertThat(thrown.getCause()).isInstanceOf(ControllerUpgradeException.class);
            assertThat(ControllerUpgradeException.reportOf(thrown).orElseThrow().versionReached())
                    .isEqualTo(ControllerVersion.parse("6.6.5612"));
            StepFailedException fromJson = catchThrowableOfType(StepFailedException.class,
                    RunResult.fromJson(r.toJson())::orThrow);
            assertThat(fromJson.getCause()).isInstanceOf(RestoredFailureException.class);
            UpgradeReport restored = ControllerUpgradeException.reportOf(fromJson).orElseThrow();
            assertThat(restored.versionReached()).isEqualTo(ControllerVersion.parse("6.6.5612"));
            assertThat(restored.backups()).hasSize(2);
        }
    }

    @Test
    void run_whenBackupFailsAtHop2_stopsBeforeThatHopsUpgrade() {
        try (FakeController fake = FakeController.builder().version("6.5.2608").start()) {
            fake.failBackupAt(2, "Bucket controller-backups is not writable.");

            RunResult r = runner.run(upgrade(fake, b -> { }).plan(), target("6.8"));

            assertThat(r.status()).isEqualTo(RunStatus.FAILED);
            assertThat(step(r, ControllerUpgrade.UPGRADE_STEP).failure().message())
                    .contains("Hop 2 of 3 (6.6.5612 -> 6.7.1376) failed while backing up")
                    .contains("the controller says: Bucket controller-backups is not writable. Version reached")
                    .contains("Backups made: 1 (before hop 1 on 6.5.2608");
            assertThat(fake.upgrades()).hasSize(1);
            assertThat(fake.version()).isEqualTo("6.6.5612");
        }
    }

    @Test
    void run_whenSessionExpiresBetweenHops_logsInAgainAndFinishes() {
        try (FakeController fake = FakeController.builder().version("6.5.2608")
                .expiryReason(FakeController.SESSION_INVALID).start()) {
            AtomicBoolean expired = new AtomicBoolean();
            ControllerUpgrade upgrade = upgrade(fake, b -> b.onHopCompleted(report -> {
                if (expired.compareAndSet(false, true)) {
                    fake.expireSessions();
                }
            }));

            RunResult r = runner.run(upgrade.plan(), target("6.8"));

            assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(expired).isTrue();
            assertThat(fake.version()).isEqualTo("6.8.1148");
            // preflight, one after each of the 3 hops, one for the expired session
            assertThat(fake.requestCount("login")).isEqualTo(1 + 3 + 1);
            assertThat(fake.requestCount("enable_cloudn_backup_config")).as("the refused one repeated, and the one "
                    + "after the last hop").isEqualTo(5);
            assertThat(fake.backups()).hasSize(4);
        }
    }

    @Test
    void run_when502And503WindowAfterEveryUpgrade_survivesAndFinishes() {
        try (FakeController fake = FakeController.builder().version("3.1").unavailableResponses(4).start()) {
            RunResult r = runner.run(upgrade(fake, b -> { }).plan(), target("3.5"));

            assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(fake.version()).isEqualTo("3.5");
            assertThat(fake.requests()).filteredOn(q -> q.status() == 502).hasSize(4 * 2);
            assertThat(fake.requests()).filteredOn(q -> q.status() == 503).hasSize(4 * 2);
        }
    }

    @Test
    void run_whenUpgradeStaysInProgressPastTimeout_stopsNamingTheTimeout() {
        try (FakeController fake = FakeController.builder().version("6.5.2608").inProgressPolls(1000).start()) {
            ControllerUpgrade upgrade = upgrade(fake, b -> b.upgradeTimeout(Duration.ofMinutes(1)));

            RunResult r = runner.run(upgrade.plan(), target("6.6"));

            assertThat(r.status()).isEqualTo(RunStatus.FAILED);
            assertThat(step(r, ControllerUpgrade.UPGRADE_STEP).failure().message())
                    .contains("Hop 1 of 1 (6.5.2608 -> 6.6) failed while waiting for the upgrade")
                    .contains("did not complete within PT1M (6 polls every PT10S)");
            assertThat(fake.requestCount("check_upgrade_status") - FakeController.DEFAULT_UNAVAILABLE_RESPONSES)
                    .isEqualTo(6);
            assertThat(time.waits()).containsExactly(Duration.ofSeconds(90), Duration.ofSeconds(10),
                    Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10));
        }
    }

    @Test
    void run_whenGatewayLags_haltsInPreflightWithoutChanges() {
        try (FakeController fake = FakeController.builder().version("6.5.2608").gateway("spoke-1")
                .gateway("spoke-2", "6.4").start()) {
            RunResult r = runner.run(upgrade(fake, b -> b.gateways("spoke-1", "spoke-2")).plan(), target("6.8"));

            assertThat(r.status()).isEqualTo(RunStatus.FAILED);
            assertThat(step(r, ControllerUpgrade.GATEWAYS_STEP).failure().message())
                    .contains("Gateways do not run the controller's version 6.5.2608 before the upgrade: spoke-2 runs 6.4");
            assertThat(step(r, ControllerUpgrade.UPGRADE_STEP).status()).isEqualTo(StepStatus.NOT_REACHED);
            assertThat(mutatingRequests(fake)).isEmpty();
        }
    }

    @Test
    void run_whenControllerOnlyWithManagedGateways_movesThemAfterEveryHop() {
        try (FakeController fake = FakeController.builder().version("6.5.2608").gateway("spoke-1").start()) {
            ControllerUpgrade upgrade = upgrade(fake, b -> b.scope(UpgradeScope.CONTROLLER_ONLY).gateways("spoke-1"));

            RunResult r = runner.run(upgrade.plan(), target("6.8"));

            assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(fake.upgrades()).allSatisfy(u -> assertThat(u.withGateways()).isFalse());
            assertThat(fake.requests("upgrade_selected_gateway")).extracting(q -> q.params().get("software_version"))
                    .containsExactly("6.6.5612", "6.7.1376", "6.8.1148");
            assertThat(fake.gatewayVersions()).containsEntry("spoke-1", "6.8.1148");
        }
    }

    @Test
    void run_whenControllerOnlyAndAnUnmanagedGatewayLags_stopsAtHop2WithTheControllersReason() {
        try (FakeController fake = FakeController.builder().version("6.5.2608").gateway("spoke-1").gateway("edge-9")
                .start()) {
            ControllerUpgrade upgrade = upgrade(fake, b -> b.scope(UpgradeScope.CONTROLLER_ONLY).gateways("spoke-1"));

            RunResult r = runner.run(upgrade.plan(), target("6.8"));

            assertThat(r.status()).isEqualTo(RunStatus.FAILED);
            assertThat(step(r, ControllerUpgrade.UPGRADE_STEP).failure().message())
                    .contains("Hop 2 of 3 (6.6.5612 -> 6.7.1376) failed while starting the upgrade")
                    .contains("the controller says: rest API upgrade POST failed to initiate async action: "
                            + "FakeController: gateway edge-9 runs 6.5.2608, not 6.6.5612")
                    .contains("Version reached: the controller runs 6.6.5612")
                    .contains("Backups made: 2");
            assertThat(fake.version()).isEqualTo("6.6.5612");
        }
    }

    @Test
    void run_whenAnAccountFailsItsAudit_haltsListingIt() {
        try (FakeController fake = FakeController.builder().version("6.5.2608").audit(
                new AuditRecord("aws-primary", "Pass", "IAM policies are up to date"),
                new AuditRecord("aws-legacy", "Fail", "aviatrix-app-policy is outdated")).start()) {
            RunResult r = runner.run(upgrade(fake, b -> { }).plan(), target("6.8"));

            assertThat(r.status()).isEqualTo(RunStatus.FAILED);
            assertThat(step(r, ControllerUpgrade.AUDIT_STEP).failure().message())
                    .contains("Access accounts failing their IAM policy audit: aws-legacy (Fail: aviatrix-app-policy is outdated)")
                    .contains("acceptFailingAudit(\"aws-legacy\")")
                    .doesNotContain("aws-primary");
            assertThat(mutatingRequests(fake)).isEmpty();
        }
    }

    @Test
    void run_whenFailingAuditAccepted_upgradesAndRecordsTheAcceptance() {
        try (FakeController fake = FakeController.builder().version("6.5.2608").audit(
                new AuditRecord("aws-primary", "Pass", "IAM policies are up to date"),
                new AuditRecord("aws-legacy", "Fail", "aviatrix-app-policy is outdated")).start()) {
            RunResult r = runner.run(upgrade(fake, b -> b.acceptFailingAudit("aws-legacy")).plan(), target("6.6"));

            assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(r.output(ControllerUpgrade.ACCOUNT_AUDIT).orElseThrow())
                    .extracting(AccountAudit::accountName, AccountAudit::passed)
                    .containsExactly(tuple("aws-primary", true), tuple("aws-legacy", false));
            assertThat(fake.version()).isEqualTo("6.6.5612");
        }
    }

    @Test
    void run_whenTheAuditCallFails_haltsWithTheControllersReason() {
        try (FakeController fake = FakeController.builder().version("6.5.2608").start()) {
            fake.failAudit("Audit service is unavailable.");

            RunResult r = runner.run(upgrade(fake, b -> { }).plan(), target("6.8"));

            assertThat(r.status()).isEqualTo(RunStatus.FAILED);
            assertThat(step(r, ControllerUpgrade.AUDIT_STEP).failure().message()).contains("Audit service is unavailable.");
            assertThat(mutatingRequests(fake)).isEmpty();
        }
    }

    @Test
    void run_whenBackupsAreNotConfigured_haltsInPreflight() {
        try (FakeController fake = FakeController.builder().version("6.5.2608").noBackupConfig().start()) {
            RunResult r = runner.run(upgrade(fake, b -> { }).plan(), target("6.8"));

            assertThat(r.status()).isEqualTo(RunStatus.FAILED);
            assertThat(step(r, ControllerUpgrade.BACKUP_CONFIG_STEP).failure().message())
                    .contains("Controller backups are not configured");
            assertThat(step(r, ControllerUpgrade.AUDIT_STEP).status()).isEqualTo(StepStatus.NOT_REACHED);
            assertThat(mutatingRequests(fake)).isEmpty();
        }
    }

    @Test
    void run_whenTargetIsGarbage_refusesBeforeAnyCall() {
        try (FakeController fake = FakeController.builder().start()) {
            ControllerUpgrade upgrade = upgrade(fake, b -> { });

            assertThatThrownBy(() -> runner.run(upgrade.plan(), target("6.x")))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("TargetVersion \"6.x\" must be \"latest\" or a controller version (3.1 (release)");
            assertThat(fake.requests()).isEmpty();
        }
    }

    @Test
    void run_whenTargetIsADowngrade_refusesInTheRouteStepBeforeChanges() {
        try (FakeController fake = FakeController.builder().version("6.5.2608").start()) {
            RunResult r = runner.run(upgrade(fake, b -> { }).plan(), target("6.4"));

            assertThat(r.status()).isEqualTo(RunStatus.FAILED);
            assertThat(step(r, ControllerUpgrade.PATH_STEP).failure().simpleType()).isEqualTo("UpgradePathException");
            assertThat(step(r, ControllerUpgrade.PATH_STEP).failure().message())
                    .contains("older than the current version 6.5.2608");
            assertThat(mutatingRequests(fake)).isEmpty();
        }
    }

    @Test
    void run_whenTheTrainHasAGap_refusesBeforeChanges() {
        try (FakeController fake = FakeController.builder().version("6.5.2608").start()) {
            ControllerUpgrade upgrade = ControllerUpgrade.builder().client(FakeClients.client(fake))
                    .train("6.5.2608", "6.6.5612", "6.8.1148").backup(BACKUP).build();

            RunResult r = runner.run(upgrade.plan(), target("6.8"));

            assertThat(r.status()).isEqualTo(RunStatus.FAILED);
            assertThat(step(r, ControllerUpgrade.PATH_STEP).failure().message()).contains("gap").contains("release 6.7 comes between them");
            assertThat(mutatingRequests(fake)).isEmpty();
        }
    }

    @Test
    void run_whenAlreadyOnTarget_endsWithoutChanges() {
        try (FakeController fake = FakeController.builder().version("6.8.1148").start()) {
            RunResult r = runner.run(upgrade(fake, b -> { }).plan(), target("6.8.1148"));

            assertThat(r.status()).isEqualTo(RunStatus.ENDED);
            assertThat(r.reason()).contains("already runs the target");
            assertThat(step(r, ControllerUpgrade.UPGRADE_STEP).status()).isEqualTo(StepStatus.NOT_REACHED);
            assertThat(mutatingRequests(fake)).isEmpty();
        }
    }

    @Test
    void dryRun_whenThreeHops_listsEveryHopAndCallAndSendsNoChangingRequest() {
        try (FakeController fake = FakeController.builder().version("6.5.2608").gateway("spoke-1").start()) {
            ControllerUpgrade upgrade = upgrade(fake, b -> b.gateways("spoke-1"));

            RunResult r = runner.dryRun().run(upgrade.plan(), target("6.8"));
            System.out.println(r);

            assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(mutatingRequests(fake)).isEmpty();
            assertThat(fake.requests()).extracting(RecordedRequest::action).doesNotContain("check_upgrade_status");
            for (String s : List.of(ControllerUpgrade.LOGIN_STEP, ControllerUpgrade.VERSION_STEP,
                    ControllerUpgrade.BACKUP_CONFIG_STEP, ControllerUpgrade.AUDIT_STEP, ControllerUpgrade.GATEWAYS_STEP,
                    ControllerUpgrade.PATH_STEP)) {
                assertThat(step(r, s).status()).as(s).isEqualTo(StepStatus.SUCCEEDED);
            }
            StepResult walk = step(r, ControllerUpgrade.UPGRADE_STEP);
            assertThat(walk.status()).isEqualTo(StepStatus.PREDICTED);
            List<Prediction> calls = walk.predictions().stream().filter(Prediction::isCall).toList();
            // three before the hops and one after the last; up to 7.0 the account is account_name [B0]
            assertThat(calls).filteredOn(p -> p.operation().equals("enable_cloudn_backup_config")).hasSize(4)
                    .allSatisfy(p -> assertThat(p.parameters()).containsEntry("cloud_type", "1")
                            .containsEntry("account_name", "aws-primary")
                            .containsEntry("bucket_name", "controller-backups").containsEntry("now", "true"));
            assertThat(calls).filteredOn(p -> p.operation().equals("upgrade"))
                    .extracting(p -> p.parameters().get("version")).containsExactly("6.6.5612", "6.7.1376", "6.8");
            assertThat(calls).filteredOn(p -> p.operation().equals("list_vpcs_summary")).hasSize(3);
            assertThat(calls).filteredOn(p -> p.operation().equals("check_upgrade_status")).hasSize(3);
            assertThat(walk.predictions()).extracting(Prediction::toString)
                    .contains("3 hops from 6.5.2608 to 6.8, each in the protocol of the version it starts from; "
                            + "asynchronous upgrades: waits 1 min 30 s, then up to 30 min for the upgrade to complete, "
                            + "polling every 10 s")
                    .anySatisfy(p -> assertThat(p).contains("read the release notes of 6.7").contains("OpenVPN"))
                    .contains("hop 1/3: 6.5.2608 -> 6.6.5612 (from 6.5 minors are taken one at a time; 6.6 is "
                            + "entered by hand and cannot be rolled back to 6.5); API era 6.5–6.9")
                    .anySatisfy(p -> assertThat(p).startsWith("hop 3/3: 6.7.1376 -> 6.8"));
            assertThat(step(r, ControllerUpgrade.VERIFY_STEP).status()).isEqualTo(StepStatus.PREDICTED);
            assertThat(r.toString()).contains("would: aviatrix:upgrade version=6.7.1376, async=true");
            assertThat(fake.version()).isEqualTo("6.5.2608");
        }
    }

    @Test
    void toJson_whenUpgradeSucceeded_writesVersionsAsStringsAndReadsTheReportBack() {
        try (FakeController fake = FakeController.builder().version("6.5.2608").start()) {
            RunResult r = runner.run(upgrade(fake, b -> { }).plan(), target("6.7"));

            String json = r.toJson();

            assertThat(json).contains("\"CurrentVersion\" : \"6.5.2608\"").contains("\"FinalVersion\" : \"6.7.1376\"");
            RunResult back = RunResult.fromJson(json);
            UpgradeReport report = back.output(ControllerUpgrade.UPGRADE_REPORT).orElseThrow();
            assertThat(report).isEqualTo(r.output(ControllerUpgrade.UPGRADE_REPORT).orElseThrow());
            assertThat(report.versionReached()).isEqualTo(ControllerVersion.parse("6.7.1376"));
        }
    }
}
