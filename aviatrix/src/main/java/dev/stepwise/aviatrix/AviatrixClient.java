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
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A client for an Aviatrix controller's RPC-style API ({@code https://<controller>/v2/api}, or
 * {@code /v1/api}), with the typed calls a stepped controller upgrade needs.
 *
 * <p>What it does for every call: logs in on first use ({@code get_api_token}, then {@code login}
 * with {@code X-Access-Key}, or without it when the controller has no API token); sends the
 * session id ({@code CID}) as a POST form parameter, never in a URL; logs in again and repeats the
 * call once when the controller answers one of the documented expiry reasons
 * ({@code "CID is invalid or expired."}, {@code "Invalid session. Please login again."}); retries
 * the non-JSON {@code 502 Proxy Error} / {@code 503 Service Unavailable} answers a controller gives
 * while it upgrades ({@link Builder#unavailableRetries(int)} times, every
 * {@link Builder#unavailableRetryInterval(Duration)}); turns the {@code {return, results, reason}}
 * envelope into a typed result or an {@link AviatrixApiException} carrying the action and the
 * controller's reason. A 502/503 retry can repeat a request the controller had already received;
 * for {@code upgrade} the controller then refuses the duplicate rather than upgrading twice.
 *
 * <p>Security: TLS certificates and host names are verified against the JDK's trust store by
 * default; a private CA or self-signed controller certificate is trusted only through an explicit
 * {@link Builder#trustStore(KeyStore)} or {@link Builder#sslContext(SSLContext)}. There is no
 * "trust everything" option. The password, API token and CID never appear in logs (logger
 * {@code dev.stepwise.aviatrix.AviatrixClient}), exception messages or {@code toString()}.
 *
 * <p>No API action lists releases or runs the UI's "Dry Run"; a caller supplies the release
 * train to {@link UpgradePath}. No action in the public sources lists all gateways, so gateway
 * calls take the names the caller manages.
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
 * client.upgrade(ControllerVersion.parse("6.6"), UpgradeScope.CONTROLLER_AND_GATEWAYS);
 * client.upgradeStatus();   // poll it until COMPLETE (ControllerUpgrade does, with a Poll), then log in again
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
     * Logs in now ({@code get_api_token}, {@code login}), replacing any session. Other calls log in
     * on their own when needed; call this to check credentials early.
     *
     * @throws AviatrixApiException if the controller refuses the credentials
     */
    void login();

    /**
     * @param withLatest also ask for the newest version the controller can move to ({@code latest_version=true})
     * @return the current, previous and (if asked) latest versions ({@code list_version_info})
     */
    VersionInfo versionInfo(boolean withLatest);

    /** @return the version the controller runs ({@code list_version_info}) */
    ControllerVersion currentVersion();

    /** @return the newest version the controller reports it can move to ({@code list_version_info}, {@code latest_version=true}) */
    ControllerVersion latestVersion();

    /** @return the backup settings ({@code get_cloudn_backup_config}) */
    BackupConfig backupConfig();

    /**
     * Enables backups with these settings and takes one now ({@code enable_cloudn_backup_config},
     * {@code now=true}).
     *
     * @param request where to store the backup
     * @throws AviatrixApiException with the controller's reason if the backup fails
     */
    void backupNow(BackupRequest request);

    /**
     * Starts an asynchronous upgrade to a named version: {@code upgrade} with {@code version} and
     * {@code async=true} for the controller and all gateways, or {@code upgrade_platform} with an
     * empty {@code gateway_list} for the controller only. Poll {@link #upgradeStatus()} until it is
     * complete ({@link ControllerUpgrade} does); the session ends then, so {@link #login()} again.
     *
     * @param version the hop's version, never "latest" (see {@link UpgradePath})
     * @param scope what moves
     * @return the controller's request id, for {@link #taskStatus(String)}
     * @throws AviatrixApiException if the controller refuses (a skipped release, lagging gateways, ...)
     */
    String upgrade(ControllerVersion version, UpgradeScope scope);

    /** @return the platform upgrade's state ({@code platform_upgrade_status}, {@code platform_only=true}) */
    UpgradeStatus upgradeStatus();

    /**
     * @param requestId a request id from {@link #upgrade}
     * @return whether the task is done ({@code check_task_status})
     * @throws AviatrixApiException if the task failed, with the controller's reason
     */
    TaskStatus taskStatus(String requestId);

    /**
     * @param name a gateway's name
     * @return its software version and image ({@code get_gateway_info})
     */
    GatewayInfo gateway(String name);

    /**
     * @param names gateway names
     * @return each gateway's info, in the order given
     */
    List<GatewayInfo> gateways(Collection<String> names);

    /**
     * Moves gateways to a version ({@code upgrade_selected_gateway}): the controller's version, or
     * its previous version to roll a gateway back.
     *
     * @param names gateway names, not empty
     * @param version the software version
     */
    void upgradeGateways(Collection<String> names, ControllerVersion version);

    /** @return every access account's IAM policy audit ({@code get_account_audit_records}) */
    List<AccountAudit> accountAudit();

    /**
     * Configures an {@link AviatrixClient}. {@link #controller}, {@link #username} and
     * {@link #password} are required.
     *
     * <p>Defaults: {@link ApiVersion#V2}; the JDK's trust store; connect timeout 10 s; request
     * timeout 60 s; 60 retries of 502/503 answers every 10 s (10 minutes). Only
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
        private ApiVersion apiVersion = ApiVersion.V2;
        private SSLContext sslContext;
        private KeyStore trustStore;
        private boolean plainHttpOnLoopback;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private int unavailableRetries = 60;
        private Duration unavailableRetryInterval = Duration.ofSeconds(10);
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
                        + ApiVersion.V2.path() + ")";
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
         * @param apiVersion {@link ApiVersion#V2} (default) or {@link ApiVersion#V1} for old controllers
         * @return this builder
         */
        public Builder apiVersion(ApiVersion apiVersion) {
            this.apiVersion = Objects.requireNonNull(apiVersion, "apiVersion");
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
            return new HttpAviatrixClient(new ClientSettings(base, base.resolve(apiVersion.path()), username, password,
                    apiVersion, tls, connectTimeout, requestTimeout, unavailableRetries,
                    unavailableRetryInterval));
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
