package dev.stepwise.aviatrix;

import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.Secrets;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A client for an Aviatrix controller's RPC-style API that speaks the protocol of the controller's era
 * ({@link ControllerEra}: 3.0–3.2, 3.3–6.4, 6.5–6.9, 7.0, 7.1–7.x, 8.x), with the typed calls a stepped controller
 * upgrade needs.
 *
 * <p>What it does for every call: logs in on first use — {@code get_api_token} on {@code /v2/api}, then
 * {@code login} with {@code X-Access-Key}; a 404, non-JSON or {@code return:false} token answer means a controller
 * without tokens, so login goes to {@code /v1/api} without the header — and reads the version to choose the era
 * ("valid action required" there means a controller before 3.2, taken as 3.1 as the Terraform provider does).
 * Reads are GET with every parameter in the query, writes POST forms; the session id ({@code CID}) travels with
 * them. On an expiry answer (containing {@code CID is invalid} or {@code Invalid session. Please login again.}, or
 * {@code Session <cid> not found|expired}) it logs in again and repeats the call, at most twice.
 *
 * <p>Retries never double an action. Reads and status polls are retried on the non-JSON {@code 502 Proxy Error} /
 * {@code 503 Service Unavailable} pages of an upgrading controller ({@link Builder#unavailableRetries(int)} times,
 * every {@link Builder#unavailableRetryInterval(Duration)}) and on a dropped connection (5 tries, 0.5 s doubling).
 * An upgrade or backup is never sent again after an answer that may have been lost: an upgrade start then comes back
 * {@link UpgradeStart.State#UNCONFIRMED} and is followed through the controller's progress and version; a backup
 * fails with what the controller's backup configuration reads. Up to 6.4 a start answered
 * {@code Active upgrade in progress.} is sent again after {@link Builder#activeUpgradeWait(Duration)}, at most
 * three times (the provider's rule); from 6.5 that answer is followed like a lost one.
 *
 * <p>Refusals before any change: an 8.x upgrade (no public API), a controller-only upgrade before 6.5, gateways and
 * the IAM audit before 6.5 raise {@link UnsupportedEraException}.
 *
 * <p>Security: TLS certificates and host names are verified against the JDK's trust store by
 * default; a private CA or self-signed controller certificate is trusted only through an explicit
 * {@link Builder#trustStore(KeyStore)} or {@link Builder#sslContext(SSLContext)}. There is no
 * "trust everything" option. The password, API token and CID never appear in logs (logger
 * {@code dev.stepwise.aviatrix.AviatrixClient}), exception messages or {@code toString()}.
 *
 * <p>No API action lists releases or runs the UI's "Dry Run"; a caller supplies the release train to
 * {@link UpgradePath}, which adds its own table of known releases.
 *
 * <p>Thread safety: a client is safe to share between threads; a re-login by one thread serves all.
 *
 * <pre>{@code
 * AviatrixClient client = AviatrixClient.builder().
 *     controller(URI.create("https://controller.example.com")).
 *     username("admin").
 *     password(Secret.of(System.getenv("AVIATRIX_PASSWORD"))).
 *     build();
 * ControllerVersion now = client.currentVersion();
 * client.backupNow(BackupRequest.of(CloudType.AWS, "aws-primary", "controller-backups"));
 * UpgradeStart start = client.upgrade(ControllerVersion.parse("6.6"), UpgradeScope.CONTROLLER_AND_GATEWAYS);
 * client.upgradeStatus(start);   // poll it until COMPLETE (ControllerUpgrade does, with a Poll), then log in again
 * }</pre>
 */
public interface AviatrixClient {

    /** @return a builder with the production defaults listed on {@link Builder} */
    static Builder builder() {
        return new Builder();
    }

    /** @return the controller's base address, e.g. {@code https://controller.example.com} */
    URI controller();

    /**
     * Logs in now (see the class description), replacing any session, and reads the controller's version to choose
     * its era. Call it again after every upgrade: the era may have changed.
     *
     * @throws AviatrixApiException if the controller refuses the credentials
     * @throws UnsupportedEraException if the controller runs a version before 3.0
     */
    void login();

    /** @return the era of the version read at the last login (logs in first if needed) */
    ControllerEra era();

    /**
     * @param withLatest also ask for the newest version the controller can move to ({@code latest_version=true})
     * @return the current, previous and (if asked) latest versions ({@code list_version_info}); a controller before
     *     3.2 reports none, and is taken as 3.1
     */
    VersionInfo versionInfo(boolean withLatest);

    /** @return the version the controller runs ({@code list_version_info}) */
    ControllerVersion currentVersion();

    /**
     * @return the newest version the controller reports it can move to ({@code latest_version=true}); the current
     *     version when it reports an empty {@code latest_version} (already the latest)
     */
    ControllerVersion latestVersion();

    /** @return the backup settings ({@code get_cloudn_backup_config}) */
    BackupConfig backupConfig();

    /**
     * Enables backups with these settings and takes one now ({@code enable_cloudn_backup_config} with
     * {@code now=true}, with the parameter names of the controller's version, see {@link ControllerEra}), then reads
     * the configuration back to confirm it. Never sent twice.
     *
     * @param request where to store the backup
     * @throws AviatrixApiException with the controller's reason if the backup fails
     * @throws AviatrixTransportException if the answer was lost (the backup may or may not exist)
     */
    void backupNow(BackupRequest request);

    /**
     * Asks the controller to upgrade, in its era's protocol: {@code userconnect_release} (3.0–3.2, no version can be
     * named: the controller goes one release up), synchronous {@code upgrade} (3.3–6.4), asynchronous
     * {@code upgrade} or {@code upgrade_platform} (6.5–7.x). Follow it with {@link #upgradeStatus(UpgradeStart)},
     * then {@link #login()} again.
     *
     * @param version the hop's version, never "latest" (see {@link UpgradePath})
     * @param scope what moves
     * @return what the answer said, never a re-sent request's answer
     * @throws UnsupportedEraException on 8.x, or for {@link UpgradeScope#CONTROLLER_ONLY} before 6.5
     * @throws AviatrixApiException if the controller refuses (a skipped release, lagging gateways, ...)
     */
    UpgradeStart upgrade(ControllerVersion version, UpgradeScope scope);

    /**
     * Where an upgrade stands: {@code check_upgrade_status} with the request id (6.5–7.0),
     * {@code platform_upgrade_status} (7.1+), or, where no progress call exists or the start was unconfirmed, the
     * version the controller reports.
     *
     * @param start what {@link #upgrade} returned
     * @return the state
     */
    UpgradeStatus upgradeStatus(UpgradeStart start);

    /**
     * @return every gateway with its version, HA gateways right before their primaries ({@code list_vpcs_summary})
     * @throws UnsupportedEraException before 6.5
     */
    List<GatewayInfo> gateways();

    /**
     * Moves one gateway ({@code upgrade_selected_gateway} with {@code gateway_list} of one name,
     * {@code software_version} and {@code image_version}). Never sent twice.
     *
     * @param name the gateway
     * @param version the controller's version (or its previous one, to roll back)
     * @param imageVersion the image to run
     * @throws UnsupportedEraException before 6.5
     */
    void upgradeGateway(String name, ControllerVersion version, String imageVersion);

    /**
     * @return every access account's IAM policy audit ({@code get_account_audit_records})
     * @throws UnsupportedEraException before 6.5
     */
    List<AccountAudit> accountAudit();

    /**
     * Configures an {@link AviatrixClient}. {@link #controller}, {@link #username} and
     * {@link #password} are required.
     *
     * <p>Defaults: the JDK's trust store; connect timeout 10 s; request timeout 60 s; 60 retries of 502/503
     * answers to reads and polls every 10 s (10 minutes); 60 s before re-sending a 3.0–6.4 start answered
     * "Active upgrade in progress." (the provider's interval). Only
     * {@code https} controllers, except a loopback address with {@link #allowPlainHttpOnLoopback()}
     * (for tests against a local fake).
     *
     * <p>A bad value is recorded and reported by {@link #build()} with every other problem, in one
     * {@link PlanValidationException}; a later valid value for the same setting replaces it. Not thread-safe;
     * {@link #build()} copies the settings, so a builder can be reused.
     *
     * <pre>{@code
     * AviatrixClient client = AviatrixClient.builder().
     *     controller(URI.create("https://10.0.0.5")).
     *     username("admin").
     *     password(Secret.of(passwordChars)).
     *     trustStore(companyCaStore).
     *     requestTimeout(Duration.ofSeconds(30)).
     *     build();
     * }</pre>
     */
    final class Builder {
        private URI controller;
        private String username;
        private Secret password;
        private SSLContext sslContext;
        private KeyStore trustStore;
        private boolean plainHttpOnLoopback;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private int unavailableRetries = 60;
        private Duration unavailableRetryInterval = Duration.ofSeconds(10);
        private Duration activeUpgradeWait = Duration.ofSeconds(60);
        /** Problems found by the setters, by setting, so that a later good value clears a bad one. */
        private final Map<String, String> problems = new LinkedHashMap<>();

        Builder() {
        }

        private boolean record(String setting, String problem) {
            problems.remove(setting);
            if (problem != null) {
                problems.put(setting, problem);
            }
            return problem == null;
        }

        /**
         * @param controller the controller's base address, {@code https://host[:port]} with no path, query,
         *     fragment or user info (checked by {@link #build()})
         * @return this builder
         */
        public Builder controller(URI controller) {
            Objects.requireNonNull(controller, "controller");
            String path = controller.getRawPath();
            String authority = controller.getRawAuthority();
            String problem = null;
            if (authority != null && authority.contains("@")) {
                // never echo the address: what sits before '@' is usually a password
                problem = "controller \"" + controller.getScheme() + "://…@…\" must be a bare https://host[:port] "
                        + "without path, query, fragment or user info; give the user and password with username() and "
                        + "password()";
            } else if (!controller.isAbsolute() || controller.getHost() == null) {
                // a host Java cannot parse leaves the query and user info unchecked: show only what is safe
                problem = "controller \"" + Secrets.uri(controller) + "\" must be an absolute https://host[:port] "
                        + "address with a host name or IP address Java can parse";
            } else if ((path != null && !path.isEmpty() && !path.equals("/")) || controller.getRawQuery() != null
                    || controller.getRawFragment() != null || controller.getRawUserInfo() != null) {
                problem = "controller \"" + controller.getScheme() + "://" + controller.getHost() + "...\" must be a "
                        + "bare https://host[:port] without path, query, fragment or user info (the client adds "
                        + "/v1/api or /v2/api)";
            }
            if (record("controller", problem)) {
                this.controller = controller;
            }
            return this;
        }

        /**
         * @param username the controller user, not blank (checked by {@link #build()})
         * @return this builder
         */
        public Builder username(String username) {
            Objects.requireNonNull(username, "username");
            if (record("username", username.isBlank() ? "username \"" + username + "\" must not be blank" : null)) {
                this.username = username;
            }
            return this;
        }

        /**
         * @param password the user's password
         * @return this builder
         */
        public Builder password(Secret password) {
            this.password = Objects.requireNonNull(password, "password");
            record("password", null);
            return this;
        }

        /**
         * @param password the user's password, copied (clear your array afterwards); not empty (checked by
         *     {@link #build()})
         * @return this builder
         */
        public Builder password(char[] password) {
            Objects.requireNonNull(password, "password");
            if (record("password", password.length == 0 ? "password is empty: it needs at least one character" : null)) {
                return password(Secret.of(password));
            }
            return this;
        }

        /**
         * Trusts the certificates in this store instead of the JDK's (e.g. a company CA or the
         * controller's self-signed certificate). Replaces any {@link #sslContext(SSLContext)}.
         *
         * @param trustStore trusted certificates
         * @return this builder
         */
        public Builder trustStore(KeyStore trustStore) {
            this.trustStore = Objects.requireNonNull(trustStore, "trustStore");
            this.sslContext = null;
            return this;
        }

        /**
         * Uses this TLS context (its trust managers decide which certificates are accepted).
         * Replaces any {@link #trustStore(KeyStore)}.
         *
         * @param sslContext the TLS context
         * @return this builder
         */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
            this.trustStore = null;
            return this;
        }

        /**
         * Allows an {@code http://} controller address when its host is a loopback address
         * ({@code 127.0.0.1}, {@code ::1}, {@code localhost}), for tests against a local fake. Never
         * needed for a real controller.
         *
         * @return this builder
         */
        public Builder allowPlainHttpOnLoopback() {
            this.plainHttpOnLoopback = true;
            return this;
        }

        /**
         * @param timeout how long to wait for a connection, positive (default 10 s)
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive("connectTimeout", timeout, connectTimeout);
            return this;
        }

        /**
         * @param timeout how long to wait for one answer, positive (default 60 s)
         * @return this builder
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive("requestTimeout", timeout, requestTimeout);
            return this;
        }

        /**
         * @param retries how many times a 502/503 answer is retried before giving up, at least 0 (default 60)
         * @return this builder
         */
        public Builder unavailableRetries(int retries) {
            if (record("unavailableRetries", retries < 0 ? "unavailableRetries " + retries + " must be at least 0" : null)) {
                this.unavailableRetries = retries;
            }
            return this;
        }

        /**
         * @param interval the wait before retrying a 502/503 answer, zero or positive (default 10 s)
         * @return this builder
         */
        public Builder unavailableRetryInterval(Duration interval) {
            this.unavailableRetryInterval = notNegative("unavailableRetryInterval", interval, unavailableRetryInterval);
            return this;
        }

        /**
         * @param wait how long to wait before sending a 3.0–6.4 upgrade start again after
         *     "Active upgrade in progress.", zero or positive (default 60 s, the provider's interval)
         * @return this builder
         */
        public Builder activeUpgradeWait(Duration wait) {
            this.activeUpgradeWait = notNegative("activeUpgradeWait", wait, activeUpgradeWait);
            return this;
        }

        /** {@code d} if positive; else {@code old}, with the problem kept for {@link #build()}. */
        private Duration positive(String name, Duration d, Duration old) {
            Objects.requireNonNull(d, name);
            return record(name, d.isNegative() || d.isZero() ? name + " " + d + " must be positive" : null) ? d : old;
        }

        /** {@code d} if zero or positive; else {@code old}, with the problem kept for {@link #build()}. */
        private Duration notNegative(String name, Duration d, Duration old) {
            Objects.requireNonNull(d, name);
            return record(name, d.isNegative() ? name + " " + d + " must not be negative" : null) ? d : old;
        }

        /**
         * @return a client with these settings; nothing is sent until the first call
         * @throws PlanValidationException listing every problem: a missing controller, username or password, a
         *     controller that is not https (see {@link #allowPlainHttpOnLoopback()}) or not a bare address, a
         *     timeout, interval or retry count out of range, a trust store unusable for TLS
         */
        public AviatrixClient build() {
            List<String> all = new ArrayList<>(problems.values());
            if (controller == null && !problems.containsKey("controller")) {
                all.add("controller is not set: give https://host[:port]");
            }
            if (username == null && !problems.containsKey("username")) {
                all.add("username is not set");
            }
            if (password == null && !problems.containsKey("password")) {
                all.add("password is not set");
            }
            if (controller != null) {
                String scheme = controller.getScheme().toLowerCase(java.util.Locale.ROOT);
                boolean loopbackHttp = scheme.equals("http") && plainHttpOnLoopback && isLoopback(controller.getHost());
                if (!scheme.equals("https") && !loopbackHttp) {
                    all.add("controller \"" + Secrets.uri(controller) + "\" must use https" + (scheme.equals("http")
                            ? " (plain http only to a loopback address, with allowPlainHttpOnLoopback())" : ""));
                }
            }
            SSLContext tls = tlsContext(all);
            if (!all.isEmpty()) {
                throw new PlanValidationException("AviatrixClient", all);
            }
            URI base = URI.create(controller.getScheme() + "://" + controller.getRawAuthority());
            return new HttpAviatrixClient(new ClientSettings(base, username, password, tls, connectTimeout,
                    requestTimeout, unavailableRetries, unavailableRetryInterval, activeUpgradeWait));
        }

        private SSLContext tlsContext(List<String> problems) {
            if (sslContext != null) {
                return sslContext;
            }
            if (trustStore == null) {
                return null;
            }
            try {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trustStore);
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, tmf.getTrustManagers(), null);
                return ctx;
            } catch (GeneralSecurityException e) {
                problems.add("trustStore cannot be used for TLS: " + e.getMessage());
                return null;
            }
        }

        private static boolean isLoopback(String host) {
            String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            if (h.equalsIgnoreCase("localhost")) {
                return true;
            }
            // Only literal addresses: a name would need DNS, and DNS could point anywhere.
            if (!h.matches("[0-9.]+|[0-9a-fA-F:]+")) {
                return false;
            }
            try {
                return InetAddress.getByName(h).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
    }
}
