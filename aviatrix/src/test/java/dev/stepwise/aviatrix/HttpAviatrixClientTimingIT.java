package dev.stepwise.aviatrix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.aviatrix.testkit.FakeController;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The waits the client asks for, recorded instead of slept, against the fake's counted requests. */
class HttpAviatrixClientTimingIT {

    private static final Duration RETRY = Duration.ofSeconds(7);

    @Test
    void upgradeStatus_when502And503Window_waitsTheRetryIntervalBeforeEachRepeat() {
        try (FakeController fake = FakeController.builder().inProgressPolls(2).unavailableResponses(3).start()) {
            List<Duration> waits = new ArrayList<>();
            ClientSettings settings = new ClientSettings(fake.uri(), fake.username(),
                    Secret.of(FakeController.DEFAULT_PASSWORD), null, Duration.ofSeconds(5), Duration.ofSeconds(5), 5,
                    RETRY, Duration.ofSeconds(60));
            HttpAviatrixClient client = new HttpAviatrixClient(settings, waits::add);

            UpgradeStart start = client.upgrade(ControllerVersion.parse("7.2"), UpgradeScope.CONTROLLER_AND_GATEWAYS);
            UpgradeStatus first = client.upgradeStatus(start);

            // 3 answers of 502/503 on the first poll, each repeated after the retry interval; polling itself is
            // the caller's (ControllerUpgrade's Poll), so the client adds no wait of its own
            assertThat(waits).containsExactly(RETRY, RETRY, RETRY);
            assertThat(first.state()).isEqualTo(UpgradeStatus.State.IN_PROGRESS);
            assertThat(client.upgradeStatus(start).state()).isEqualTo(UpgradeStatus.State.IN_PROGRESS);
            assertThat(client.upgradeStatus(start).state()).isEqualTo(UpgradeStatus.State.COMPLETE);
            assertThat(waits).hasSize(3);
        }
    }
}
