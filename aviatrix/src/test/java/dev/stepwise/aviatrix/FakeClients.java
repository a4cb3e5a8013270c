package dev.stepwise.aviatrix;

import dev.stepwise.aviatrix.testkit.FakeController;
import java.time.Duration;

/** Clients pointed at a fake, with every wait in milliseconds. */
final class FakeClients {

    private FakeClients() {
    }

    static AviatrixClient.Builder builder(FakeController fake) {
        AviatrixClient.Builder b = AviatrixClient.builder().
                controller(fake.uri()).
                username(fake.username()).
                password(FakeController.DEFAULT_PASSWORD.toCharArray()).
                connectTimeout(Duration.ofSeconds(5)).
                requestTimeout(Duration.ofSeconds(10)).
                unavailableRetries(5).
                unavailableRetryInterval(Duration.ofMillis(1)).
                upgradeInitialDelay(Duration.ZERO).
                upgradePollInterval(Duration.ofMillis(1)).
                upgradeTimeout(Duration.ofMillis(50));
        if (fake.isHttps()) {
            b.trustStore(fake.trustStore());
        } else {
            b.allowPlainHttpOnLoopback();
        }
        return b;
    }

    static AviatrixClient client(FakeController fake) {
        return builder(fake).build();
    }
}
