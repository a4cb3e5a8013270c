package dev.stepwise.aviatrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.core.Secrets;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link AviatrixClient} over {@link HttpClient}. Not public API: use {@link AviatrixClient#builder()}.
 *
 * <p>Thread-safe: the session (CID and API token) is guarded by a lock; calls run concurrently.
 */
final class HttpAviatrixClient implements AviatrixClient {

    private static final Logger log = LoggerFactory.getLogger(AviatrixClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> EXPIRY_REASONS = Set.of("CID is invalid or expired.",
            "Invalid session. Please login again.");
    private static final Set<String> SECRET_PARAMS = Set.of("password", "CID");
    private static final String MASK = "****";

    /** Waits between retries of 502/503 answers; replaceable so unit tests need not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        /**
         * @param duration how long to wait
         * @throws InterruptedException if interrupted
         */
        void sleep(Duration duration) throws InterruptedException;
    }

    private final ClientSettings settings;
    private final HttpClient http;
    private final Sleeper sleeper;
    private final Object sessionLock = new Object();
    private volatile String cid;
    private volatile String apiToken;

    /** @param settings validated settings */
    HttpAviatrixClient(ClientSettings settings) {
        this(settings, d -> Thread.sleep(d.toMillis()));
    }

    /**
     * @param settings validated settings
     * @param sleeper how to wait
     */
    HttpAviatrixClient(ClientSettings settings, Sleeper sleeper) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if (settings.sslContext() != null) {
            b.sslContext(settings.sslContext());
        }
        this.http = b.build();
    }

    @Override
    public URI controller() {
        return settings.controller();
    }

    // ---------------------------------------------------------------- session

    @Override
    public void login() {
        synchronized (sessionLock) {
            doLogin();
        }
    }

    private void doLogin() {
        JsonNode token = exchange("get_api_token", Map.of(), false, null);
        String newToken = null;
        if (token.path("return").asBoolean(false) && !token.path("results").path("api_token").asText("").isEmpty()) {
            newToken = token.path("results").path("api_token").asText();
        } else {
            log.debug("Controller {} gives no API token; logging in without X-Access-Key", settings.controller());
        }
        apiToken = newToken;
        Map<String, String> params = new LinkedHashMap<>();
        params.put("username", settings.username());
        params.put("password", new String(settings.password().reveal()));
        JsonNode answer = exchange("login", params, true, newToken);
        if (!answer.path("return").asBoolean(false)) {
            throw new AviatrixApiException("login", redact(answer.path("reason").asText("no reason given")));
        }
        String newCid = answer.path("CID").asText("");
        if (newCid.isEmpty()) {
            throw new AviatrixTransportException("login", "Controller " + settings.controller()
                    + " accepted the login but sent no CID", null);
        }
        cid = newCid;
        log.info("Logged in to controller {} as {}", settings.controller(), settings.username());
    }

    private String session() {
        String current = cid;
        if (current != null) {
            return current;
        }
        synchronized (sessionLock) {
            if (cid == null) {
                doLogin();
            }
            return cid;
        }
    }

    private void renewSession(String expired) {
        synchronized (sessionLock) {
            // Another thread may already have logged in again.
            if (Objects.equals(cid, expired)) {
                cid = null;
                doLogin();
            }
        }
    }

    /** Calls an action with the session; logs in again once on an expiry reason. Does not judge "return". */
    private JsonNode callRaw(String action, Map<String, String> params) {
        String used = session();
        JsonNode answer = exchange(action, withCid(params, used), true, null);
        if (!answer.path("return").asBoolean(false) && EXPIRY_REASONS.contains(answer.path("reason").asText())) {
            log.info("Session expired during {} ({}); logging in again", action, answer.path("reason").asText());
            renewSession(used);
            answer = exchange(action, withCid(params, session()), true, null);
        }
        return answer;
    }

    private JsonNode call(String action, Map<String, String> params) {
        JsonNode answer = callRaw(action, params);
        if (!answer.path("return").asBoolean(false)) {
            throw new AviatrixApiException(action, redact(answer.path("reason").asText("no reason given")));
        }
        return answer;
    }

    private static Map<String, String> withCid(Map<String, String> params, String cid) {
        Map<String, String> all = new LinkedHashMap<>(params);
        all.put("CID", cid);
        return all;
    }

    // ---------------------------------------------------------------- transport

    private JsonNode exchange(String action, Map<String, String> params, boolean post, String accessKey) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("action", action);
        all.putAll(params);
        String form = encode(all);
        HttpRequest.Builder rb = HttpRequest.newBuilder()
                .timeout(settings.requestTimeout())
                .header("Accept", "application/json");
        if (post) {
            rb.uri(settings.endpoint())
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form));
        } else {
            rb.uri(URI.create(settings.endpoint() + "?" + form)).GET();
        }
        if (accessKey != null) {
            rb.header("X-Access-Key", accessKey);
        }
        HttpRequest request = rb.build();
        if (log.isDebugEnabled()) {
            log.debug("Calling {} on {} with {}", action, settings.endpoint(), describe(params));
        }
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                throw new AviatrixTransportException(action, "Controller " + settings.controller()
                        + " did not answer " + action + " within " + settings.requestTimeout(), e);
            } catch (IOException e) {
                throw new AviatrixTransportException(action, "Could not reach controller " + settings.controller()
                        + " for " + action + ": " + e.getClass().getSimpleName() + ": " + redact(e.getMessage()), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AviatrixTransportException(action, "Interrupted while calling " + action, e);
            }
            int status = response.statusCode();
            String body = response.body() == null ? "" : response.body();
            Optional<JsonNode> json = parse(body);
            if (json.isEmpty() && isUnavailable(status, body)) {
                if (attempt >= settings.unavailableRetries()) {
                    throw new AviatrixTransportException(action, "Controller " + settings.controller() + " answered "
                            + action + " with HTTP " + status + " (" + unavailableText(body) + ") " + (attempt + 1)
                            + " times; gave up after " + settings.unavailableRetries() + " retries every "
                            + settings.unavailableRetryInterval(), null);
                }
                log.debug("Controller answered {} with HTTP {} ({}); retry {} of {} in {}", action, status,
                        unavailableText(body), attempt + 1, settings.unavailableRetries(),
                        settings.unavailableRetryInterval());
                pause(action, settings.unavailableRetryInterval());
                continue;
            }
            if (status != 200) {
                throw new AviatrixTransportException(action, "Controller " + settings.controller() + " answered "
                        + action + " with HTTP " + status + " at " + settings.endpoint().getPath(), null);
            }
            if (json.isEmpty()) {
                throw new AviatrixTransportException(action, "Controller " + settings.controller() + " answered "
                        + action + " with a body that is not the API's JSON envelope: " + snippet(body), null);
            }
            if (log.isTraceEnabled() && !action.equals("login") && !action.equals("get_api_token")) {
                log.trace("Controller answered {}: {}", action, redact(body));
            }
            return json.get();
        }
    }

    private void pause(String action, Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AviatrixTransportException(action, "Interrupted while waiting to repeat " + action, e);
        }
    }

    private static boolean isUnavailable(int status, String body) {
        return status == 502 || status == 503 || body.contains("503 Service Unavailable")
                || body.contains("502 Proxy Error");
    }

    private static String unavailableText(String body) {
        if (body.contains("503 Service Unavailable")) {
            return "503 Service Unavailable";
        }
        if (body.contains("502 Proxy Error")) {
            return "502 Proxy Error";
        }
        return "no JSON";
    }

    private static Optional<JsonNode> parse(String body) {
        String trimmed = body.strip();
        if (!trimmed.startsWith("{")) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(trimmed);
            return node != null && node.isObject() && node.has("return") ? Optional.of(node) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private String snippet(String body) {
        String s = redact(body.strip());
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /**
     * Masks the password, API token and CID wherever the controller or the JDK echoed them, in every form they take
     * on the wire: a controller that echoes the login form sends the password URL-encoded, and JSON or HTML
     * answers escape it ({@link Secrets#mask}).
     */
    private String redact(String text) {
        return Secrets.mask(text, cid, apiToken, new String(settings.password().reveal()));
    }

    private static String describe(Map<String, String> params) {
        StringJoiner j = new StringJoiner(", ", "{", "}");
        params.forEach((k, v) -> j.add(k + "=" + (SECRET_PARAMS.contains(k) ? MASK : v)));
        return j.toString();
    }

    private static String encode(Map<String, String> params) {
        StringJoiner j = new StringJoiner("&");
        params.forEach((k, v) -> j.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return j.toString();
    }

    // ---------------------------------------------------------------- typed calls

    @Override
    public VersionInfo versionInfo(boolean withLatest) {
        String action = "list_version_info";
        JsonNode results = call(action, withLatest ? Map.of("latest_version", "true") : Map.of()).path("results");
        ControllerVersion current = version(action, "current_version", results.path("current_version").asText(""));
        return new VersionInfo(current, optionalVersion(action, "previous_version", results),
                optionalVersion(action, "latest_version", results));
    }

    @Override
    public ControllerVersion currentVersion() {
        return versionInfo(false).current();
    }

    @Override
    public ControllerVersion latestVersion() {
        return versionInfo(true).latest().orElseThrow(() -> new AviatrixTransportException("list_version_info",
                "Controller " + settings.controller() + " did not report latest_version", null));
    }

    private ControllerVersion version(String action, String field, String text) {
        try {
            return ControllerVersion.parse(text);
        } catch (dev.stepwise.core.PlanValidationException e) {
            throw new AviatrixTransportException(action, "Controller " + settings.controller() + " answered " + action
                    + " with " + field + " \"" + redact(text) + "\", which is not a controller version ("
                    + ControllerVersion.ACCEPTED_FORMS + ")", e);
        }
    }

    private Optional<ControllerVersion> optionalVersion(String action, String field, JsonNode results) {
        String text = results.path(field).asText("");
        return text.isBlank() ? Optional.empty() : Optional.of(version(action, field, text));
    }

    @Override
    public BackupConfig backupConfig() {
        JsonNode r = call("get_cloudn_backup_config", Map.of()).path("results");
        return new BackupConfig("yes".equalsIgnoreCase(r.path("enabled").asText("")),
                r.path("multiple_bkup").asText("false").equalsIgnoreCase("true"),
                text(r, "acct_name"), text(r, "bucket_name"));
    }

    private static Optional<String> text(JsonNode node, String field) {
        String s = node.path(field).asText("");
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    @Override
    public void backupNow(BackupRequest request) {
        Objects.requireNonNull(request, "request");
        Map<String, String> params = new LinkedHashMap<>();
        params.put("cloud_type", String.valueOf(request.cloudType().code()));
        params.put("acct_name", request.accountName());
        params.put("bucket_name", request.bucketName());
        params.put("multiple_bkup", String.valueOf(request.multipleBackups()));
        params.put("now", "true");
        call("enable_cloudn_backup_config", params);
        log.info("Controller {} backed up to {} ({})", settings.controller(), request.bucketName(),
                request.cloudType());
    }

    @Override
    public String upgrade(ControllerVersion version, UpgradeScope scope) {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(scope, "scope");
        Map<String, String> params = new LinkedHashMap<>();
        String action;
        if (scope == UpgradeScope.CONTROLLER_AND_GATEWAYS) {
            action = "upgrade";
            params.put("version", version.toString());
            params.put("async", "true");
        } else {
            action = "upgrade_platform";
            params.put("gateway_list", "");
            params.put("software_version", version.toString());
            params.put("version", version.toString());
            params.put("async", "true");
        }
        String requestId = call(action, params).path("results").asText("");
        log.info("Controller {} started upgrade to {} ({}), request {}", settings.controller(), version, scope,
                requestId);
        return requestId;
    }

    @Override
    public UpgradeStatus upgradeStatus() {
        JsonNode r = call("platform_upgrade_status", Map.of("platform_only", "true")).path("results");
        boolean inProgress = r.path("is_upgrade_in_progress").asBoolean(false);
        JsonNode platform = r.path("platform_upgrade").path("results");
        String status = platform.path("status").asText("");
        Optional<String> reason = text(platform, "reason").map(this::redact);
        UpgradeStatus.State state;
        if (inProgress || status.equalsIgnoreCase("in progress")) {
            state = UpgradeStatus.State.IN_PROGRESS;
        } else if (status.equalsIgnoreCase("complete")) {
            state = UpgradeStatus.State.COMPLETE;
        } else {
            state = UpgradeStatus.State.FAILED;
        }
        return new UpgradeStatus(inProgress, state, redact(status), reason);
    }

    @Override
    public TaskStatus taskStatus(String requestId) {
        Objects.requireNonNull(requestId, "requestId");
        if (requestId.isBlank()) {
            throw new dev.stepwise.core.PlanValidationException("AviatrixClient",
                    List.of("taskStatus requestId \"" + requestId + "\" must not be blank"));
        }
        String action = "check_task_status";
        JsonNode answer = callRaw(action, Map.of("request_id", requestId));
        if (answer.path("return").asBoolean(false)) {
            return new TaskStatus(requestId, true, answer.path("results").asText(""));
        }
        String reason = answer.path("reason").asText("");
        if (reason.equals("REQUEST_IN_PROGRESS")) {
            return new TaskStatus(requestId, false, "");
        }
        throw new AviatrixApiException(action, redact(reason.isEmpty() ? "no reason given" : reason));
    }

    /** Gateway names travel in a comma-separated list, so one name must never look like two. */
    private static void checkGatewayName(String name) {
        Objects.requireNonNull(name, "gateway name");
        if (name.isBlank() || name.matches(".*[,\\s].*")) {
            throw new dev.stepwise.core.PlanValidationException("AviatrixClient", List.of("gateway name \"" + name
                    + "\" must not be blank and must not contain ',' or spaces"));
        }
    }

    @Override
    public GatewayInfo gateway(String name) {
        checkGatewayName(name);
        String action = "get_gateway_info";
        JsonNode answer = call(action, Map.of("gateway_name", name));
        JsonNode r = answer.path("results").isObject() ? answer.path("results") : answer;
        String version = r.path("gw_software_version").asText("");
        return new GatewayInfo(name, version(action, "gw_software_version", version),
                r.path("gw_image_name").asText(""));
    }

    @Override
    public List<GatewayInfo> gateways(Collection<String> names) {
        Objects.requireNonNull(names, "names");
        List<GatewayInfo> out = new ArrayList<>();
        for (String n : names) {
            out.add(gateway(n));
        }
        return List.copyOf(out);
    }

    @Override
    public void upgradeGateways(Collection<String> names, ControllerVersion version) {
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(version, "version");
        if (names.isEmpty()) {
            throw new dev.stepwise.core.PlanValidationException("AviatrixClient",
                    List.of("upgradeGateways names [] must name at least one gateway"));
        }
        names.forEach(HttpAviatrixClient::checkGatewayName);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("gateway_list", String.join(",", names));
        params.put("software_version", version.toString());
        call("upgrade_selected_gateway", params);
        log.info("Gateways {} moved to {}", names, version);
    }

    @Override
    public List<AccountAudit> accountAudit() {
        JsonNode r = call("get_account_audit_records", Map.of()).path("results");
        List<AccountAudit> out = new ArrayList<>();
        for (JsonNode a : r) {
            out.add(new AccountAudit(a.path("account_name").asText(""), a.path("status").asText(""),
                    a.path("comment").asText("")));
        }
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return "AviatrixClient[controller=" + settings.controller() + ", api=" + settings.apiVersion()
                + ", user=" + settings.username() + ", session=" + (cid == null ? "none" : "active") + "]";
    }
}
