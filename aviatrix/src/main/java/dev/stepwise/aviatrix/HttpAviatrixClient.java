package dev.stepwise.aviatrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.core.PlanValidationException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link AviatrixClient} over {@link HttpClient}, speaking the protocol of the controller's
 * {@link ControllerEra}. Not public API: use {@link AviatrixClient#builder()}.
 *
 * <p>Thread-safe: the session (CID, API token, era) is guarded by a lock; calls run concurrently.
 */
final class HttpAviatrixClient implements AviatrixClient {

    private static final Logger log = LoggerFactory.getLogger(AviatrixClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Expiry: "CID is invalid" and "Invalid session. Please login again." as substrings [C0, C1, CH]. */
    private static final List<String> EXPIRY_SUBSTRINGS = List.of("CID is invalid",
            "Invalid session. Please login again.");
    /** Expiry: "Session <cid> not found" and "Session <cid> expired" [H2]. */
    private static final Pattern SESSION_GONE = Pattern.compile("Session \\S+ (not found|expired)");
    /** Re-login at most twice per call, 0.5 s doubling [C1, CH]. */
    private static final int EXPIRY_RETRIES = 2;
    /** Reads and polls: 5 tries on a transport error, 0.5 s doubling [CH]. */
    private static final int TRANSPORT_TRIES = 5;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    /** A 3.0–6.4 start answered "Active upgrade in progress." is sent again up to 3 times [V1, V2]. */
    private static final int ACTIVE_UPGRADE_RESENDS = 3;
    private static final String ACTIVE_UPGRADE = "Active upgrade in progress.";
    private static final String VALID_ACTION_REQUIRED = "valid action required";
    /** What the provider assumes a controller answering "valid action required" runs [V1]. */
    private static final ControllerVersion ASSUMED_PRE_3_2 = ControllerVersion.release(3, 1);
    private static final Set<String> SECRET_PARAMS = Set.of("password", "CID");
    private static final String MASK = "****";

    /** Waits between retries; replaceable so unit tests need not sleep. */
    @FunctionalInterface
    interface Sleeper {
        /**
         * @param duration how long to wait
         * @throws InterruptedException if interrupted
         */
        void sleep(Duration duration) throws InterruptedException;
    }

    /** What a request is, which decides what may be retried. */
    private enum Kind {
        /** A read or status poll: retried on 502/503 and transport errors. */
        READ,
        /** A call that changes the controller: never re-sent after an answer that may have been lost. */
        MUTATION
    }

    /** The answer to a request whose outcome cannot be known: the request may have been carried out. */
    private static final class LostAnswer extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LostAnswer(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private record Answer(int status, String body, Optional<JsonNode> json) {
        boolean ok() {
            return json.map(j -> j.path("return").asBoolean(false)).orElse(false);
        }

        String reason() {
            return json.map(j -> j.path("reason").asText("")).orElse("");
        }
    }

    /** The session: null fields until the first login. */
    private record Session(String cid, String apiToken, ControllerEra era, ControllerVersion version) {
    }

    private final ClientSettings settings;
    private final HttpClient http;
    private final Sleeper sleeper;
    private final Object sessionLock = new Object();
    private volatile Session session;

    HttpAviatrixClient(ClientSettings settings) {
        this(settings, d -> Thread.sleep(d.toMillis()));
    }

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
            session = doLogin();
        }
    }

    @Override
    public ControllerEra era() {
        return session().era();
    }

    /**
     * Logs in the way H1 does: {@code get_api_token} on {@code /v2/api}; a 404, a non-JSON body or
     * {@code return:false} means no token endpoint, so login goes to {@code /v1/api} without the header; any other
     * status, or reason {@code RequestRefused}, means the controller is not ready [H1]. Then reads the version to
     * pick the era.
     */
    private Session doLogin() {
        Answer token = send("GET", "/v2/api", "get_api_token", Map.of(), null, Kind.READ);
        String apiToken = null;
        if (token.status() == 200 && token.json().isPresent() && token.ok()
                && !token.json().get().path("results").path("api_token").asText("").isEmpty()) {
            apiToken = token.json().get().path("results").path("api_token").asText();
        } else if (token.status() == 200 && token.json().isPresent() && token.reason().contains("RequestRefused")) {
            throw new AviatrixTransportException("get_api_token", "Controller " + settings.controller()
                    + " is not ready: get_api_token answered RequestRefused", null);
        } else if (token.status() != 404 && token.status() != 200) {
            throw new AviatrixTransportException("get_api_token", "Controller " + settings.controller()
                    + " is not ready: get_api_token answered HTTP " + token.status(), null);
        } else {
            log.debug("Controller {} has no API token endpoint; logging in on /v1/api", settings.controller());
        }
        String loginPath = apiToken == null ? "/v1/api" : "/v2/api";
        Map<String, String> params = new LinkedHashMap<>();
        params.put("username", settings.username());
        params.put("password", new String(settings.password().reveal()));
        Answer answer = send("POST", loginPath, "login", params, apiToken, Kind.READ);
        JsonNode json = envelope("login", answer, apiToken, null);
        if (!answer.ok()) {
            throw new AviatrixApiException("login", redact(answer.reason().isEmpty() ? "no reason given"
                    : answer.reason(), null, apiToken));
        }
        String cid = json.path("CID").asText("");
        if (cid.isEmpty()) {
            throw new AviatrixTransportException("login", "Controller " + settings.controller()
                    + " accepted the login but sent no CID", null);
        }
        ControllerVersion version = detectVersion(cid, apiToken);
        ControllerEra era = ControllerEra.of(version);
        log.info("Logged in to controller {} as {}; it runs {} (API era {})", settings.controller(),
                settings.username(), version, era.versions());
        return new Session(cid, apiToken, era, version);
    }

    /**
     * Reads {@code list_version_info}; "valid action required" there means a pre-3.2 controller, taken as 3.1 [V1].
     * After a token login, {@code /v2/api} first, then {@code /v1/api} (see {@link ControllerEra}).
     */
    private ControllerVersion detectVersion(String cid, String apiToken) {
        List<String> paths = apiToken == null ? List.of("/v1/api") : List.of("/v2/api", "/v1/api");
        for (String path : paths) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("CID", cid);
            Answer a = send("GET", path, "list_version_info", p, null, Kind.READ);
            boolean last = path.equals(paths.get(paths.size() - 1));
            if (a.json().isEmpty() || a.status() == 404) {
                if (last) {
                    throw new AviatrixTransportException("list_version_info", "Controller " + settings.controller()
                            + " answered list_version_info on " + path + " with HTTP " + a.status() + " and "
                            + snippet(a.body(), cid, apiToken), null);
                }
                continue;
            }
            if (!a.ok() && a.reason().contains(VALID_ACTION_REQUIRED)) {
                if (!last) {
                    continue;
                }
                log.info("Controller {} answers list_version_info with \"valid action required\": a controller "
                        + "before 3.2, taken as {} as the Terraform provider does", settings.controller(),
                        ASSUMED_PRE_3_2);
                return ASSUMED_PRE_3_2;
            }
            if (!a.ok()) {
                throw new AviatrixApiException("list_version_info", redact(a.reason(), cid, apiToken));
            }
            return version("list_version_info", "current_version",
                    a.json().get().path("results").path("current_version").asText(""));
        }
        throw new IllegalStateException("unreachable");
    }

    private Session session() {
        Session s = session;
        if (s != null) {
            return s;
        }
        synchronized (sessionLock) {
            if (session == null) {
                session = doLogin();
            }
            return session;
        }
    }

    private Session renew(Session expired) {
        synchronized (sessionLock) {
            // Another thread may already have logged in again.
            if (session == null || session.cid().equals(expired.cid())) {
                session = doLogin();
            }
            return session;
        }
    }

    static boolean isExpiry(String reason) {
        for (String s : EXPIRY_SUBSTRINGS) {
            if (reason.contains(s)) {
                return true;
            }
        }
        return SESSION_GONE.matcher(reason).find();
    }

    /**
     * Sends an action with the session's CID (in the query for GET, in the form for POST [C0, CH]); on an expiry
     * reason logs in again and sends it once more, at most twice, 0.5 s doubling [C1, CH]. An expired session means
     * the controller did not act, so re-sending a mutation then is safe.
     */
    private Answer call(String method, String path, String action, Map<String, String> params, Kind kind) {
        Session s = session();
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 0; ; attempt++) {
            Map<String, String> all = new LinkedHashMap<>(params);
            all.put("CID", s.cid());
            Answer a = send(method, path, action, all, null, kind);
            if (a.json().isEmpty() || a.ok() || !isExpiry(a.reason()) || attempt >= EXPIRY_RETRIES) {
                return a;
            }
            log.info("Session expired during {} ({}); logging in again", action, redact(a.reason(), s.cid(), null));
            pause(action, backoff);
            backoff = backoff.multipliedBy(2);
            s = renew(s);
        }
    }

    /** {@link #call} on the era's action endpoint, expecting the envelope with {@code return:true}. */
    private JsonNode action(String method, String action, Map<String, String> params, Kind kind) {
        Session s = session();
        Answer a = call(method, s.era().actionPath(), action, params, kind);
        JsonNode json = envelope(action, a, null, session);
        if (!a.ok()) {
            throw new AviatrixApiException(action, redact(a.reason().isEmpty() ? "no reason given" : a.reason(),
                    cidOf(session), null));
        }
        return json;
    }

    /** The answer's {@code {return, results, reason}} envelope [C0], or a transport failure naming what came. */
    private JsonNode envelope(String action, Answer a, String token, Session s) {
        JsonNode json = json(action, a, token, s);
        if (!json.has("return")) {
            throw new AviatrixTransportException(action, "Controller " + settings.controller() + " answered "
                    + action + " with JSON that is not the API's envelope: " + snippet(a.body(), cidOf(s), token),
                    null);
        }
        return json;
    }

    /** The answer's JSON object (any shape: check_upgrade_status has no envelope [V4, V5]). */
    private JsonNode json(String action, Answer a, String token, Session s) {
        if (a.status() != 200) {
            throw new AviatrixTransportException(action, "Controller " + settings.controller() + " answered "
                    + action + " with HTTP " + a.status(), null);
        }
        return a.json().orElseThrow(() -> new AviatrixTransportException(action, "Controller "
                + settings.controller() + " answered " + action + " with a body that is not the API's JSON "
                + "envelope: " + snippet(a.body(), cidOf(s), token), null));
    }

    private static String cidOf(Session s) {
        return s == null ? null : s.cid();
    }

    // ---------------------------------------------------------------- transport

    /**
     * One exchange. Reads and polls are retried on a non-JSON 502/503 ({@code unavailableRetries} times) and on a
     * transport error (5 tries, 0.5 s doubling [CH]); a mutation is never re-sent: a lost answer raises
     * {@link LostAnswer}.
     */
    private Answer send(String method, String path, String action, Map<String, String> params, String accessKey,
            Kind kind) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("action", action);
        all.putAll(params);
        String form = encode(all);
        URI endpoint = settings.controller().resolve(path);
        HttpRequest.Builder rb = HttpRequest.newBuilder()
                .timeout(settings.requestTimeout())
                .header("Accept", "application/json");
        if (method.equals("POST")) {
            rb.uri(endpoint)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form));
        } else {
            rb.uri(URI.create(endpoint + "?" + form)).GET();
        }
        if (accessKey != null) {
            rb.header("X-Access-Key", accessKey);
        }
        HttpRequest request = rb.build();
        if (log.isDebugEnabled()) {
            log.debug("Calling {} {} {} with {}", method, path, action, describe(params));
        }
        int unavailable = 0;
        int transportFailures = 0;
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                String what = e instanceof HttpTimeoutException ? "no answer within " + settings.requestTimeout()
                        : e.getClass().getSimpleName() + ": " + redact(e.getMessage(), params.get("CID"), accessKey);
                if (kind == Kind.MUTATION) {
                    throw new LostAnswer(action + " got " + what, e);
                }
                transportFailures++;
                if (transportFailures >= TRANSPORT_TRIES) {
                    throw new AviatrixTransportException(action, "Could not reach controller " + settings.controller()
                            + " for " + action + " (" + transportFailures + " tries): " + what, e);
                }
                log.debug("{} failed ({}); try {} of {} in {}", action, what, transportFailures + 1, TRANSPORT_TRIES,
                        backoff);
                pause(action, backoff);
                backoff = backoff.multipliedBy(2);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AviatrixTransportException(action, "Interrupted while calling " + action, e);
            }
            int status = response.statusCode();
            String body = response.body() == null ? "" : response.body();
            Optional<JsonNode> json = parse(body);
            if (json.isEmpty() && isUnavailable(status, body)) {
                // 502/503 pages while a controller upgrades [V7, CH].
                if (kind == Kind.MUTATION) {
                    throw new LostAnswer(action + " got HTTP " + status + " (" + unavailableText(body) + ")", null);
                }
                if (unavailable >= settings.unavailableRetries()) {
                    throw new AviatrixTransportException(action, "Controller " + settings.controller() + " answered "
                            + action + " with HTTP " + status + " (" + unavailableText(body) + ") " + (unavailable + 1)
                            + " times; gave up after " + settings.unavailableRetries() + " retries every "
                            + settings.unavailableRetryInterval(), null);
                }
                unavailable++;
                log.debug("Controller answered {} with HTTP {} ({}); retry {} of {} in {}", action, status,
                        unavailableText(body), unavailable, settings.unavailableRetries(),
                        settings.unavailableRetryInterval());
                pause(action, settings.unavailableRetryInterval());
                continue;
            }
            if (log.isTraceEnabled() && !action.equals("login") && !action.equals("get_api_token")) {
                log.trace("Controller answered {}: {}", action, redact(body, params.get("CID"), accessKey));
            }
            return new Answer(status, body, json);
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
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private String snippet(String body, String cid, String token) {
        String s = redact(body.strip(), cid, token);
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /** Masks the password, API token and CID in every form they take on the wire ({@link Secrets#mask}). */
    private String redact(String text, String cid, String token) {
        Session s = session;
        return Secrets.mask(text, cid, token, s == null ? null : s.cid(), s == null ? null : s.apiToken(),
                new String(settings.password().reveal()));
    }

    private String redact(String text) {
        return redact(text, null, null);
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

    // ---------------------------------------------------------------- versions

    @Override
    public VersionInfo versionInfo(boolean withLatest) {
        String action = "list_version_info";
        Session s = session();
        Answer a = call("GET", s.era().actionPath(), action, withLatest ? Map.of("latest_version", "true")
                : Map.of(), Kind.READ);
        envelope(action, a, null, session);
        if (!a.ok() && a.reason().contains(VALID_ACTION_REQUIRED)) {
            // A controller before 3.2 cannot say its version; the provider takes it as 3.1 [V1].
            return new VersionInfo(ASSUMED_PRE_3_2, Optional.empty(), Optional.empty());
        }
        if (!a.ok()) {
            throw new AviatrixApiException(action, redact(a.reason()));
        }
        JsonNode results = a.json().get().path("results");
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
        VersionInfo info = versionInfo(true);
        // An empty latest_version means the controller already runs the latest [R].
        return info.latest().orElse(info.current());
    }

    private ControllerVersion version(String action, String field, String text) {
        try {
            return ControllerVersion.parse(text);
        } catch (PlanValidationException e) {
            throw new AviatrixTransportException(action, "Controller " + settings.controller() + " answered " + action
                    + " with " + field + " \"" + redact(text) + "\", which is not a controller version ("
                    + ControllerVersion.ACCEPTED_FORMS + ")", e);
        }
    }

    private Optional<ControllerVersion> optionalVersion(String action, String field, JsonNode results) {
        String text = results.path(field).asText("");
        return text.isBlank() ? Optional.empty() : Optional.of(version(action, field, text));
    }

    // ---------------------------------------------------------------- backups

    @Override
    public BackupConfig backupConfig() {
        JsonNode r = action("GET", "get_cloudn_backup_config", Map.of(), Kind.READ).path("results");
        // enabled and multiple_bkup read "yes" [B0–B2].
        return new BackupConfig("yes".equalsIgnoreCase(r.path("enabled").asText("")),
                isYes(r.path("multiple_bkup").asText("")), text(r, "acct_name"), text(r, "bucket_name"));
    }

    private static boolean isYes(String s) {
        return s.equalsIgnoreCase("yes") || s.equalsIgnoreCase("true");
    }

    private static Optional<String> text(JsonNode node, String field) {
        String s = node.path(field).asText("");
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    @Override
    public void backupNow(BackupRequest request) {
        Objects.requireNonNull(request, "request");
        Session s = session();
        String action = "enable_cloudn_backup_config";
        Map<String, String> params = new LinkedHashMap<>(ControllerEra.backupParams(s.version(), request, true));
        params.remove("action");
        Answer a;
        try {
            a = call("POST", s.era().actionPath(), action, params, Kind.MUTATION);
        } catch (LostAnswer lost) {
            // Never re-sent: read what the controller holds, and stop, so no upgrade follows an unconfirmed backup.
            String now = describeBackupState();
            throw new AviatrixTransportException(action, "The answer to the backup was lost (" + lost.getMessage()
                    + "); it was not sent again. The controller's backup configuration now reads: " + now
                    + ". Check the storage " + request.location() + " for a new backup before going on", null);
        }
        envelope(action, a, null, session);
        if (!a.ok()) {
            throw new AviatrixApiException(action, redact(a.reason().isEmpty() ? "no reason given" : a.reason()));
        }
        // The answer to now=true is unknown [AZ]: confirm by reading the configuration back.
        BackupConfig after = backupConfig();
        if (!after.enabled()) {
            throw new AviatrixApiException(action, "the controller accepted the backup but get_cloudn_backup_config "
                    + "reads enabled=no");
        }
        log.info("Controller {} backed up to {} ({})", settings.controller(), request.location(),
                request.cloudType());
    }

    private String describeBackupState() {
        try {
            BackupConfig c = backupConfig();
            return "enabled=" + (c.enabled() ? "yes" : "no") + c.accountName().map(x -> ", account " + x).orElse("")
                    + c.bucketName().map(x -> ", bucket " + x).orElse("");
        } catch (RuntimeException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
    }

    // ---------------------------------------------------------------- upgrades

    @Override
    public UpgradeStart upgrade(ControllerVersion version, UpgradeScope scope) {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(scope, "scope");
        Session s = session();
        ControllerEra era = s.era();
        if (scope == UpgradeScope.CONTROLLER_ONLY && !era.canUpgradeControllerOnly()) {
            throw new UnsupportedEraException(era, "controller-only upgrade", era.canUpgrade()
                    ? "before 6.5 an upgrade always moves every gateway too (inline_upgrade)"
                    : "the 8.x upgrade API is not public");
        }
        Map<String, String> params = new LinkedHashMap<>(era.upgradeParams(version, scope));
        String action = params.remove("action");
        String method = era.upgradeIsGet() ? "GET" : "POST";
        for (int resend = 0; ; resend++) {
            Answer a;
            try {
                a = call(method, era.upgradePath(), action, params, Kind.MUTATION);
            } catch (LostAnswer lost) {
                log.warn("Upgrade to {}: {}; not sent again, following the controller's progress instead",
                        version, lost.getMessage());
                return new UpgradeStart(era, version, scope, UpgradeStart.State.UNCONFIRMED, Optional.empty(),
                        "answer lost: " + lost.getMessage());
            }
            UpgradeStart start = readStart(era, version, scope, action, a, resend);
            if (start != null) {
                log.info("Controller {} upgrade to {} ({}): {}", settings.controller(), version, scope, start.state());
                return start;
            }
            // Up to 6.4 the provider waits and sends the start again on "Active upgrade in progress." [V1, V2].
            log.info("Controller {} says an upgrade is active; sending the start again in {} ({} of {})",
                    settings.controller(), settings.activeUpgradeWait(), resend + 1, ACTIVE_UPGRADE_RESENDS);
            pause(action, settings.activeUpgradeWait());
        }
    }

    /** The start's outcome, or null to wait and send it again (3.0–6.4 "Active upgrade in progress."). */
    private UpgradeStart readStart(ControllerEra era, ControllerVersion version, UpgradeScope scope, String action,
            Answer a, int resend) {
        String reason = a.reason();
        boolean active = reason.contains(ACTIVE_UPGRADE) || (era == ControllerEra.V3_0 && a.body().contains("in progress"));
        if (active && !era.isAsynchronous()) {
            if (resend < ACTIVE_UPGRADE_RESENDS) {
                return null;
            }
            throw new AviatrixApiException(action, ACTIVE_UPGRADE + " (still, after " + ACTIVE_UPGRADE_RESENDS
                    + " waits of " + settings.activeUpgradeWait() + ")");
        }
        if (active) {
            // From 6.5, read the progress instead of sending the start again.
            return new UpgradeStart(era, version, scope, UpgradeStart.State.UNCONFIRMED, Optional.empty(),
                    "the controller says: " + ACTIVE_UPGRADE);
        }
        switch (era.upgrade()) {
            case USERCONNECT_RELEASE -> {
                // The body is not parsed; a status other than 200 is an error [V1].
                if (a.status() != 200) {
                    throw new AviatrixApiException(action, "status code " + a.status());
                }
                return new UpgradeStart(era, version, scope, UpgradeStart.State.STARTED, Optional.empty(),
                        "userconnect_release answered HTTP 200");
            }
            case SYNCHRONOUS -> {
                // return:true = done [V2, V3].
                JsonNode json = envelope(action, a, null, session);
                if (!a.ok()) {
                    throw new AviatrixApiException(action, redact(reason.isEmpty() ? "no reason given" : reason));
                }
                return new UpgradeStart(era, version, scope, UpgradeStart.State.COMPLETED, Optional.empty(),
                        redact(json.path("results").asText("")));
            }
            case CHECK_UPGRADE_STATUS -> {
                // A bare integer [V4] or {return:true, results:<int>} [V5]; return:false or 0 fails.
                String body = a.body().strip();
                if (a.status() == 200 && body.matches("[0-9]{1,18}") && !body.matches("0+")) {
                    return new UpgradeStart(era, version, scope, UpgradeStart.State.STARTED, Optional.of(body),
                            "request id " + body);
                }
                envelope(action, a, null, session);
                String id = a.json().get().path("results").asText("");
                if (!a.ok() || !id.matches("[0-9]{1,18}") || id.matches("0+")) {
                    throw new AviatrixApiException(action, "rest API upgrade POST failed to initiate async action: "
                            + redact(reason.isEmpty() ? "results " + id : reason));
                }
                return new UpgradeStart(era, version, scope, UpgradeStart.State.STARTED, Optional.of(id),
                        "request id " + id);
            }
            case PLATFORM_UPGRADE_STATUS -> {
                // {return, results:string, reason} [V7].
                JsonNode json = envelope(action, a, null, session);
                if (!a.ok()) {
                    throw new AviatrixApiException(action, redact(reason.isEmpty() ? "no reason given" : reason));
                }
                String results = json.path("results").asText("");
                return new UpgradeStart(era, version, scope, UpgradeStart.State.STARTED,
                        results.isBlank() ? Optional.empty() : Optional.of(redact(results)), redact(results));
            }
            default -> throw new UnsupportedEraException(era, "upgrade", "the 8.x upgrade API is not public");
        }
    }

    @Override
    public UpgradeStatus upgradeStatus(UpgradeStart start) {
        Objects.requireNonNull(start, "start");
        if (start.state() == UpgradeStart.State.COMPLETED) {
            return new UpgradeStatus(false, UpgradeStatus.State.COMPLETE, "completed synchronously", Optional.empty());
        }
        ControllerEra era = start.era();
        if (era.upgrade() == ControllerEra.Upgrade.PLATFORM_UPGRADE_STATUS) {
            return platformUpgradeStatus(start);
        }
        if (era.upgrade() == ControllerEra.Upgrade.CHECK_UPGRADE_STATUS && start.requestId().isPresent()) {
            return checkUpgradeStatus(start);
        }
        return versionProbe(start);
    }

    /** POST /v1/backend1 check_upgrade_status, CID, id, pos=0 → {pos, done, status, result} [V4, V5]. */
    private UpgradeStatus checkUpgradeStatus(UpgradeStart start) {
        String action = "check_upgrade_status";
        Map<String, String> p = new LinkedHashMap<>();
        p.put("id", start.requestId().orElseThrow());
        p.put("pos", "0");
        Answer a = call("POST", "/v1/backend1", action, p, Kind.READ);
        JsonNode json = json(action, a, null, session);
        if (!json.has("done")) {
            // Not the poll's answer (e.g. a controller that no longer serves it after its upgrade): read the version.
            return versionProbe(start);
        }
        if (!json.path("done").asBoolean(false)) {
            return new UpgradeStatus(true, UpgradeStatus.State.IN_PROGRESS, "in progress", Optional.empty());
        }
        String result = json.path("result").asText("");
        if (result.startsWith("Error")) {
            return new UpgradeStatus(false, UpgradeStatus.State.FAILED, "error", Optional.of(redact(result)));
        }
        return new UpgradeStatus(false, UpgradeStatus.State.COMPLETE, "done", Optional.empty());
    }

    /** POST platform_upgrade_status, CID, platform_only=true [V7]. */
    private UpgradeStatus platformUpgradeStatus(UpgradeStart start) {
        JsonNode r = action("POST", "platform_upgrade_status", Map.of("platform_only", "true"), Kind.READ)
                .path("results");
        boolean inProgress = r.path("is_upgrade_in_progress").asBoolean(false);
        JsonNode platform = r.path("platform_upgrade").path("results");
        String status = platform.path("status").asText("");
        Optional<String> reason = text(platform, "reason").or(() -> text(platform, "progmsg"))
                .or(() -> text(platform, "msg")).map(this::redact);
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

    /**
     * No progress call (3.0–6.4, or an unconfirmed start without a request id): the upgrade is complete when the
     * controller reports the target's release (a bare target) or the target itself.
     */
    private UpgradeStatus versionProbe(UpgradeStart start) {
        ControllerVersion now = currentVersion();
        ControllerVersion t = start.target();
        boolean reached = t.isRelease() ? now.sameRelease(t) : now.equals(t);
        if (start.era() == ControllerEra.V3_0 && now.equals(ASSUMED_PRE_3_2) && !t.sameRelease(now)) {
            reached = false;
        }
        return reached
                ? new UpgradeStatus(false, UpgradeStatus.State.COMPLETE, "the controller runs " + now, Optional.empty())
                : new UpgradeStatus(true, UpgradeStatus.State.IN_PROGRESS, "the controller still runs " + now,
                        Optional.empty());
    }

    // ---------------------------------------------------------------- gateways and audit

    private void requireGatewayEra(String capability) {
        ControllerEra era = session().era();
        if (!era.canListGateways()) {
            throw new UnsupportedEraException(era, capability, "gateway versions and the IAM audit are read since "
                    + "6.5 (list_vpcs_summary, get_account_audit_records); older controllers are not described");
        }
    }

    @Override
    public List<GatewayInfo> gateways() {
        requireGatewayEra("list_vpcs_summary");
        String action = "list_vpcs_summary";
        JsonNode results = action("GET", action, Map.of(), Kind.READ).path("results");
        List<GatewayInfo> out = new ArrayList<>();
        for (JsonNode g : results) {
            String name = g.path("vpc_name").asText("");
            JsonNode ha = g.path("hagw_details");
            // HA gateways first: they are upgraded before their primaries [SU].
            if (ha.isObject() && !ha.path("vpc_name").asText("").isEmpty()) {
                out.add(new GatewayInfo(ha.path("vpc_name").asText(), version(action, "gw_software_version",
                        ha.path("gw_software_version").asText("")), ha.path("gw_image_name").asText(""), name));
            }
            out.add(new GatewayInfo(name, version(action, "gw_software_version",
                    g.path("gw_software_version").asText("")), g.path("gw_image_name").asText(""), ""));
        }
        return List.copyOf(out);
    }

    /** Gateway names must be one name, never a list. */
    private static void checkGatewayName(String name) {
        Objects.requireNonNull(name, "gateway name");
        if (name.isBlank() || name.matches(".*[,\\s].*")) {
            throw new PlanValidationException("AviatrixClient", List.of("gateway name \"" + name
                    + "\" must not be blank and must not contain ',' or spaces"));
        }
    }

    @Override
    public void upgradeGateway(String name, ControllerVersion version, String imageVersion) {
        checkGatewayName(name);
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(imageVersion, "imageVersion");
        requireGatewayEra("upgrade_selected_gateway");
        // gateway_list=<one name>, software_version, image_version [G].
        Map<String, String> params = new LinkedHashMap<>();
        params.put("gateway_list", name);
        params.put("software_version", version.toString());
        params.put("image_version", imageVersion);
        try {
            action("POST", "upgrade_selected_gateway", params, Kind.MUTATION);
        } catch (LostAnswer lost) {
            throw new AviatrixTransportException("upgrade_selected_gateway", "The answer to the upgrade of gateway "
                    + name + " was lost (" + lost.getMessage() + "); it was not sent again: read the gateways to "
                    + "see where it stands", null);
        }
        log.info("Gateway {} moved to {}", name, version);
    }

    @Override
    public List<AccountAudit> accountAudit() {
        requireGatewayEra("get_account_audit_records");
        JsonNode r = action("GET", "get_account_audit_records", Map.of(), Kind.READ).path("results");
        List<AccountAudit> out = new ArrayList<>();
        for (JsonNode a : r) {
            out.add(new AccountAudit(a.path("account_name").asText(""), a.path("status").asText(""),
                    a.path("comment").asText("")));
        }
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        Session s = session;
        return "AviatrixClient[controller=" + settings.controller() + ", user=" + settings.username()
                + ", session=" + (s == null ? "none" : "active, era " + s.era().versions()) + "]";
    }
}
