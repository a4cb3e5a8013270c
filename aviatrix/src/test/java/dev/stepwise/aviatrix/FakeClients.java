package dev.stepwise.aviatrix;

import dev.stepwise.aviatrix.testkit.FakeController;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
                activeUpgradeWait(Duration.ofMillis(1));
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

    /**
     * Every status {@link AviatrixClient#upgradeStatus(UpgradeStart)} reports until the upgrade is no longer in progress, the
     * last one included. The fake counts polls rather than time, so no wait is needed between them.
     */
    static List<UpgradeStatus> pollUntilUpgradeEnds(AviatrixClient client, UpgradeStart start) {
        List<UpgradeStatus> seen = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            UpgradeStatus s = client.upgradeStatus(start);
            seen.add(s);
            if (s.state() != UpgradeStatus.State.IN_PROGRESS) {
                return seen;
            }
        }
        throw new AssertionError("the upgrade was still in progress after 1000 polls: " + seen.get(seen.size() - 1));
    }

    /** Polls until the upgrade is complete, then logs in again, as after a real upgrade; fails if it did not complete. */
    static UpgradeStatus finishUpgrade(AviatrixClient client, UpgradeStart start) {
        List<UpgradeStatus> seen = pollUntilUpgradeEnds(client, start);
        UpgradeStatus last = seen.get(seen.size() - 1);
        if (last.state() != UpgradeStatus.State.COMPLETE) {
            throw new AssertionError("the upgrade ended " + last);
        }
        client.login();
        return last;
    }
}
