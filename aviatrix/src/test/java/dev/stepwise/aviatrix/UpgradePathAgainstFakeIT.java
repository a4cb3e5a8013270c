package dev.stepwise.aviatrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.aviatrix.testkit.FakeController;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Walks UpgradePath's hops with the client against the fake, whose own version handling is
 * written apart from ControllerVersion: the fake accepting every hop is an independent check of
 * the path. (The full plan, with preflight and verification, is ControllerUpgrade's job.)
 */
class UpgradePathAgainstFakeIT {

    private static final BackupRequest BACKUP = BackupRequest.of(CloudType.AWS, "aws-primary", "controller-backups");

    private static void walk(AviatrixClient client, UpgradePath path) {
        for (UpgradePath.Hop hop : path.hops()) {
            client.backupNow(BACKUP);
            UpgradeStart start = client.upgrade(hop.to(), UpgradeScope.CONTROLLER_AND_GATEWAYS);
            FakeClients.finishUpgrade(client, start);
            assertThat(client.currentVersion().sameRelease(hop.to())).as("after hop %s", hop).isTrue();
        }
    }

    @Test
    void walk_when31To35_fakeAcceptsEveryHopWithBackupBeforeEach() {
        try (FakeController fake = FakeController.builder().version("3.1").start()) {
            AviatrixClient client = FakeClients.client(fake);
            UpgradePath path = UpgradePath.of(client.currentVersion().toString(), "3.5",
                    FakeController.DEFAULT_TRAIN.toArray(String[]::new));

            walk(client, path);

            assertThat(fake.versionsReached()).containsExactly("3.1", "3.2", "3.3", "3.4", "3.5");
            assertThat(fake.backups()).extracting(FakeController.Backup::controllerVersion)
                    .containsExactly("3.1", "3.2", "3.3", "3.4");
        }
    }

    @Test
    void walk_when65To68WithGateways_fakeAcceptsEveryHop() {
        try (FakeController fake = FakeController.builder().version("6.5.2608").gateway("spoke-1").start()) {
            AviatrixClient client = FakeClients.client(fake);
            UpgradePath path = UpgradePath.builder().from(client.currentVersion()).to("6.8")
                    .train(FakeController.DEFAULT_TRAIN.toArray(String[]::new)).build();

            walk(client, path);

            assertThat(fake.versionsReached()).containsExactly("6.5.2608", "6.6.5612", "6.7.1376", "6.8.1148");
            assertThat(fake.gatewayVersions()).containsEntry("spoke-1", "6.8.1148");
            assertThat(fake.backups()).hasSize(3);
        }
    }

    @Test
    void walk_whenOlderBuildBefore65_fakeRequiresTheLatestBuildHopThatPathPlans() {
        try (FakeController fake = FakeController.builder().version("6.2.1500").train("6.2.2052", "6.3", "6.4")
                .start()) {
            AviatrixClient client = FakeClients.client(fake);
            assertThatThrownBy(() -> client.upgrade(ControllerVersion.parse("6.3"), UpgradeScope.CONTROLLER_AND_GATEWAYS))
                    .isInstanceOf(AviatrixApiException.class)
                    .hasMessageContaining("latest build of 6.2");

            UpgradePath path = UpgradePath.of("6.2.1500", "6.4", "6.2.2052", "6.3", "6.4");
            walk(client, path);

            assertThat(fake.versionsReached()).containsExactly("6.2.1500", "6.2.2052", "6.3", "6.4");
        }
    }

    @Test
    void walk_whenLatestAsControllerReportsIt_endsOnIt() {
        try (FakeController fake = FakeController.builder().version("6.8.1148").start()) {
            AviatrixClient client = FakeClients.client(fake);
            UpgradePath path = UpgradePath.builder().from(client.currentVersion()).latest(client.latestVersion())
                    .train(FakeController.DEFAULT_TRAIN.toArray(String[]::new)).build();

            walk(client, path);

            assertThat(path.hops()).extracting(h -> h.to().toString()).containsExactly("6.9.733", "7.0.1373",
                    "7.1.1794", "7.2.4820", "8.0.1");
            assertThat(fake.version()).isEqualTo("8.0.1");
        }
    }

    @Test
    void upgrade_when47To51Directly_fakeRefusesAsPathDoes() {
        try (FakeController fake = FakeController.builder().version("4.7").start()) {
            AviatrixClient client = FakeClients.client(fake);

            assertThatThrownBy(() -> client.upgrade(ControllerVersion.parse("5.1"), UpgradeScope.CONTROLLER_AND_GATEWAYS))
                    .isInstanceOf(AviatrixApiException.class)
                    .hasMessageContaining("5.1 is not the next release after 4.7");
            assertThat(UpgradePath.of("4.7", "5.1", FakeController.DEFAULT_TRAIN.toArray(String[]::new)).hops())
                    .extracting(h -> h.to().toString()).isEqualTo(List.of("5.0", "5.1"));
        }
    }
}
