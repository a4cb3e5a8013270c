package dev.stepwise.aviatrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.aviatrix.testkit.FakeController;
import dev.stepwise.aviatrix.testkit.FakeController.RecordedRequest;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** What Stepwise refuses before any change: unknown eras, gaps in the release list, lagging gateways. */
class AviatrixEraRefusalIT {

    private static final BackupRequest BACKUP = BackupRequest.of(CloudType.AWS, "aws-primary", "controller-backups");
    private static final Set<String> MUTATING = Set.of("enable_cloudn_backup_config", "upgrade", "upgrade_platform",
            "userconnect_release", "upgrade_selected_gateway");

    private final Runner runner = Runner.create().withTimeSource(VirtualTimeSource.create());

    private RunResult run(FakeController fake, String target, Consumer<ControllerUpgrade.Builder> options) {
        ControllerUpgrade.Builder b = ControllerUpgrade.builder().client(FakeClients.client(fake)).backup(BACKUP);
        options.accept(b);
        return runner.run(b.build().plan(), Inputs.of(ControllerUpgrade.TARGET_VERSION, target));
    }

    private static List<RecordedRequest> changes(FakeController fake) {
        return fake.requests().stream().filter(r -> MUTATING.contains(r.action())).toList();
    }

    private static List<String> trainWithout(String... left) {
        List<String> t = new ArrayList<>(FakeController.DEFAULT_TRAIN);
        t.removeAll(List.of(left));
        return t;
    }

    @Test
    void run_whenTrainSkips69_refusesTheGapBeforeAnyChange() {
        try (FakeController fake = FakeController.builder().version("6.8.1148").start()) {
            RunResult r = run(fake, "7.0", b -> b.train(trainWithout("6.9.733")));

            assertThat(r.status()).isEqualTo(RunStatus.FAILED);
            assertThat(r.failure().message()).contains("6.9").contains("gap");
            assertThat(changes(fake)).isEmpty();
        }
    }

    @Test
    void path_when39To41_refusesBecause40IsAKnownRelease() {
        assertThatThrownBy(() -> UpgradePath.builder().from("3.9").to("4.1").train("3.9", "4.1").build())
                .isInstanceOf(UpgradePathException.class).hasMessageContaining("4.0");
    }

    @Test
    void path_whenTrainsNewest66IsBelow5612_refusesBefore67() {
        assertThatThrownBy(() -> UpgradePath.builder().from("6.5.2608").to("6.7").train("6.6.5224", "6.7").build())
                .isInstanceOf(UpgradePathException.class).hasMessageContaining("6.6.5612");
    }

    @Test
    void run_whenHopStartsOn8x_refusesNamingTheEraBeforeAnyChange() {
        try (FakeController fake = FakeController.builder().version("8.0.1").start()) {
            List<String> train = new ArrayList<>(FakeController.DEFAULT_TRAIN);
            train.add("8.1");
            RunResult r = run(fake, "8.1", b -> b.train(train));

            assertThat(r.status()).isEqualTo(RunStatus.FAILED);
            assertThat(r.failure().message()).contains("8.x").contains("upgrade");
            assertThat(changes(fake)).isEmpty();
        }
    }

    @Test
    void run_whenControllerOnlyBefore65_refusesBeforeAnyChange() {
        try (FakeController fake = FakeController.builder().version("6.4").start()) {
            RunResult r = run(fake, "6.5", b -> b.train(FakeController.DEFAULT_TRAIN)
                    .scope(UpgradeScope.CONTROLLER_ONLY));

            assertThat(r.status()).isEqualTo(RunStatus.FAILED);
            assertThat(r.failure().message()).contains("3.3–6.4").contains("controller-only");
            assertThat(changes(fake)).isEmpty();
        }
    }

    @Test
    void run_whenAnUnnamedGatewayLags_refusesBeforeTheFirstHop() {
        try (FakeController fake = FakeController.builder().version("7.1.1794").gateway("spoke-1")
                .gateway("spoke-2", "7.0.1373").start()) {
            RunResult r = run(fake, "7.2", b -> b.train(FakeController.DEFAULT_TRAIN));

            assertThat(r.status()).isEqualTo(RunStatus.FAILED);
            assertThat(r.failure().message()).contains("spoke-2 runs 7.0.1373");
            assertThat(changes(fake)).isEmpty();
        }
    }

    @Test
    void run_whenGatewayUpgradesEnabled_movesHaBeforePrimaryOnePerCall() {
        try (FakeController fake = FakeController.builder().version("7.1.1794").gateway("spoke-1")
                .gateway("spoke-1-hagw").start()) {
            RunResult r = run(fake, "7.2", b -> b.train(FakeController.DEFAULT_TRAIN)
                    .scope(UpgradeScope.CONTROLLER_ONLY).upgradeGateways(true));

            assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(fake.requests("upgrade_selected_gateway")).extracting(q -> q.params().get("gateway_list"))
                    .containsExactly("spoke-1-hagw", "spoke-1");
            assertThat(fake.requests("upgrade_selected_gateway")).allSatisfy(q -> assertThat(q.params())
                    .containsEntry("software_version", "7.2.4820").containsKey("image_version"));
            assertThat(fake.gatewayVersions()).containsEntry("spoke-1", "7.2.4820")
                    .containsEntry("spoke-1-hagw", "7.2.4820");
        }
    }
}
