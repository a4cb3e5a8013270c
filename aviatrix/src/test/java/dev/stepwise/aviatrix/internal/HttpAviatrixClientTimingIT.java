package dev.stepwise.aviatrix.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.aviatrix.ApiVersion;
import dev.stepwise.aviatrix.ControllerVersion;
import dev.stepwise.aviatrix.Secret;
import dev.stepwise.aviatrix.UpgradeScope;
import dev.stepwise.aviatrix.testkit.FakeController;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The waits the client asks for, recorded instead of slept, against the fake's counted polls. */
class HttpAviatrixClientTimingIT {

    private static final Duration RETRY = Duration.ofSeconds(7);
    private static final Duration INITIAL = Duration.ofSeconds(90);
    private static final Duration POLL = Duration.ofSeconds(10);

    @Test
    void awaitUpgrade_whenWindowAndPolls_waitsInitialDelayThenRetryAndPollIntervals() {
        try (FakeController fake = FakeController.builder().inProgressPolls(2).unavailableResponses(3).start()) {
            List<Duration> waits = new ArrayList<>();
            ClientSettings settings = new ClientSettings(fake.uri(), fake.uri().resolve("/v2/api"), fake.username(),
                    Secret.of(FakeController.DEFAULT_PASSWORD), ApiVersion.V2, null, Duration.ofSeconds(5),
                    Duration.ofSeconds(5), 5, RETRY, INITIAL, POLL, Duration.ofMinutes(30));
            HttpAviatrixClient client = new HttpAviatrixClient(settings, waits::add);

            client.upgrade(ControllerVersion.parse("6.6"), UpgradeScope.CONTROLLER_AND_GATEWAYS);
            client.awaitUpgrade();

            // initial delay; 3 answers of 502/503 on the first poll; 2 "in progress" polls; the third completes.
            assertThat(waits).containsExactly(INITIAL, RETRY, RETRY, RETRY, POLL, POLL);
            assertThat(fake.version()).isEqualTo("6.6.5224");
        }
    }
}
