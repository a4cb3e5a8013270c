package dev.stepwise.aviatrix.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fake Aviatrix controller on loopback that speaks, for the version it runs, the API of that version's era as
 * {@code shared/reference/aviatrix-controller-api.md} gives it — written from that reference, not from
 * stepwise-aviatrix's client. Every behaviour cites its source in a comment, with the reference's keys
 * (V1…V8 = the Terraform provider's {@code goaviatrix/version.go} at the commits the reference lists, C0…CH its
 * {@code client.go}, B0…B2 {@code controller.go}, G {@code gateway.go}, R the provider's resources, IU/SU/RN the
 * Aviatrix docs, H1…H4 Controller-HA-for-AWS). Where the reference says a fact is unknown, the fake either refuses
 * with a message that starts with {@value #UNKNOWN_PREFIX}, or follows an assumption the comment marks
 * {@code ASSUMPTION} (the same assumption stepwise-aviatrix's client documents).
 *
 * <p>The eras (by the version the fake runs):
 * <table>
 *   <caption>eras</caption>
 *   <tr><th>era</th><th>start an upgrade</th><th>progress</th><th>login</th></tr>
 *   <tr><td>3.0–3.2</td><td>POST {@code /v1/backend1 userconnect_release} [V1]</td><td>none</td><td>{@code /v1/api}</td></tr>
 *   <tr><td>3.3–6.4</td><td>GET {@code /v1/api upgrade}, synchronous [V2,V3]</td><td>none</td><td>{@code /v1/api}</td></tr>
 *   <tr><td>6.5–6.9</td><td>POST {@code /v1/api upgrade}: bare integer for {@code caller=ui} [V4], JSON id for
 *       {@code async=true} [V5]</td><td>{@code /v1/backend1 check_upgrade_status}</td><td>{@code /v1/api}</td></tr>
 *   <tr><td>7.0</td><td>as 6.5–6.9 [V5]</td><td>as 6.5–6.9</td><td>{@code get_api_token} and login on
 *       {@code /v2/api} [C2]</td></tr>
 *   <tr><td>7.1–7.x</td><td>POST {@code /v2/api upgrade async=true} [V7]</td><td>{@code platform_upgrade_status}</td>
 *       <td>{@code /v2/api} with token</td></tr>
 *   <tr><td>8.x</td><td colspan="2">unknown: refused [CK]</td><td>{@code /v2/api} with token</td></tr>
 * </table>
 *
 * <p>Time is counted in requests, never read from a clock: an accepted asynchronous upgrade finishes after
 * {@link Builder#inProgressPolls(int)} further requests of any kind, so tests are deterministic.
 *
 * <p>Defaults: plain HTTP on 127.0.0.1 and a free port ({@link Builder#https()} for TLS with a
 * self-signed certificate, see {@link #trustStore()}); user {@value #DEFAULT_USERNAME} with
 * password {@value #DEFAULT_PASSWORD}; version {@value #DEFAULT_VERSION}; the release train
 * {@link #DEFAULT_TRAIN}; no gateways; one access account whose audit passes; backups configured;
 * an upgrade stays in progress for {@value #DEFAULT_IN_PROGRESS_POLLS} requests and answers
 * {@value #DEFAULT_UNAVAILABLE_RESPONSES} requests with 502/503 first; API tokens supported from 7.0.
 *
 * <p>Thread safety: all methods are safe to call from any thread while the server runs; requests
 * are served one at a time. Close it (or use {@link FakeControllerExtension}) to free the port.
 *
 * <pre>{@code
 * try (FakeController fake = FakeController.builder().
 *         version("7.1.1794").
 *         gateway("spoke-1").
 *         start()) {
 *     URI controller = fake.uri();
 *     // ... drive it with a client ...
 *     fake.versionsReached();   // [7.1.1794, 7.2.4820]
 *     fake.backups();           // each with the version it was taken on and the parameters sent
 * }
 * }</pre>
 */
public final class FakeController implements AutoCloseable {

    /** The default administrator user name. */
    public static final String DEFAULT_USERNAME = "admin";
    /** The default administrator password. */
    public static final String DEFAULT_PASSWORD = "Fake-Controller-Passw0rd";
    /** The default version the fake runs. */
    public static final String DEFAULT_VERSION = "7.1.1794";
    /** The default number of requests an asynchronous upgrade stays in progress. */
    public static final int DEFAULT_IN_PROGRESS_POLLS = 3;
    /** The default number of requests answered with 502/503 right after an upgrade starts. */
    public static final int DEFAULT_UNAVAILABLE_RESPONSES = 2;
    /**
     * The default release train. Releases and builds named by the reference's sources: 3.0–3.5, 4.0, 4.7, 5.0, 5.1,
     * 5.4 [IU]; 5.4.1990 [IU0]; 6.0.2483 [IU0]; 6.1–6.4 [IU, RN R6.4.2776]; 6.5.1922 and 6.6.5224 [RN 6.6.5224];
     * 6.5.2608, 7.0.1373 and 7.1.1794 are sample builds no source names (the fake's own); 8.0.1 [CK tests];
     * 6.6.5612 [RN 6.6.5612]; 6.7.1185, 6.7.1376 [RN 6.7.1185, RN 6.8.1148]; 6.8.1148 [RN 6.8.1148]; 6.9.733
     * [RN 6.9.733]; 7.0–7.2 [RC]; 7.2.4820 [RC]; 8.0 [SU]. Releases the sources do not name (4.1–4.6, 5.2, 5.3)
     * are left out.
     */
    public static final List<String> DEFAULT_TRAIN = List.of("3.0", "3.1", "3.2", "3.3", "3.4", "3.5", "4.0",
            "4.7", "5.0", "5.1", "5.4.1990", "6.0.2483", "6.1", "6.2", "6.3", "6.4", "6.5.1922", "6.5.2608",
            "6.6.5224", "6.6.5612", "6.7.1185", "6.7.1376", "6.8.1148", "6.9.733", "7.0.1373", "7.1.1794",
            "7.2.4820", "8.0.1");
    /** The exact expiry reason of the provider's first client [C0]. */
    public static final String CID_EXPIRED = "CID is invalid or expired.";
    /** The second expiry reason, matched from v2.21.0 [C1]. */
    public static final String SESSION_INVALID = "Invalid session. Please login again.";
    /** The reason a pre-3.2 controller gives for actions it lacks, {@code list_version_info} included [V1, H2]. */
    public static final String VALID_ACTION_REQUIRED = "valid action required";
    /** The reason a start gets while an upgrade runs [V1, V2]. */
    public static final String ACTIVE_UPGRADE = "Active upgrade in progress.";
    /** How every refusal of an unknown behaviour starts. */
    public static final String UNKNOWN_PREFIX = "FakeController: unknown behaviour: ";

    private static final Logger log = LoggerFactory.getLogger(FakeController.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> NO_SESSION_ACTIONS = Set.of("login", "get_api_token");
    /** cloud_type codes [K]. */
    private static final Map<Integer, String> CLOUDS = Map.of(1, "AWS", 4, "GCP", 8, "Azure", 16, "OCI",
            256, "AWSGov");

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY each small answer
        // waits ~40 ms on Nagle's algorithm and delayed ACKs. Read once, when the JDK server class loads.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** The API era of a version, as the reference's tables split them. */
    enum Era {
        /** 3.0–3.2: the provider's test is {@code major<=3 && minor<=2} [V1]. */
        USERCONNECT_RELEASE,
        /** 3.3–6.4: synchronous GET {@code upgrade} [V2, V3]. */
        SYNCHRONOUS,
        /** 6.5–6.9: asynchronous start, {@code check_upgrade_status} on {@code /v1/backend1} [V4, V5]. */
        CHECK_UPGRADE_STATUS,
        /** 7.0: as 6.5–6.9, with an API token and login on {@code /v2/api} [C2, V5]. */
        TOKEN_V1_ACTIONS,
        /** 7.1–7.x: everything on {@code /v2/api}, {@code platform_upgrade_status} [C3, V7]. */
        PLATFORM_UPGRADE_STATUS,
        /** 8.x: upgrade API unknown [CK]. */
        EIGHT;

        static Era of(FakeVersion v) {
            if (v.major < 3 || (v.major == 3 && v.minor <= 2)) {
                return USERCONNECT_RELEASE;
            }
            if (!v.atLeast(6, 5)) {
                return SYNCHRONOUS;
            }
            if (v.major == 6) {
                return CHECK_UPGRADE_STATUS;
            }
            if (v.major == 7 && v.minor == 0) {
                return TOKEN_V1_ACTIONS;
            }
            return v.major == 7 ? PLATFORM_UPGRADE_STATUS : EIGHT;
        }

        boolean tokens() {
            return ordinal() >= TOKEN_V1_ACTIONS.ordinal();
        }

        boolean from65() {
            return ordinal() >= CHECK_UPGRADE_STATUS.ordinal();
        }
    }

    /**
     * A backup request the fake accepted.
     *
     * @param number from 1
     * @param controllerVersion the version the controller ran when it was taken
     * @param now whether {@code now=true} was sent (a backup taken now rather than only configured)
     * @param accountName the account, from {@code account_name} (up to 7.0) or {@code acct_name} (from 7.1)
     * @param bucketName the bucket, or "" (Azure sends storage and container instead)
     * @param params every parameter sent except {@code CID} and {@code action}
     */
    public record Backup(int number, String controllerVersion, boolean now, String accountName, String bucketName,
            Map<String, String> params) {
    }

    /** An upgrade the fake accepted, numbered from 1 as a hop. */
    public record Upgrade(int hop, String requestId, String from, String to, boolean withGateways,
            Status status, String reason) {
        /** Where an upgrade stands. */
        public enum Status {
            /** Accepted and not finished. */
            IN_PROGRESS,
            /** Finished; the controller runs {@code to}. */
            COMPLETE,
            /** Finished without moving; {@code reason} says why. */
            FAILED
        }
    }

    /** An audit record, as {@code get_account_audit_records} returns it [A]. */
    public record AuditRecord(String accountName, String status, String comment) {
    }

    /**
     * One request as received, for tests that check what a client sent (including tests that no
     * secret leaks). Headers are keyed in lower case; {@code query} is the raw query string ("" when
     * none); {@code params} merges the query and the form or JSON body; {@code status} is the HTTP
     * status the fake answered.
     */
    public record RecordedRequest(String method, String path, String query, String action,
            Map<String, List<String>> headers, Map<String, String> params, String body, int status) {

        /**
         * The request with its secrets masked (password, CID, API token, the raw query and body), so a failed
         * assertion that prints requests never puts credentials in a test report. The accessors keep the real
         * values for tests that look for leaks.
         */
        @Override
        public String toString() {
            Map<String, String> shown = new java.util.TreeMap<>(params);
            for (String secret : List.of("password", "CID", "new_password")) {
                shown.computeIfPresent(secret, (k, v) -> "****");
            }
            return "RecordedRequest{" + method + " " + path + ", action=" + action + ", params=" + shown
                    + ", headers=" + new java.util.TreeSet<>(headers.keySet()) + ", status=" + status + "}";
        }
    }

    private final Builder config;
    private final HttpServer server;
    private final URI uri;
    private final SecureRandom random = new SecureRandom();

    // Everything below is guarded by "this".
    private String apiToken;
    private final Set<String> sessions = new HashSet<>();
    private String expiryReason;
    private FakeVersion current;
    private FakeVersion previous;
    private final List<FakeVersion> train;
    private final List<String> versionsReached = new ArrayList<>();
    private final Map<String, String> gateways;
    private final List<AuditRecord> audit;
    private boolean backupEnabled;
    private final Map<String, String> backupSettings = new LinkedHashMap<>();
    private final List<Backup> backups = new ArrayList<>();
    private int backupCalls;
    private final Map<Integer, String> backupFailures = new HashMap<>();
    private String allBackupsFailure;
    private String auditFailure;
    private final Map<Integer, String> upgradeFailures = new HashMap<>();
    private final List<Upgrade> upgrades = new ArrayList<>();
    private InFlight inFlight;
    private int unavailableLeft;
    private int unavailableStartsLeft;
    private int unavailableBackupsLeft;
    private int activeUpgradeAnswersLeft;
    private final List<RecordedRequest> requests = new ArrayList<>();

    private static final class InFlight {
        final int index;
        final FakeVersion target;
        final boolean withGateways;
        final String failure;
        int requestsLeft;

        InFlight(int index, FakeVersion target, boolean withGateways, String failure, int requestsLeft) {
            this.index = index;
            this.target = target;
            this.withGateways = withGateways;
            this.failure = failure;
            this.requestsLeft = requestsLeft;
        }
    }

    private FakeController(Builder b) {
        this.config = b;
        this.current = FakeVersion.parse(b.version);
        this.previous = b.previousVersion == null ? null : FakeVersion.parse(b.previousVersion);
        TreeSet<FakeVersion> t = new TreeSet<>();
        b.train.forEach(s -> t.add(FakeVersion.parse(s)));
        t.add(current);
        this.train = List.copyOf(t);
        this.versionsReached.add(current.text);
        this.gateways = new LinkedHashMap<>(b.gateways);
        this.gateways.replaceAll((name, v) -> v == null ? current.text : v);
        this.audit = new ArrayList<>(b.audit);
        this.backupEnabled = b.backupEnabled;
        if (b.backupEnabled) {
            backupSettings.put("cloud_type", "1");
            backupSettings.put("acct_name", b.backupAccount);
            backupSettings.put("bucket_name", b.backupBucket);
        }
        this.expiryReason = b.expiryReason;
        this.unavailableStartsLeft = b.unavailableDuringStart;
        this.unavailableBackupsLeft = b.unavailableDuringBackup;
        this.activeUpgradeAnswersLeft = b.activeUpgradeAnswers;
        this.apiToken = newSecret();
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            if (b.https) {
                HttpsServer https = HttpsServer.create(address, 0);
                https.setHttpsConfigurator(new HttpsConfigurator(SelfSignedCertificate.get().serverContext()));
                this.server = https;
            } else {
                this.server = HttpServer.create(address, 0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("FakeController could not open a loopback port", e);
        }
        server.createContext("/", this::handle);
        server.start();
        this.uri = URI.create((b.https ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort());
        log.debug("FakeController started at {} running {}", uri, current);
    }

    /** @return a builder with the defaults described on {@link FakeController} */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a started fake with every default */
    public static FakeController start() {
        return builder().start();
    }

    // ---------------------------------------------------------------- state for tests

    /** @return the controller's address, e.g. {@code http://127.0.0.1:40123}, without a path */
    public URI uri() {
        return uri;
    }

    /** @return whether the fake serves HTTPS */
    public boolean isHttps() {
        return config.https;
    }

    /**
     * A trust store holding only the fake's self-signed certificate (the same certificate for every
     * HTTPS fake in this JVM), for clients that must trust it explicitly.
     *
     * @return the trust store
     * @throws IllegalStateException if the fake serves plain HTTP
     */
    public KeyStore trustStore() {
        requireHttps();
        return SelfSignedCertificate.get().trustStore;
    }

    /**
     * @return a client {@link SSLContext} that trusts only the fake's certificate
     * @throws IllegalStateException if the fake serves plain HTTP
     */
    public SSLContext clientSslContext() {
        requireHttps();
        return SelfSignedCertificate.get().clientContext();
    }

    private void requireHttps() {
        if (!config.https) {
            throw new IllegalStateException("FakeController serves plain HTTP: build it with https() for a trust store");
        }
    }

    /** @return the administrator user name */
    public String username() {
        return config.username;
    }

    /** @return the version the controller runs now, as it reports it */
    public synchronized String version() {
        return current.text;
    }

    /** @return the starting version and every version an upgrade reached, in order */
    public synchronized List<String> versionsReached() {
        return List.copyOf(versionsReached);
    }

    /** @return the backups taken, in order, each with the version it was taken on */
    public synchronized List<Backup> backups() {
        return List.copyOf(backups);
    }

    /** @return the upgrades accepted, in order */
    public synchronized List<Upgrade> upgrades() {
        return List.copyOf(upgrades);
    }

    /** @return gateway name to the version it runs */
    public synchronized Map<String, String> gatewayVersions() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(gateways));
    }

    /** @return every request received, in order */
    public synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /**
     * @param action an API action such as {@code login}
     * @return the requests for that action, in order
     */
    public synchronized List<RecordedRequest> requests(String action) {
        return requests.stream().filter(r -> action.equals(r.action())).toList();
    }

    /**
     * @param action an API action such as {@code platform_upgrade_status}
     * @return how many requests named it, including those answered 502/503
     */
    public synchronized int requestCount(String action) {
        return requests(action).size();
    }

    /** @return how many requests of each action arrived */
    public synchronized Map<String, Integer> requestCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        requests.forEach(r -> counts.merge(String.valueOf(r.action()), 1, Integer::sum));
        return counts;
    }

    /** @return how many sessions (CIDs) are valid now */
    public synchronized int validSessions() {
        return sessions.size();
    }

    // ---------------------------------------------------------------- scripting

    /**
     * Invalidates every session now; the next call with an old CID gets the configured expiry reason.
     *
     * @return this fake
     */
    public synchronized FakeController expireSessions() {
        sessions.clear();
        return this;
    }

    /**
     * @param reason {@link #CID_EXPIRED} or {@link #SESSION_INVALID} (or any text, to test unknown reasons)
     * @return this fake
     */
    public synchronized FakeController expiryReason(String reason) {
        this.expiryReason = Objects.requireNonNull(reason, "expiryReason");
        return this;
    }

    /**
     * Makes the {@code hop}-th accepted upgrade (from 1) end as failed with {@code reason}, leaving
     * the version where it was.
     *
     * @param hop the upgrade's number, from 1
     * @param reason what {@code platform_upgrade_status} reports
     * @return this fake
     */
    public synchronized FakeController failUpgradeAtHop(int hop, String reason) {
        requirePositive("hop", hop);
        upgradeFailures.put(hop, Objects.requireNonNull(reason, "reason"));
        return this;
    }

    /**
     * Makes the {@code n}-th backup request (from 1) fail with {@code reason}.
     *
     * @param n the backup request's number, from 1
     * @param reason the controller's reason
     * @return this fake
     */
    public synchronized FakeController failBackupAt(int n, String reason) {
        requirePositive("n", n);
        backupFailures.put(n, Objects.requireNonNull(reason, "reason"));
        return this;
    }

    /**
     * @param reason the reason every later backup request fails with
     * @return this fake
     */
    public synchronized FakeController failBackups(String reason) {
        this.allBackupsFailure = Objects.requireNonNull(reason, "reason");
        return this;
    }

    /**
     * @param reason the reason {@code get_account_audit_records} fails with
     * @return this fake
     */
    public synchronized FakeController failAudit(String reason) {
        this.auditFailure = Objects.requireNonNull(reason, "reason");
        return this;
    }

    /**
     * Sets what a gateway runs, e.g. to make it lag the controller.
     *
     * @param name the gateway
     * @param version its version
     * @return this fake
     */
    public synchronized FakeController gatewayVersion(String name, String version) {
        gateways.put(Objects.requireNonNull(name, "name"), FakeVersion.parse(version).text);
        return this;
    }

    /**
     * @param record an audit record to add
     * @return this fake
     */
    public synchronized FakeController auditRecord(AuditRecord record) {
        audit.add(Objects.requireNonNull(record, "record"));
        return this;
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("FakeController " + name + " " + value + " must be at least 1");
        }
    }

    /** Stops the server at once. */
    @Override
    public void close() {
        server.stop(0);
    }

    @Override
    public String toString() {
        return "FakeController[" + uri + ", version " + version() + "]";
    }

    // ---------------------------------------------------------------- HTTP

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            byte[] bodyBytes;
            try (InputStream in = exchange.getRequestBody()) {
                bodyBytes = in.readAllBytes();
            }
            String body = new String(bodyBytes, StandardCharsets.UTF_8);
            Map<String, String> params = new LinkedHashMap<>(parseForm(exchange.getRequestURI().getRawQuery()));
            String contentType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse("");
            if (contentType.startsWith("application/json") && !body.isBlank()) {
                params.putAll(parseJson(body));
            } else if (!body.isBlank()) {
                params.putAll(parseForm(body));
            }
            Map<String, List<String>> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), List.copyOf(v)));
            Response response = answer(method, path, params, exchange.getRequestHeaders().getFirst("X-Access-Key"));
            synchronized (this) {
                requests.add(new RecordedRequest(method, path,
                        Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse(""), params.get("action"), Collections.unmodifiableMap(headers),
                        Collections.unmodifiableMap(params), body, response.status));
            }
            byte[] out = response.body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", response.contentType);
            exchange.sendResponseHeaders(response.status, out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        }
    }

    private record Response(int status, String contentType, String body) {
        static Response json(JsonNode node) {
            return new Response(200, "application/json", node.toString());
        }

        static Response text(String body) {
            return new Response(200, "text/plain", body);
        }
    }

    private static Response notFound() {
        return new Response(404, "text/html", "<html><head><title>404 Not Found</title></head></html>");
    }

    private static Response unavailable(boolean proxyError) {
        // Only these substrings are known of a real 502/503 page [V7, CH; reference section 5].
        return proxyError
                ? new Response(502, "text/html", "<html><head><title>502 Proxy Error</title></head>"
                        + "<body><h1>Proxy Error</h1></body></html>")
                : new Response(503, "text/html", "<html><head><title>503 Service Unavailable</title></head>"
                        + "<body><h1>Service Unavailable</h1></body></html>");
    }

    private synchronized Response answer(String method, String path, Map<String, String> params, String accessKey) {
        Era era = Era.of(current);
        String action = params.getOrDefault("action", "");
        boolean starts = isStart(path, action);
        if (unavailableLeft > 0) {
            unavailableLeft--;
            return unavailable(unavailableLeft % 2 == 0);
        }
        switch (path) {
            case "/v2/api" -> {
                // ASSUMPTION: /v2/api does not exist before 7.0 (C2 introduced it with the token); H1 reads a 404
                // there as "no token endpoint", which is the answer given here.
                if (!era.tokens()) {
                    return notFound();
                }
                // 7.0 serves only the token and login on /v2/api; its actions stay on /v1/api [C2].
                // ASSUMPTION: other actions there get the generic refusal [H2 strings].
                if (era == Era.TOKEN_V1_ACTIONS && !NO_SESSION_ACTIONS.contains(action)) {
                    return fail(VALID_ACTION_REQUIRED);
                }
            }
            case "/v1/api" -> {
                if (action.equals("get_api_token")) {
                    // The token action lives on /v2/api [C2, H1].
                    return fail(VALID_ACTION_REQUIRED);
                }
            }
            case "/v1/backend1" -> {
                // /v1/backend1 carries userconnect_release up to 3.2 [V1] and check_upgrade_status for 6.5–7.0 [V4, V5].
                boolean ok = (action.equals("userconnect_release") && era == Era.USERCONNECT_RELEASE)
                        || (action.equals("check_upgrade_status")
                                && (era == Era.CHECK_UPGRADE_STATUS || era == Era.TOKEN_V1_ACTIONS));
                if (!ok) {
                    return fail(VALID_ACTION_REQUIRED);
                }
            }
            default -> {
                return notFound();
            }
        }
        if (!NO_SESSION_ACTIONS.contains(action) && !sessions.contains(params.getOrDefault("CID", ""))) {
            return fail(knownAction(action) ? expiryReason : VALID_ACTION_REQUIRED);
        }
        if (!starts) {
            // Time is counted in requests: every request after a start brings a running upgrade nearer its end.
            progress();
            era = Era.of(current);
        }
        int upgradesBefore = upgrades.size();
        int backupsBefore = backups.size();
        Response r = switch (action) {
            case "get_api_token" -> Response.json(getApiToken());
            case "login" -> Response.json(login(method, path, params, accessKey));
            case "list_version_info" -> Response.json(listVersionInfo(era, params));
            case "userconnect_release" -> userconnectRelease();
            case "upgrade" -> startUpgrade(era, method, params, true);
            case "upgrade_platform" -> startUpgrade(era, method, params, false);
            case "check_upgrade_status" -> Response.json(checkUpgradeStatus(params));
            case "platform_upgrade_status" -> Response.json(platformUpgradeStatus(era));
            case "list_vpcs_summary" -> Response.json(listVpcsSummary(era, params));
            case "upgrade_selected_gateway" -> Response.json(upgradeGateway(era, params));
            case "enable_cloudn_backup_config" -> Response.json(backup(params));
            case "get_cloudn_backup_config" -> Response.json(backupConfig());
            case "get_account_audit_records" -> Response.json(auditRecords(era));
            default -> fail(VALID_ACTION_REQUIRED);
        };
        if (starts && r.status() == 200 && upgrades.size() > upgradesBefore && unavailableStartsLeft > 0) {
            // The start was accepted and the controller began to restart its web server before it answered:
            // the one ambiguity the reference warns of (502/503 pages while upgrading [V7, CH]).
            unavailableStartsLeft--;
            return unavailable(true);
        }
        if (backups.size() > backupsBefore && unavailableBackupsLeft > 0) {
            // The same ambiguity for a backup: taken, but its answer lost.
            unavailableBackupsLeft--;
            return unavailable(false);
        }
        return r;
    }

    private static boolean isStart(String path, String action) {
        return action.equals("upgrade") || action.equals("upgrade_platform") || action.equals("userconnect_release");
    }

    private boolean knownAction(String action) {
        return switch (action) {
            case "list_version_info", "upgrade", "upgrade_platform", "userconnect_release", "check_upgrade_status",
                    "platform_upgrade_status", "list_vpcs_summary", "upgrade_selected_gateway",
                    "enable_cloudn_backup_config", "get_cloudn_backup_config", "get_account_audit_records" -> true;
            default -> false;
        };
    }

    private static Response fail(String reason) {
        return Response.json(envelope(false, null, reason));
    }

    private static Response unknown(String what) {
        return fail(UNKNOWN_PREFIX + what);
    }

    /** The envelope {@code {return, results, reason}} [C0]. */
    private static ObjectNode envelope(boolean ok, Object results, String reason) {
        ObjectNode node = JSON.createObjectNode();
        node.put("return", ok);
        if (results instanceof JsonNode j) {
            node.set("results", j);
        } else if (results instanceof Integer i) {
            node.put("results", i);
        } else if (results != null) {
            node.put("results", results.toString());
        }
        if (reason != null) {
            node.put("reason", reason);
        }
        return node;
    }

    // ---------------------------------------------------------------- session

    private JsonNode getApiToken() {
        if (!config.apiTokens) {
            // H1 reads return:false as "no token endpoint".
            return envelope(false, null, VALID_ACTION_REQUIRED);
        }
        // results.api_token and results.legal_terms [C2, H1].
        ObjectNode results = JSON.createObjectNode().put("api_token", apiToken).put("legal_terms", "(fake terms)");
        return envelope(true, results, null);
    }

    private JsonNode login(String method, String path, Map<String, String> params, String accessKey) {
        if (!"POST".equals(method)) {
            // The provider logs in with a POST form [C0]; H0's GET login is not modelled.
            return envelope(false, null, UNKNOWN_PREFIX + "login by " + method);
        }
        Era era = Era.of(current);
        if (path.equals("/v2/api") && config.apiTokens && !apiToken.equals(accessKey)) {
            // ASSUMPTION: a wrong token on /v2/api is refused; no source gives the wording, so the text is the fake's.
            return envelope(false, null, "FakeController: X-Access-Key missing or wrong");
        }
        if (path.equals("/v1/api") && era.tokens() && config.apiTokens && era != Era.TOKEN_V1_ACTIONS) {
            // 7.0 did not strictly enforce the token [FN]; when enforcement began is unknown, so from 7.1 a login
            // without it is not modelled.
            return envelope(false, null, UNKNOWN_PREFIX + "login on /v1/api without a token from 7.1");
        }
        if (!config.username.equals(params.get("username")) || !config.password.equals(params.get("password"))) {
            return envelope(false, null, "FakeController: invalid username or password");
        }
        String cid = newSecret();
        sessions.add(cid);
        // Top-level CID [C0]; "authorized successfully" in results [AZ].
        ObjectNode node = envelope(true, "User login:" + config.username + " in account:admin has been authorized "
                + "successfully - Please check email confirmation.", null);
        node.put("CID", cid);
        return node;
    }

    // ---------------------------------------------------------------- versions

    private JsonNode listVersionInfo(Era era, Map<String, String> params) {
        if (!current.atLeast(3, 2)) {
            // The provider reads this reason from list_version_info as a pre-3.2 controller (it assumes 3.1) [V1].
            return envelope(false, null, VALID_ACTION_REQUIRED);
        }
        ObjectNode results = JSON.createObjectNode();
        results.put("current_version", current.text);
        // previous_version may be empty [V5].
        results.put("previous_version", previous == null ? "" : previous.text);
        if ("true".equalsIgnoreCase(params.get("latest_version"))) {
            // latest_version=true asks for the newest release [V3]; empty means already latest [R].
            FakeVersion newest = train.get(train.size() - 1);
            results.put("latest_version", newest.compareTo(current) > 0 ? newest.text : "");
        }
        return envelope(true, results, null);
    }

    // ---------------------------------------------------------------- upgrades

    private Response userconnectRelease() {
        // POST /v1/backend1 userconnect_release, CID; the provider does not parse the body and fails only on a
        // status other than 200 [V1]. The body and whether the call blocks are unknown (reference section 5).
        // ASSUMPTION: the call upgrades to the next release synchronously (one release at a time before 3.3 [IU]);
        // the body is plain text, and "in progress" appears in it while an upgrade runs (V1 retries on it).
        if (activeUpgradeAnswersLeft > 0) {
            activeUpgradeAnswersLeft--;
            return Response.text("FakeController: " + ACTIVE_UPGRADE);
        }
        Optional<FakeVersion> next = nextRelease(current);
        if (next.isEmpty()) {
            return new Response(500, "text/plain", "FakeController: no later release in the train");
        }
        String refusal = steppingRefusal(newestOf(next.get()));
        if (refusal != null) {
            return new Response(500, "text/plain", refusal);
        }
        finishSynchronously(newestOf(next.get()), true);
        return Response.text("FakeController: userconnect_release done (the real body is unknown)");
    }

    private Response startUpgrade(Era era, String method, Map<String, String> params, boolean withGateways) {
        if (era == Era.EIGHT) {
            // The provider removed upgrades in v8.0.0 [CK commit message]; the 8.x upgrade API is unknown.
            return unknown("the 8.x upgrade API");
        }
        if (era == Era.USERCONNECT_RELEASE) {
            // Up to 3.2 the provider upgrades with userconnect_release [V1].
            return fail(VALID_ACTION_REQUIRED);
        }
        if (!withGateways && !era.from65()) {
            // Controller-only upgrades exist from 6.5; before, an upgrade moves all gateways too [V3, IU].
            return fail(VALID_ACTION_REQUIRED);
        }
        if (inFlight != null || activeUpgradeAnswersLeft > 0) {
            // The reason the provider's synchronous path waits on [V1, V2].
            if (inFlight == null) {
                activeUpgradeAnswersLeft--;
            }
            return fail(ACTIVE_UPGRADE);
        }
        String requested = withGateways ? params.get("version") : params.get("software_version");
        FakeVersion target;
        if (requested == null || requested.isBlank()) {
            if (!withGateways) {
                return fail("FakeController: software_version is required");
            }
            // "latest": no version parameter [V2, V3]; from 3.3 the latest is the next release [IU].
            Optional<FakeVersion> next = nextRelease(current);
            if (next.isEmpty()) {
                return fail("FakeController: already on the latest release " + current);
            }
            target = newestOf(next.get());
        } else {
            Optional<FakeVersion> parsed = FakeVersion.tryParse(requested);
            if (parsed.isEmpty()) {
                return fail("FakeController: invalid release version " + requested);
            }
            // A bare release names its newest build, as the custom-release field reads it [IU].
            Optional<FakeVersion> listed = parsed.get().rest.isEmpty()
                    ? train.stream().filter(v -> v.sameRelease(parsed.get())).reduce((a, b) -> b)
                    : train.stream().filter(v -> v.equals(parsed.get())).findFirst();
            if (listed.isEmpty()) {
                return fail("FakeController: release " + requested + " is not available");
            }
            target = listed.get();
        }
        String refusal = steppingRefusal(target);
        if (refusal != null) {
            return fail(refusal);
        }
        if (era == Era.SYNCHRONOUS) {
            // GET /v1/api?CID&action=upgrade[&version]: synchronous; return:true is done; re-login after [V2, V3].
            String failure = upgradeFailures.get(upgrades.size() + 1);
            if (failure != null) {
                upgrades.add(new Upgrade(upgrades.size() + 1, "", current.text, target.text, true,
                        Upgrade.Status.FAILED, failure));
                return fail(failure);
            }
            finishSynchronously(target, true);
            return Response.json(envelope(true, "FakeController: upgraded to " + target, null));
        }
        int hop = upgrades.size() + 1;
        int id = 1000 + hop;
        upgrades.add(new Upgrade(hop, String.valueOf(id), current.text, target.text, withGateways,
                Upgrade.Status.IN_PROGRESS, null));
        inFlight = new InFlight(upgrades.size() - 1, target, withGateways, upgradeFailures.get(hop),
                config.inProgressPolls);
        unavailableLeft = config.unavailableResponses;
        log.debug("FakeController accepted upgrade {} from {} to {}", hop, current, target);
        if (era == Era.PLATFORM_UPGRADE_STATUS) {
            // {return, results:string, reason} [V7].
            return Response.json(envelope(true, String.valueOf(id), null));
        }
        if ("ui".equals(params.get("caller"))) {
            // v2.20.0–.1 sent caller=ui and read a bare integer [V4].
            return Response.text(String.valueOf(id));
        }
        if ("true".equals(params.get("async"))) {
            // v2.20.2–v3.0.7 sent async=true and read {return:true, results:<int>} [V5].
            return Response.json(envelope(true, id, null));
        }
        // Neither marker: what such a controller does is unknown.
        upgrades.remove(upgrades.size() - 1);
        inFlight = null;
        unavailableLeft = 0;
        return unknown("an upgrade start without caller=ui or async=true on " + current);
    }

    /**
     * The documented stepping rules, or null when the move to {@code target} is allowed. The rules are sourced; the
     * wording is the fake's own, since no source gives the controller's refusal texts.
     */
    private String steppingRefusal(FakeVersion target) {
        if (target.compareTo(current) <= 0) {
            return "FakeController: " + current + " cannot move to " + target + " (no rollback of a controller [SU])";
        }
        for (Map.Entry<String, String> gw : gateways.entrySet()) {
            // All gateways must run the controller's version before the next upgrade [SU0, SU]; the real text exists
            // only as a screenshot.
            if (!FakeVersion.parse(gw.getValue()).sameBuild(current)) {
                return "FakeController: gateway " + gw.getKey() + " runs " + gw.getValue() + ", not " + current;
            }
        }
        if (target.sameRelease(current)) {
            return null;
        }
        FakeVersion newestOfCurrent = newestOf(current);
        if (!current.atLeast(6, 5) && !current.rest.isEmpty() && newestOfCurrent.compareTo(current) > 0) {
            // Up to 6.4, first the latest build of the current release [IU].
            return "FakeController: upgrade to the latest build of " + current.release() + " first";
        }
        FakeVersion next = nextRelease(current).orElse(target);
        if (!target.sameRelease(next)) {
            // One release at a time [IU, SU]; 4.7 -> 5.1 is blocked [RN R5.1.845].
            return "FakeController: " + target + " is not the next release after " + current;
        }
        // Minimum builds before the next release, where a source states one as a requirement.
        if (current.sameRelease(FakeVersion.parse("5.4")) && current.buildBelow(1990)) {
            return "FakeController: be on 5.4.1990 or later before 6.0 [IU0]";
        }
        if (current.sameRelease(FakeVersion.parse("6.0")) && current.buildBelow(2483)) {
            return "FakeController: be on 6.0.2483 or later before 6.1 [IU0]";
        }
        if (current.sameRelease(FakeVersion.parse("6.5")) && current.buildBelow(1922)) {
            return "FakeController: be on 6.5.1922 or later before 6.6 [RN 6.6.5224]";
        }
        return null;
    }

    private void finishSynchronously(FakeVersion target, boolean withGateways) {
        int hop = upgrades.size() + 1;
        upgrades.add(new Upgrade(hop, "", current.text, target.text, withGateways, Upgrade.Status.COMPLETE, null));
        moveTo(target, withGateways);
        // The web server restarts after a synchronous upgrade: the next requests meet 502/503 pages [V7, CH].
        unavailableLeft = config.unavailableResponses;
    }

    private void moveTo(FakeVersion target, boolean withGateways) {
        previous = current;
        current = target;
        versionsReached.add(current.text);
        if (withGateways) {
            // Before 6.5 (and with "upgrade" after) the gateways move with the controller [IU].
            gateways.replaceAll((name, v) -> current.text);
        }
        // A re-login is needed after an upgrade [V2, V3, V4].
        sessions.clear();
    }

    private Optional<FakeVersion> nextRelease(FakeVersion v) {
        return train.stream().filter(t -> t.compareRelease(v) > 0).findFirst();
    }

    private FakeVersion newestOf(FakeVersion release) {
        return train.stream().filter(t -> t.sameRelease(release)).reduce((a, b) -> b).orElse(release);
    }

    /** Counts one request against a running upgrade and finishes it when its requests are used up. */
    private void progress() {
        if (inFlight == null) {
            return;
        }
        if (inFlight.requestsLeft > 0) {
            inFlight.requestsLeft--;
            return;
        }
        Upgrade u = upgrades.get(inFlight.index);
        Upgrade done;
        if (inFlight.failure != null) {
            done = new Upgrade(u.hop(), u.requestId(), u.from(), u.to(), u.withGateways(), Upgrade.Status.FAILED,
                    inFlight.failure);
        } else {
            moveTo(inFlight.target, inFlight.withGateways);
            done = new Upgrade(u.hop(), u.requestId(), u.from(), u.to(), u.withGateways(), Upgrade.Status.COMPLETE,
                    null);
        }
        upgrades.set(inFlight.index, done);
        inFlight = null;
        log.debug("FakeController finished upgrade {}: {}", done.hop(), done.status());
    }

    private JsonNode checkUpgradeStatus(Map<String, String> params) {
        // POST /v1/backend1 check_upgrade_status, CID, id, pos -> {pos, done, status, result}; done:false = poll;
        // result starting "Error" = failure; anything else = success [V4, V5]. The meaning of pos and status and the
        // success text are unknown: the fake echoes pos, sets status to !failed and writes its own success text.
        String id = params.getOrDefault("id", "");
        Optional<Upgrade> u = upgrades.stream().filter(x -> x.requestId().equals(id)).findFirst();
        ObjectNode node = JSON.createObjectNode();
        node.put("pos", parseInt(params.get("pos"), 0));
        if (u.isEmpty()) {
            node.put("done", true).put("status", false).put("result", "Error: FakeController: unknown id " + id);
            return node;
        }
        switch (u.get().status()) {
            case IN_PROGRESS -> node.put("done", false).put("status", true).put("result", "");
            case COMPLETE -> node.put("done", true).put("status", true)
                    .put("result", "FakeController: upgrade to " + u.get().to() + " finished");
            case FAILED -> node.put("done", true).put("status", false).put("result", "Error: " + u.get().reason());
        }
        return node;
    }

    private JsonNode platformUpgradeStatus(Era era) {
        // results.is_upgrade_in_progress; results.platform_upgrade.results.status "complete" / "in progress" /
        // other with .reason [V7]. Other status values are unknown; the fake uses "failed".
        Upgrade u = upgrades.isEmpty() ? null : upgrades.get(upgrades.size() - 1);
        ObjectNode status = JSON.createObjectNode();
        boolean running = u != null && u.status() == Upgrade.Status.IN_PROGRESS;
        status.put("status", u == null || u.status() == Upgrade.Status.COMPLETE ? "complete"
                : running ? "in progress" : "failed");
        if (u != null && u.reason() != null) {
            status.put("reason", u.reason());
        }
        ObjectNode results = JSON.createObjectNode();
        results.put("is_upgrade_in_progress", running);
        results.set("platform_upgrade", JSON.createObjectNode().set("results", status));
        return envelope(true, results, null);
    }

    // ---------------------------------------------------------------- gateways

    private JsonNode listVpcsSummary(Era era, Map<String, String> params) {
        if (!era.from65()) {
            // Gateway versions are read since v2.20.0 (6.5); older controllers are unknown [G].
            return envelope(false, null, UNKNOWN_PREFIX + "list_vpcs_summary before 6.5");
        }
        // results: array; per gateway vpc_name, gw_software_version, gw_image_name; HA under hagw_details,
        // named <primary>-hagw [G].
        ArrayNode results = JSON.createArrayNode();
        String only = params.get("gateway_name");
        for (Map.Entry<String, String> gw : gateways.entrySet()) {
            if (gw.getKey().endsWith("-hagw") || (only != null && !only.equals(gw.getKey()))) {
                continue;
            }
            ObjectNode g = results.addObject();
            g.put("vpc_name", gw.getKey()).put("gw_software_version", gw.getValue())
                    .put("gw_image_name", "hvm-cloudx-aws-031222");
            String ha = gw.getKey() + "-hagw";
            if (gateways.containsKey(ha)) {
                g.putObject("hagw_details").put("vpc_name", ha).put("gw_software_version", gateways.get(ha))
                        .put("gw_image_name", "hvm-cloudx-aws-031222");
            }
        }
        return envelope(true, results, null);
    }

    private JsonNode upgradeGateway(Era era, Map<String, String> params) {
        if (!era.from65()) {
            return envelope(false, null, UNKNOWN_PREFIX + "upgrade_selected_gateway before 6.5");
        }
        // gateway_list=<one name>, software_version, image_version; success is return:true [G].
        String name = params.getOrDefault("gateway_list", "");
        if (name.contains(",")) {
            return envelope(false, null, UNKNOWN_PREFIX + "several gateways in one upgrade_selected_gateway");
        }
        if (!params.containsKey("image_version")) {
            return envelope(false, null, UNKNOWN_PREFIX + "upgrade_selected_gateway without image_version");
        }
        if (!gateways.containsKey(name)) {
            return envelope(false, null, "FakeController: gateway " + name + " does not exist");
        }
        Optional<FakeVersion> wanted = FakeVersion.tryParse(params.getOrDefault("software_version", ""));
        // Gateways go only to the controller's version; rollback only to its previous one [SU].
        if (wanted.isEmpty() || !(wanted.get().sameBuild(current) || (previous != null
                && wanted.get().sameBuild(previous)))) {
            return envelope(false, null, "FakeController: a gateway can run only " + current
                    + (previous == null ? "" : " or " + previous));
        }
        String ha = name + "-hagw";
        if (!name.endsWith("-hagw") && gateways.containsKey(ha)
                && !FakeVersion.parse(gateways.get(ha)).sameBuild(wanted.get())) {
            // HA gateways before primaries [SU]; the refusal text is the fake's own.
            return envelope(false, null, "FakeController: upgrade " + ha + " before " + name);
        }
        gateways.put(name, wanted.get().text);
        return envelope(true, "FakeController: " + name + " runs " + wanted.get(), null);
    }

    // ---------------------------------------------------------------- backups and audit

    private JsonNode backup(Map<String, String> params) {
        backupCalls++;
        String failure = backupFailures.getOrDefault(backupCalls, allBackupsFailure);
        if (failure != null) {
            return envelope(false, null, failure);
        }
        int cloudType = parseInt(params.get("cloud_type"), -1);
        String cloud = CLOUDS.get(cloudType);
        if (cloud == null) {
            return envelope(false, null, "FakeController: invalid cloud_type " + params.get("cloud_type"));
        }
        List<String> missing = new ArrayList<>();
        boolean upTo70 = !current.atLeast(7, 1);
        boolean is71 = current.major == 7 && current.minor == 1;
        // Up to 7.0: account_name and multiple [B0]; 7.1: acct_name and multiple_bkup, others unchanged [B1];
        // 7.2+: acct_name, region, Azure storage_name and container_name, others bucket_name, multiple_bkup [B2].
        String accountParam = upTo70 ? "account_name" : "acct_name";
        String account = params.getOrDefault(accountParam, "");
        if (account.isBlank()) {
            missing.add(accountParam);
        }
        String stale = upTo70 ? "acct_name" : "account_name";
        if (params.containsKey(stale) || params.containsKey(upTo70 ? "multiple_bkup" : "multiple")) {
            // Whether the other era's names are accepted is unknown (reference section 5).
            return envelope(false, null, UNKNOWN_PREFIX + "backup parameter " + (params.containsKey(stale) ? stale
                    : upTo70 ? "multiple_bkup" : "multiple") + " on " + current);
        }
        // Required per cloud: AWS, AWSGov, GCP a bucket; Azure storage, container, region; OCI bucket, region [R].
        List<String> needed = switch (cloud) {
            case "Azure" -> List.of("storage_name", "container_name", "region");
            case "OCI" -> List.of("bucket_name", "region");
            default -> List.of("bucket_name");
        };
        for (String p : needed) {
            if (params.getOrDefault(p, "").isBlank()) {
                missing.add(p);
            }
        }
        if (!upTo70 && !is71 && !cloud.equals("Azure") && !cloud.equals("OCI") && !params.containsKey("region")) {
            // From 7.2 region is always sent [B2].
            missing.add("region");
        }
        if (!missing.isEmpty()) {
            return envelope(false, null, "FakeController: missing " + String.join(", ", missing) + " for " + cloud);
        }
        Map<String, String> sent = new TreeMap<>(params);
        sent.remove("CID");
        sent.remove("action");
        backupEnabled = true;
        backupSettings.clear();
        backupSettings.putAll(sent);
        backupSettings.remove("now");
        boolean now = "true".equalsIgnoreCase(params.get("now"));
        backups.add(new Backup(backups.size() + 1, current.text, now, account,
                params.getOrDefault("bucket_name", ""), Collections.unmodifiableMap(sent)));
        // ASSUMPTION: the answer to now=true, and whether /v2/api takes it, are unknown [AZ; reference section 5]; the
        // fake takes it on either endpoint and answers return:true.
        return envelope(true, "FakeController: backup configured" + (now ? " and taken" : ""), null);
    }

    private JsonNode backupConfig() {
        // results.enabled (yes), acct_name, cloud_type (int), bucket_name, storage_name, container_name, region,
        // multiple_bkup (yes) [B0–B2].
        ObjectNode results = JSON.createObjectNode();
        results.put("enabled", backupEnabled ? "yes" : "no");
        if (backupEnabled) {
            String account = backupSettings.getOrDefault("acct_name", backupSettings.getOrDefault("account_name", ""));
            results.put("acct_name", account);
            results.put("cloud_type", parseInt(backupSettings.get("cloud_type"), 1));
            for (String k : List.of("bucket_name", "storage_name", "container_name", "region")) {
                results.put(k, backupSettings.getOrDefault(k, ""));
            }
            boolean multiple = "true".equals(backupSettings.get("multiple_bkup"))
                    || "true".equals(backupSettings.get("multiple"));
            results.put("multiple_bkup", multiple ? "yes" : "no");
        }
        return envelope(true, results, null);
    }

    private JsonNode auditRecords(Era era) {
        if (!era.from65()) {
            // The provider reads the audit since v2.19.0 [A]; the first controller release with it is unknown.
            // ASSUMPTION: from 6.5 (the first release the provider's tags map to [RC]).
            return envelope(false, null, UNKNOWN_PREFIX + "get_account_audit_records before 6.5");
        }
        if (auditFailure != null) {
            return envelope(false, null, auditFailure);
        }
        ArrayNode results = JSON.createArrayNode();
        for (AuditRecord r : audit) {
            results.addObject().put("account_name", r.accountName()).put("status", r.status())
                    .put("comment", r.comment());
        }
        return envelope(true, results, null);
    }

    private static int parseInt(String s, int otherwise) {
        try {
            return Integer.parseInt(s == null ? "" : s.strip());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private String newSecret() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    private static Map<String, String> parseForm(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static Map<String, String> parseJson(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            JsonNode node = JSON.readTree(body);
            node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isValueNode()
                    ? e.getValue().asText() : e.getValue().toString()));
        } catch (IOException e) {
            out.put("action", "");
        }
        return out;
    }

    /**
     * Configures a {@link FakeController}; {@link #start()} starts one and can be called again for
     * another fake with the same settings. A bad value is recorded and reported by {@link #start()} with
     * every other problem, in one {@link IllegalArgumentException} (the testkit does not depend on
     * {@code stepwise-core}, whose {@code PlanValidationException} the library's builders throw); a later
     * valid value for the same setting replaces a bad one. Not thread-safe.
     *
     * <pre>{@code
     * FakeController fake = FakeController.builder().
     *     version("6.5.2608").
     *     inProgressPolls(2).
     *     unavailableResponses(1).
     *     https().
     *     start();
     * }</pre>
     */
    public static final class Builder {
        private String username = DEFAULT_USERNAME;
        private String password = DEFAULT_PASSWORD;
        private String version = DEFAULT_VERSION;
        private String previousVersion;
        private final List<String> train = new ArrayList<>(DEFAULT_TRAIN);
        private final Map<String, String> gateways = new LinkedHashMap<>();
        private final List<AuditRecord> audit = new ArrayList<>(List.of(
                new AuditRecord("aws-primary", "Pass", "IAM policies are up to date")));
        private boolean backupEnabled = true;
        private String backupAccount = "aws-primary";
        private String backupBucket = "controller-backups";
        private int inProgressPolls = DEFAULT_IN_PROGRESS_POLLS;
        private int unavailableResponses = DEFAULT_UNAVAILABLE_RESPONSES;
        private boolean apiTokens = true;
        private int unavailableDuringStart;
        private int unavailableDuringBackup;
        private int activeUpgradeAnswers;
        private boolean https;
        private String expiryReason = CID_EXPIRED;
        /** Problems found by the setters, by setting, so that a later good value clears a bad one. */
        private final Map<String, String> problems = new LinkedHashMap<>();

        private Builder() {
        }

        private boolean record(String setting, String problem) {
            problems.remove(setting);
            if (problem != null) {
                problems.put(setting, problem);
            }
            return problem == null;
        }

        private boolean recordVersion(String setting, String label, String version) {
            return record(setting, FakeVersion.tryParse(version).isPresent() ? null
                    : label + " \"" + version + "\" is not a controller version such as 6.5.2608");
        }

        private Builder copy() {
            Builder b = new Builder();
            b.username = username;
            b.password = password;
            b.version = version;
            b.previousVersion = previousVersion;
            b.train.clear();
            b.train.addAll(train);
            b.gateways.putAll(gateways);
            b.audit.clear();
            b.audit.addAll(audit);
            b.backupEnabled = backupEnabled;
            b.backupAccount = backupAccount;
            b.backupBucket = backupBucket;
            b.inProgressPolls = inProgressPolls;
            b.unavailableResponses = unavailableResponses;
            b.apiTokens = apiTokens;
            b.unavailableDuringStart = unavailableDuringStart;
            b.unavailableDuringBackup = unavailableDuringBackup;
            b.activeUpgradeAnswers = activeUpgradeAnswers;
            b.https = https;
            b.expiryReason = expiryReason;
            return b;
        }

        /**
         * @param username the administrator's user name
         * @param password the administrator's password
         * @return this builder
         */
        public Builder credentials(String username, String password) {
            this.username = Objects.requireNonNull(username, "username");
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * @param version the version the controller runs at start, e.g. {@code "UserConnect-5.0.2670"}
         * @return this builder
         */
        public Builder version(String version) {
            if (recordVersion("version", "version", Objects.requireNonNull(version, "version"))) {
                this.version = version.strip();
            }
            return this;
        }

        /**
         * @param version what {@code list_version_info} reports as the previous version
         * @return this builder
         */
        public Builder previousVersion(String version) {
            if (recordVersion("previousVersion", "previousVersion", Objects.requireNonNull(version, "previousVersion"))) {
                this.previousVersion = version.strip();
            }
            return this;
        }

        /**
         * Replaces the release train: the releases the fake can upgrade to (the current version is
         * always added). The newest entry is what it reports as latest.
         *
         * @param releases releases such as {@code "6.6.5224"} or bare {@code "3.2"}
         * @return this builder
         */
        public Builder train(String... releases) {
            Objects.requireNonNull(releases, "train");
            List<String> parsed = new ArrayList<>();
            problems.keySet().removeIf(k -> k.startsWith("train entry "));
            for (String r : releases) {
                if (recordVersion("train entry " + Objects.requireNonNull(r, "train entry"), "train entry", r)) {
                    parsed.add(r.strip());
                }
            }
            train.clear();
            train.addAll(parsed);
            return this;
        }

        /**
         * @param name a gateway that runs the controller's version
         * @return this builder
         */
        public Builder gateway(String name) {
            gateways.put(Objects.requireNonNull(name, "gateway"), null);
            return this;
        }

        /**
         * @param name a gateway
         * @param version the version it runs, e.g. an older one so that it lags
         * @return this builder
         */
        public Builder gateway(String name, String version) {
            Objects.requireNonNull(name, "gateway");
            if (recordVersion("gateway " + name + " version", "gateway " + name + " version", Objects.requireNonNull(version, "gateway version"))) {
                gateways.put(name, version.strip());
            }
            return this;
        }

        /**
         * Replaces the access accounts' audit records.
         *
         * @param records the records {@code get_account_audit_records} returns
         * @return this builder
         */
        public Builder audit(AuditRecord... records) {
            audit.clear();
            for (AuditRecord r : records) {
                audit.add(Objects.requireNonNull(r, "audit record"));
            }
            return this;
        }

        /**
         * Starts with backups not configured ({@code get_cloudn_backup_config} answers {@code enabled: "no"}).
         *
         * @return this builder
         */
        public Builder noBackupConfig() {
            this.backupEnabled = false;
            return this;
        }

        /**
         * @param polls how many requests after its start an asynchronous upgrade stays in progress, at least 0
         * @return this builder
         */
        public Builder inProgressPolls(int polls) {
            if (requireNonNegative("inProgressPolls", polls)) {
                this.inProgressPolls = polls;
            }
            return this;
        }

        /**
         * @param responses how many requests right after an upgrade starts get a non-JSON 502/503, at least 0
         * @return this builder
         */
        public Builder unavailableResponses(int responses) {
            if (requireNonNegative("unavailableResponses", responses)) {
                this.unavailableResponses = responses;
            }
            return this;
        }

        /**
         * Models a 7.0+ controller whose {@code get_api_token} answers {@code return:false} (H1 reads that as "no
         * token endpoint"); login then works without the {@code X-Access-Key} header.
         *
         * @return this builder
         */
        public Builder withoutApiToken() {
            this.apiTokens = false;
            return this;
        }

        /**
         * Makes the next {@code starts} upgrade starts that the fake accepts answer a non-JSON 502 instead of their
         * real answer: the upgrade has begun, but the client cannot know it (the 502/503 pages of an upgrading
         * controller [V7, CH]).
         *
         * @param starts how many accepted starts are answered so, at least 0 (default 0)
         * @return this builder
         */
        public Builder unavailableDuringStart(int starts) {
            if (requireNonNegative("unavailableDuringStart", starts)) {
                this.unavailableDuringStart = starts;
            }
            return this;
        }

        /**
         * Makes the next {@code backups} backups the fake takes answer a non-JSON 503 instead of their real answer:
         * the backup exists, but the client cannot know it.
         *
         * @param backups how many accepted backups are answered so, at least 0 (default 0)
         * @return this builder
         */
        public Builder unavailableDuringBackup(int backups) {
            if (requireNonNegative("unavailableDuringBackup", backups)) {
                this.unavailableDuringBackup = backups;
            }
            return this;
        }

        /**
         * Makes the next {@code answers} upgrade starts answer {@value FakeController#ACTIVE_UPGRADE} without
         * starting anything, as while another upgrade runs [V1, V2].
         *
         * @param answers how many starts are answered so, at least 0 (default 0)
         * @return this builder
         */
        public Builder activeUpgradeAnswers(int answers) {
            if (requireNonNegative("activeUpgradeAnswers", answers)) {
                this.activeUpgradeAnswers = answers;
            }
            return this;
        }

        /**
         * Serves HTTPS with a self-signed certificate for 127.0.0.1 (made once per JVM with the JDK's
         * {@code keytool}); clients trust it through {@link FakeController#trustStore()}.
         *
         * @return this builder
         */
        public Builder https() {
            this.https = true;
            return this;
        }

        /**
         * @param reason the reason an expired CID gets, {@link #CID_EXPIRED} (default) or {@link #SESSION_INVALID}
         * @return this builder
         */
        public Builder expiryReason(String reason) {
            this.expiryReason = Objects.requireNonNull(reason, "expiryReason");
            return this;
        }

        private boolean requireNonNegative(String name, int value) {
            return record(name, value < 0 ? name + " " + value + " must be at least 0" : null);
        }

        /**
         * @return a started fake
         * @throws IllegalArgumentException listing every bad setting, one per line
         */
        public FakeController start() {
            if (problems.size() == 1) {
                throw new IllegalArgumentException("FakeController: " + problems.values().iterator().next());
            }
            if (!problems.isEmpty()) {
                StringBuilder m = new StringBuilder("FakeController: ").append(problems.size()).append(" problems");
                problems.values().forEach(p -> m.append("\n  - ").append(p));
                throw new IllegalArgumentException(m.toString());
            }
            return new FakeController(copy());
        }
    }
}
