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
 * A fake Aviatrix controller on loopback that answers the controller's RPC-style API
 * ({@code /v2/api}, and {@code /v1/api} for old controllers) the way the public documentation
 * describes it, for tests of Stepwise and of users' own tools.
 *
 * <p>What it models: login ({@code get_api_token}, {@code login} with {@code X-Access-Key}, a
 * top-level {@code CID}); sessions that expire on demand and after every completed upgrade;
 * {@code list_version_info}; asynchronous {@code upgrade} (controller and gateways) and
 * {@code upgrade_platform} (controller only) that refuse a downgrade, a skipped release (from 6.5 a
 * skipped minor), a move from an old build of a release up to 6.4 and a move while any gateway
 * lags the controller; {@code platform_upgrade_status} and {@code check_task_status} that stay
 * "in progress" for a set number of polls; a window of non-JSON {@code 502 Proxy Error} /
 * {@code 503 Service Unavailable} answers right after an upgrade starts; gateways
 * ({@code get_gateway_info}, {@code upgrade_selected_gateway}); backups
 * ({@code enable_cloudn_backup_config}, {@code get_cloudn_backup_config}); the IAM audit
 * ({@code get_account_audit_records}); and scripted failures. Time is counted in requests and
 * polls, never read from a clock, so tests are deterministic. Wording of refusals that public
 * sources do not document (bad password, skipped release, lagging gateway) is the fake's own.
 *
 * <p>Defaults: plain HTTP on 127.0.0.1 and a free port ({@link Builder#https()} for TLS with a
 * self-signed certificate, see {@link #trustStore()}); user {@value #DEFAULT_USERNAME} with
 * password {@value #DEFAULT_PASSWORD}; version {@value #DEFAULT_VERSION}; the release train
 * {@link #DEFAULT_TRAIN}; no gateways; one access account whose audit passes; backups configured;
 * an upgrade stays in progress for {@value #DEFAULT_IN_PROGRESS_POLLS} polls and answers
 * {@value #DEFAULT_UNAVAILABLE_RESPONSES} requests with 502/503 first; API tokens supported.
 *
 * <p>Thread safety: all methods are safe to call from any thread while the server runs; requests
 * are served one at a time. Close it (or use {@link FakeControllerExtension}) to free the port.
 *
 * <pre>{@code
 * try (FakeController fake = FakeController.builder().
 *         version("6.5.2608").
 *         gateway("spoke-1").
 *         start()) {
 *     URI controller = fake.uri();
 *     // ... drive it with a client ...
 *     fake.versionsReached();   // [6.5.2608, 6.6.5224, ...]
 *     fake.backups();           // each with the version it was taken on
 * }
 * }</pre>
 */
public final class FakeController implements AutoCloseable {

    /** The default administrator user name. */
    public static final String DEFAULT_USERNAME = "admin";
    /** The default administrator password. */
    public static final String DEFAULT_PASSWORD = "Fake-Controller-Passw0rd";
    /** The default version the fake runs. */
    public static final String DEFAULT_VERSION = "6.5.2608";
    /** The default number of status polls an upgrade stays in progress. */
    public static final int DEFAULT_IN_PROGRESS_POLLS = 3;
    /** The default number of requests answered with 502/503 right after an upgrade starts. */
    public static final int DEFAULT_UNAVAILABLE_RESPONSES = 2;
    /** The default release train: 3.0 to 7.1 with a few builds from 6.5 on. */
    public static final List<String> DEFAULT_TRAIN = List.of("2.7", "3.0", "3.1", "3.2", "3.3", "3.4", "3.5", "4.0",
            "4.1", "4.2", "4.3", "4.6", "4.7", "5.0", "5.1", "5.2", "5.3", "5.4", "6.0", "6.1", "6.2", "6.3", "6.4",
            "6.5.2608", "6.5.3233", "6.6.5224", "6.7.1185", "6.8.1149", "6.9.733", "7.0.1373", "7.1.1794");
    /** The first documented session-expiry reason. */
    public static final String CID_EXPIRED = "CID is invalid or expired.";
    /** The second documented session-expiry reason. */
    public static final String SESSION_INVALID = "Invalid session. Please login again.";

    private static final Logger log = LoggerFactory.getLogger(FakeController.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> NO_SESSION_ACTIONS = Set.of("login", "get_api_token");
    private static final Set<Integer> CLOUD_TYPES = Set.of(1, 4, 8, 16, 256);

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY each small answer
        // waits ~40 ms on Nagle's algorithm and delayed ACKs. Read once, when the JDK server class loads.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** A backup the fake took. */
    public record Backup(int number, String controllerVersion, boolean now, String accountName, String bucketName) {
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

    /** An audit record, as {@code get_account_audit_records} returns it. */
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
    private String backupAccount;
    private String backupBucket;
    private int backupCloudType;
    private boolean backupMultiple;
    private final List<Backup> backups = new ArrayList<>();
    private int backupCalls;
    private final Map<Integer, String> backupFailures = new HashMap<>();
    private String allBackupsFailure;
    private String auditFailure;
    private final Map<Integer, String> upgradeFailures = new HashMap<>();
    private final List<Upgrade> upgrades = new ArrayList<>();
    private InFlight inFlight;
    private int unavailableLeft;
    private final List<RecordedRequest> requests = new ArrayList<>();

    private static final class InFlight {
        final int index;
        final FakeVersion target;
        final boolean withGateways;
        final String failure;
        int pollsLeft;

        InFlight(int index, FakeVersion target, boolean withGateways, String failure, int polls) {
            this.index = index;
            this.target = target;
            this.withGateways = withGateways;
            this.failure = failure;
            this.pollsLeft = polls;
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
        this.backupAccount = b.backupAccount;
        this.backupBucket = b.backupBucket;
        this.backupCloudType = 1;
        this.expiryReason = b.expiryReason;
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
    }

    private synchronized Response answer(String method, String path, Map<String, String> params, String accessKey) {
        boolean v1 = path.equals("/v1/api");
        boolean v2 = path.equals("/v2/api") && !config.legacy;
        if (!v1 && !v2) {
            return new Response(404, "text/html", "<html><head><title>404 Not Found</title></head></html>");
        }
        if (unavailableLeft > 0) {
            unavailableLeft--;
            return unavailableLeft % 2 == 1
                    ? new Response(503, "text/html", "<html><head><title>503 Service Unavailable</title></head>"
                            + "<body><h1>Service Unavailable</h1></body></html>")
                    : new Response(502, "text/html", "<html><head><title>502 Proxy Error</title></head>"
                            + "<body><h1>Proxy Error</h1></body></html>");
        }
        String action = params.getOrDefault("action", "");
        if (!NO_SESSION_ACTIONS.contains(action) && !sessions.contains(params.getOrDefault("CID", ""))) {
            if (!knownAction(action)) {
                return fail("valid action required");
            }
            return fail(expiryReason);
        }
        return Response.json(switch (action) {
            case "get_api_token" -> getApiToken();
            case "login" -> login(method, params, accessKey);
            case "list_version_info" -> listVersionInfo(params);
            case "upgrade" -> startUpgrade(params.get("version"), true);
            case "upgrade_platform" -> startUpgrade(Optional.ofNullable(params.get("software_version"))
                    .orElse(params.get("version")), false);
            case "platform_upgrade_status" -> upgradeStatus();
            case "check_task_status" -> taskStatus(params.get("request_id"));
            case "get_gateway_info" -> gatewayInfo(params.get("gateway_name"));
            case "upgrade_selected_gateway" -> upgradeGateways(params);
            case "enable_cloudn_backup_config" -> backup(params);
            case "get_cloudn_backup_config" -> backupConfig();
            case "get_account_audit_records" -> auditRecords();
            default -> envelope(false, null, "valid action required");
        });
    }

    private boolean knownAction(String action) {
        return switch (action) {
            case "list_version_info", "upgrade", "upgrade_platform", "platform_upgrade_status", "check_task_status",
                    "get_gateway_info", "upgrade_selected_gateway", "enable_cloudn_backup_config",
                    "get_cloudn_backup_config", "get_account_audit_records" -> true;
            default -> false;
        };
    }

    private static Response fail(String reason) {
        return Response.json(envelope(false, null, reason));
    }

    private static ObjectNode envelope(boolean ok, Object results, String reason) {
        ObjectNode node = JSON.createObjectNode();
        node.put("return", ok);
        if (results instanceof JsonNode j) {
            node.set("results", j);
        } else if (results != null) {
            node.put("results", results.toString());
        }
        if (reason != null) {
            node.put("reason", reason);
        }
        return node;
    }

    private JsonNode getApiToken() {
        if (!config.apiTokens || config.legacy) {
            return envelope(false, null, "valid action required");
        }
        ObjectNode results = JSON.createObjectNode().put("api_token", apiToken);
        return envelope(true, results, null);
    }

    private JsonNode login(String method, Map<String, String> params, String accessKey) {
        if (!"POST".equals(method)) {
            return envelope(false, null, "login must be sent with POST");
        }
        if (config.apiTokens && !config.legacy && !apiToken.equals(accessKey)) {
            return envelope(false, null, "Invalid API token. Please get a new token with get_api_token.");
        }
        if (!config.username.equals(params.get("username")) || !config.password.equals(params.get("password"))) {
            return envelope(false, null, "Invalid username or password.");
        }
        String cid = newSecret();
        sessions.add(cid);
        ObjectNode node = envelope(true, "User login:" + config.username + " in account:admin has been authorized "
                + "successfully - Please check email confirmation.", null);
        node.put("CID", cid);
        return node;
    }

    private JsonNode listVersionInfo(Map<String, String> params) {
        ObjectNode results = JSON.createObjectNode();
        results.put("current_version", current.text);
        results.put("previous_version", previous == null ? "" : previous.text);
        if ("true".equalsIgnoreCase(params.get("latest_version"))) {
            results.put("latest_version", train.get(train.size() - 1).text);
        }
        return envelope(true, results, null);
    }

    private JsonNode startUpgrade(String requested, boolean withGateways) {
        if (inFlight != null) {
            return envelope(false, null, "An upgrade is already in progress.");
        }
        FakeVersion target;
        if (requested == null || requested.isBlank()) {
            Optional<FakeVersion> next = nextRelease(current);
            if (next.isEmpty()) {
                return envelope(false, null, "The controller already runs the latest release " + current + ".");
            }
            target = newestOf(next.get());
        } else {
            Optional<FakeVersion> parsed = FakeVersion.tryParse(requested);
            if (parsed.isEmpty()) {
                return envelope(false, null, "Invalid release version " + requested + ".");
            }
            Optional<FakeVersion> listed = parsed.get().rest.isEmpty()
                    ? train.stream().filter(v -> v.sameRelease(parsed.get())).reduce((a, b) -> b)
                    : train.stream().filter(v -> v.equals(parsed.get())).findFirst();
            if (listed.isEmpty()) {
                return envelope(false, null, "Release " + requested + " is not available.");
            }
            target = listed.get();
        }
        if (target.compareTo(current) <= 0) {
            return envelope(false, null, "The controller runs " + current + "; it cannot move to " + target
                    + " (no downgrade, no rollback).");
        }
        for (Map.Entry<String, String> gw : gateways.entrySet()) {
            if (!FakeVersion.parse(gw.getValue()).equals(current)) {
                return envelope(false, null, "Gateway " + gw.getKey() + " runs " + gw.getValue()
                        + ", not the controller's " + current + ": upgrade all gateways before the controller.");
            }
        }
        if (!target.sameRelease(current)) {
            FakeVersion newestOfCurrent = newestOf(current);
            if (!current.atLeast(6, 5) && !current.rest.isEmpty() && newestOfCurrent.compareTo(current) > 0) {
                return envelope(false, null, "Upgrade to the latest build of " + current.release() + " ("
                        + newestOfCurrent + ") first.");
            }
            FakeVersion next = nextRelease(current).orElse(target);
            if (!target.sameRelease(next)) {
                return envelope(false, null, "Release " + target + " is not the next release after " + current
                        + ": upgrade to " + next.release() + " first.");
            }
            if (current.atLeast(6, 5)) {
                boolean nextMinor = target.major == current.major && target.minor == current.minor + 1;
                boolean nextMajor = target.major == current.major + 1 && target.minor == 0;
                if (!nextMinor && !nextMajor) {
                    return envelope(false, null, "Release " + target + " skips a minor release after " + current + ".");
                }
            }
        }
        int hop = upgrades.size() + 1;
        String requestId = String.valueOf(1000 + hop);
        upgrades.add(new Upgrade(hop, requestId, current.text, target.text, withGateways, Upgrade.Status.IN_PROGRESS,
                null));
        inFlight = new InFlight(upgrades.size() - 1, target, withGateways, upgradeFailures.get(hop),
                config.inProgressPolls);
        unavailableLeft = config.unavailableResponses;
        log.debug("FakeController accepted upgrade {} from {} to {}", hop, current, target);
        return envelope(true, requestId, null);
    }

    private Optional<FakeVersion> nextRelease(FakeVersion v) {
        return train.stream().filter(t -> t.compareRelease(v) > 0).findFirst();
    }

    private FakeVersion newestOf(FakeVersion release) {
        return train.stream().filter(t -> t.sameRelease(release)).reduce((a, b) -> b).orElse(release);
    }

    /** Counts one poll of a running upgrade and finishes it when its polls are used up. */
    private Upgrade poll() {
        if (inFlight == null) {
            return upgrades.isEmpty() ? null : upgrades.get(upgrades.size() - 1);
        }
        if (inFlight.pollsLeft > 0) {
            inFlight.pollsLeft--;
            return upgrades.get(inFlight.index);
        }
        Upgrade u = upgrades.get(inFlight.index);
        Upgrade done;
        if (inFlight.failure != null) {
            done = new Upgrade(u.hop(), u.requestId(), u.from(), u.to(), u.withGateways(), Upgrade.Status.FAILED,
                    inFlight.failure);
        } else {
            previous = current;
            current = inFlight.target;
            versionsReached.add(current.text);
            if (inFlight.withGateways) {
                gateways.replaceAll((name, v) -> current.text);
            }
            sessions.clear();
            done = new Upgrade(u.hop(), u.requestId(), u.from(), u.to(), u.withGateways(), Upgrade.Status.COMPLETE,
                    null);
        }
        upgrades.set(inFlight.index, done);
        inFlight = null;
        log.debug("FakeController finished upgrade {}: {}", done.hop(), done.status());
        return done;
    }

    private JsonNode upgradeStatus() {
        Upgrade u = poll();
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

    private JsonNode taskStatus(String requestId) {
        Optional<Upgrade> known = upgrades.stream().filter(u -> u.requestId().equals(requestId)).findFirst();
        if (known.isEmpty()) {
            return envelope(false, null, "Unknown request_id " + requestId + ".");
        }
        if (inFlight != null && upgrades.get(inFlight.index).requestId().equals(requestId)) {
            poll();
        }
        Upgrade u = upgrades.stream().filter(x -> x.requestId().equals(requestId)).findFirst().orElseThrow();
        return switch (u.status()) {
            case IN_PROGRESS -> envelope(false, null, "REQUEST_IN_PROGRESS");
            case COMPLETE -> envelope(true, "Upgrade to " + u.to() + " complete.", null);
            case FAILED -> envelope(false, null, u.reason());
        };
    }

    private JsonNode gatewayInfo(String name) {
        if (name == null || !gateways.containsKey(name)) {
            return envelope(false, null, "Gateway " + name + " does not exist.");
        }
        ObjectNode results = JSON.createObjectNode();
        results.put("gw_name", name);
        results.put("gw_software_version", gateways.get(name));
        results.put("gw_image_name", "hvm-cloudx-aws-" + FakeVersion.parse(gateways.get(name)).release());
        return envelope(true, results, null);
    }

    private JsonNode upgradeGateways(Map<String, String> params) {
        String list = params.getOrDefault("gateway_list", "");
        String version = params.getOrDefault("software_version", "");
        Optional<FakeVersion> wanted = FakeVersion.tryParse(version);
        boolean rollback = "previous".equals(params.get("image_version")) || "previous".equals(version);
        FakeVersion target = rollback ? previous : wanted.orElse(null);
        if (target == null) {
            return envelope(false, null, "Invalid software_version " + version + ".");
        }
        if (!target.equals(current) && !target.equals(previous)) {
            return envelope(false, null, "Gateways can run only the controller's version " + current
                    + " or its previous version.");
        }
        List<String> names = new ArrayList<>();
        for (String n : list.split(",")) {
            if (!n.isBlank()) {
                names.add(n.strip());
            }
        }
        for (String n : names) {
            if (!gateways.containsKey(n)) {
                return envelope(false, null, "Gateway " + n + " does not exist.");
            }
        }
        names.forEach(n -> gateways.put(n, target.text));
        return envelope(true, "Upgraded " + names.size() + " gateway(s) to " + target + ".", null);
    }

    private JsonNode backup(Map<String, String> params) {
        backupCalls++;
        String failure = backupFailures.getOrDefault(backupCalls, allBackupsFailure);
        if (failure != null) {
            return envelope(false, null, failure);
        }
        int cloudType;
        try {
            cloudType = Integer.parseInt(params.getOrDefault("cloud_type", ""));
        } catch (NumberFormatException e) {
            cloudType = -1;
        }
        if (!CLOUD_TYPES.contains(cloudType)) {
            return envelope(false, null, "Invalid cloud_type " + params.get("cloud_type") + ".");
        }
        String account = params.getOrDefault("acct_name", "");
        String bucket = params.getOrDefault("bucket_name", "");
        if (account.isBlank() || bucket.isBlank()) {
            return envelope(false, null, "acct_name and bucket_name are required.");
        }
        backupEnabled = true;
        backupAccount = account;
        backupBucket = bucket;
        backupCloudType = cloudType;
        backupMultiple = "true".equalsIgnoreCase(params.get("multiple_bkup"));
        boolean now = "true".equalsIgnoreCase(params.get("now"));
        backups.add(new Backup(backups.size() + 1, current.text, now, account, bucket));
        return envelope(true, "Backup configuration enabled; backup taken.", null);
    }

    private JsonNode backupConfig() {
        ObjectNode results = JSON.createObjectNode();
        results.put("enabled", backupEnabled ? "yes" : "no");
        if (backupEnabled) {
            results.put("multiple_bkup", String.valueOf(backupMultiple));
            results.put("acct_name", backupAccount);
            results.put("bucket_name", backupBucket);
            results.put("cloud_type", backupCloudType);
        }
        return envelope(true, results, null);
    }

    private JsonNode auditRecords() {
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
     *     version("3.1").
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
        private boolean legacy;
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
            b.legacy = legacy;
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
         * @param polls how many status polls an upgrade answers "in progress" before it finishes, at least 0
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
         * Models a controller without {@code get_api_token}: it answers {@code return:false} and login
         * works without the {@code X-Access-Key} header.
         *
         * @return this builder
         */
        public Builder withoutApiToken() {
            this.apiTokens = false;
            return this;
        }

        /**
         * Models an old controller: only {@code /v1/api} answers ({@code /v2/api} is 404), no API token.
         *
         * @return this builder
         */
        public Builder legacyApi() {
            this.legacy = true;
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
