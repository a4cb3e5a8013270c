package dev.stepwise.aviatrix;

import java.net.URI;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * The validated settings of one client, copied from {@code AviatrixClient.Builder}. Not public API.
 *
 * @param controller the controller's base address
 * @param username the controller user
 * @param password the user's password (prints as {@code ****})
 * @param sslContext the TLS context, or null for the JDK default
 * @param connectTimeout the connect timeout
 * @param requestTimeout the per-request timeout
 * @param unavailableRetries how many 502/503 answers to a read or poll are retried
 * @param unavailableRetryInterval the wait before such a retry
 * @param activeUpgradeWait the wait before re-sending a 3.0–6.4 start answered "Active upgrade in progress."
 */
record ClientSettings(URI controller, String username, Secret password, SSLContext sslContext,
        Duration connectTimeout, Duration requestTimeout, int unavailableRetries, Duration unavailableRetryInterval,
        Duration activeUpgradeWait) {
}
