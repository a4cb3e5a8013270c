package dev.stepwise.aviatrix;

import java.net.URI;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * The validated settings of one client, copied from {@code AviatrixClient.Builder}. Not public API.
 *
 * @param controller the controller's base address
 * @param endpoint the API endpoint, e.g. {@code https://host/v2/api}
 * @param username the controller user
 * @param password the user's password (prints as {@code ****})
 * @param apiVersion the API endpoint's version
 * @param sslContext the TLS context, or null for the JDK default
 * @param connectTimeout the connect timeout
 * @param requestTimeout the per-request timeout
 * @param unavailableRetries how many 502/503 answers are retried
 * @param unavailableRetryInterval the wait before such a retry
 */
record ClientSettings(URI controller, URI endpoint, String username, Secret password, ApiVersion apiVersion,
        SSLContext sslContext, Duration connectTimeout, Duration requestTimeout, int unavailableRetries,
        Duration unavailableRetryInterval) {
}
