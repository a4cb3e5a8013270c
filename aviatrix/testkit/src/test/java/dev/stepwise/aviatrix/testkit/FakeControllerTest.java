package dev.stepwise.aviatrix.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fake through raw HTTP, independent of stepwise-aviatrix's client. */
class FakeControllerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final FakeControllerExtension controller = FakeControllerExtension.with(b -> b.
            version("7.1.1794").
            train("7.1.1794", "7.2.4820", "8.0.1").
            gateway("spoke-1").
            inProgressPolls(2).
            unavailableResponses(2));

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(FakeController fake, Map<String, String> params, String accessKey)
            throws IOException, InterruptedException {
        String form = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder req = HttpRequest.newBuilder(fake.uri().resolve("/v2/api"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (accessKey != null) {
            req.header("X-Access-Key", accessKey);
        }
        return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode call(FakeController fake, String cid, String... kv) throws IOException, InterruptedException {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            params.put(kv[i], kv[i + 1]);
        }
        if (cid != null) {
            params.put("CID", cid);
        }
        return JSON.readTree(post(fake, params, null).body());
    }

    private String login(FakeController fake) throws IOException, InterruptedException {
        String token = call(fake, null, "action", "get_api_token").path("results").path("api_token").asText();
        JsonNode login = JSON.readTree(post(fake, Map.of("action", "login", "username", FakeController.DEFAULT_USERNAME,
                "password", FakeController.DEFAULT_PASSWORD), token).body());
        assertThat(login.path("return").asBoolean()).isTrue();
        return login.path("CID").asText();
    }

    @Test
    void login_whenTokenAndPasswordGiven_returnsTopLevelCid(FakeController fake) throws Exception {
        String cid = login(fake);

        assertThat(cid).isNotBlank();
        assertThat(call(fake, cid, "action", "list_version_info").path("results").path("current_version").asText())
                .isEqualTo("7.1.1794");
    }

    @Test
    void login_whenWrongPassword_refuses(FakeController fake) throws Exception {
        String token = call(fake, null, "action", "get_api_token").path("results").path("api_token").asText();

        JsonNode answer = JSON.readTree(post(fake, Map.of("action", "login", "username", "admin", "password", "nope"),
                token).body());

        assertThat(answer.path("return").asBoolean()).isFalse();
        assertThat(answer.has("CID")).isFalse();
    }

    @Test
    void call_whenNoSession_answersExpiryReason(FakeController fake) throws Exception {
        JsonNode answer = call(fake, "not-a-cid", "action", "list_version_info");

        assertThat(answer.path("reason").asText()).isEqualTo(FakeController.CID_EXPIRED);
    }

    @Test
    void upgrade_whenPolledThroughWindow_reachesNextMinorAndExpiresSessions(FakeController fake) throws Exception {
        String cid = login(fake);

        JsonNode started = call(fake, cid, "action", "upgrade", "version", "7.2", "async", "true");
        HttpResponse<String> first = post(fake, Map.of("action", "platform_upgrade_status", "CID", cid), null);
        HttpResponse<String> second = post(fake, Map.of("action", "platform_upgrade_status", "CID", cid), null);
        JsonNode poll1 = call(fake, cid, "action", "platform_upgrade_status", "platform_only", "true");
        JsonNode poll2 = call(fake, cid, "action", "platform_upgrade_status", "platform_only", "true");
        JsonNode poll3 = call(fake, cid, "action", "platform_upgrade_status", "platform_only", "true");

        assertThat(started.path("return").asBoolean()).isTrue();
        assertThat(started.path("results").asText()).isNotBlank();
        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(first.body()).contains("503 Service Unavailable");
        assertThat(second.statusCode()).isEqualTo(502);
        assertThat(second.body()).contains("502 Proxy Error");
        assertThat(poll1.at("/results/platform_upgrade/results/status").asText()).isEqualTo("in progress");
        assertThat(poll2.at("/results/is_upgrade_in_progress").asBoolean()).isTrue();
        assertThat(poll3.at("/results/platform_upgrade/results/status").asText()).isEqualTo("complete");
        assertThat(poll3.at("/results/is_upgrade_in_progress").asBoolean()).isFalse();
        assertThat(fake.versionsReached()).containsExactly("7.1.1794", "7.2.4820");
        assertThat(fake.gatewayVersions()).containsEntry("spoke-1", "7.2.4820");
        assertThat(call(fake, cid, "action", "list_version_info").path("reason").asText())
                .isEqualTo(FakeController.CID_EXPIRED);
    }

    @Test
    void upgrade_whenMinorSkipped_refuses(FakeController fake) throws Exception {
        fake.gatewayVersion("spoke-1", "7.1.1794");
        JsonNode answer = call(fake, login(fake), "action", "upgrade", "version", "8.0.1", "async", "true");

        assertThat(answer.path("return").asBoolean()).isFalse();
        assertThat(answer.path("reason").asText()).contains("not the next release").contains("7.1.1794");
        assertThat(fake.upgrades()).isEmpty();
    }

    @Test
    void upgrade_whenGatewayLags_refusesNamingIt(FakeController fake) throws Exception {
        fake.gatewayVersion("spoke-1", "7.0.1373");

        JsonNode answer = call(fake, login(fake), "action", "upgrade_platform", "gateway_list", "",
                "software_version", "7.2", "version", "7.2", "async", "true");

        assertThat(answer.path("reason").asText()).contains("spoke-1 runs 7.0.1373");
    }

    @Test
    void upgrade_whenDowngrade_refuses(FakeController fake) throws Exception {
        JsonNode answer = call(fake, login(fake), "action", "upgrade", "version", "7.1.1794", "async", "true");

        assertThat(answer.path("return").asBoolean()).isFalse();
        assertThat(answer.path("reason").asText()).contains("no rollback");
    }

    @Test
    void upgrade_whenScriptedFailure_reportsFailedAndStays(FakeController fake) throws Exception {
        fake.failUpgradeAtHop(1, "Failed to download release 7.2.4820.");
        String cid = login(fake);
        call(fake, cid, "action", "upgrade", "version", "7.2", "async", "true");
        JsonNode status = null;
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> r = post(fake, Map.of("action", "platform_upgrade_status", "CID", cid), null);
            if (r.statusCode() == 200) {
                status = JSON.readTree(r.body());
            }
        }

        assertThat(status.at("/results/platform_upgrade/results/status").asText()).isEqualTo("failed");
        assertThat(status.at("/results/platform_upgrade/results/reason").asText())
                .isEqualTo("Failed to download release 7.2.4820.");
        assertThat(fake.version()).isEqualTo("7.1.1794");
        assertThat(fake.upgrades()).singleElement()
                .extracting(FakeController.Upgrade::status).isEqualTo(FakeController.Upgrade.Status.FAILED);
    }

    @Test
    void backup_whenNow_recordsVersionAtTheTime(FakeController fake) throws Exception {
        JsonNode answer = call(fake, login(fake), "action", "enable_cloudn_backup_config", "cloud_type", "1",
                "acct_name", "aws-primary", "bucket_name", "b", "multiple_bkup", "true", "now", "true");

        assertThat(answer.path("return").asBoolean()).isTrue();
        assertThat(fake.backups()).singleElement().satisfies(b -> {
            assertThat(b.controllerVersion()).isEqualTo("7.1.1794");
            assertThat(b.now()).isTrue();
            assertThat(b.accountName()).isEqualTo("aws-primary");
            assertThat(b.bucketName()).isEqualTo("b");
            assertThat(b.params()).containsEntry("multiple_bkup", "true").doesNotContainKey("CID");
        });
    }

    @Test
    void backup_whenScriptedToFail_answersReasonAndRecordsNothing(FakeController fake) throws Exception {
        fake.failBackupAt(1, "Bucket b is not reachable.");

        JsonNode answer = call(fake, login(fake), "action", "enable_cloudn_backup_config", "cloud_type", "1",
                "acct_name", "a", "bucket_name", "b", "now", "true");

        assertThat(answer.path("reason").asText()).isEqualTo("Bucket b is not reachable.");
        assertThat(fake.backups()).isEmpty();
    }

    @Test
    void audit_whenFailing_answersReason(FakeController fake) throws Exception {
        String cid = login(fake);
        JsonNode ok = call(fake, cid, "action", "get_account_audit_records");
        fake.failAudit("audit unavailable");

        JsonNode failed = call(fake, cid, "action", "get_account_audit_records");

        assertThat(ok.path("results").get(0).path("status").asText()).contains("Pass");
        assertThat(failed.path("reason").asText()).isEqualTo("audit unavailable");
    }

    @Test
    void requests_whenCalled_recordsActionHeadersAndBody(FakeController fake) throws Exception {
        login(fake);

        assertThat(fake.requestCount("get_api_token")).isEqualTo(1);
        FakeController.RecordedRequest login = fake.requests("login").get(0);
        assertThat(login.method()).isEqualTo("POST");
        assertThat(login.headers()).containsKey("x-access-key");
        assertThat(login.body()).contains("password=");
        assertThat(fake.requestCounts()).containsEntry("login", 1);
    }

    @Test
    void pre32_whenV2OrVersionAsked_answers404AndValidActionRequired() throws Exception {
        try (FakeController old = FakeController.builder().version("3.1").start()) {
            HttpResponse<String> v2 = http.send(HttpRequest.newBuilder(old.uri().resolve("/v2/api?action=get_api_token"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            JsonNode login = JSON.readTree(http.send(HttpRequest.newBuilder(old.uri().resolve("/v1/api"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("action=login&username=" + FakeController.DEFAULT_USERNAME
                            + "&password=" + FakeController.DEFAULT_PASSWORD)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            HttpResponse<String> version = http.send(HttpRequest.newBuilder(old.uri().resolve(
                    "/v1/api?action=list_version_info&CID=" + login.path("CID").asText())).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(v2.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(version.body()).path("reason").asText()).isEqualTo("valid action required");
        }
    }

    @Test
    void era65_whenStartedWithCallerUiOrAsync_answersBareIntegerOrJsonIdAndCheckUpgradeStatus() throws Exception {
        try (FakeController fake = FakeController.builder().version("6.5.2608").inProgressPolls(1)
                .unavailableResponses(0).start()) {
            String cid = JSON.readTree(http.send(HttpRequest.newBuilder(fake.uri().resolve("/v1/api"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("action=login&username=" + FakeController.DEFAULT_USERNAME
                            + "&password=" + FakeController.DEFAULT_PASSWORD)).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).path("CID").asText();
            HttpResponse<String> ui = http.send(HttpRequest.newBuilder(fake.uri().resolve("/v1/api"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("action=upgrade&caller=ui&version=6.6&CID=" + cid)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode poll1 = JSON.readTree(http.send(HttpRequest.newBuilder(fake.uri().resolve("/v1/backend1"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("action=check_upgrade_status&id=" + ui.body().strip()
                            + "&pos=0&CID=" + cid)).build(), HttpResponse.BodyHandlers.ofString()).body());
            JsonNode poll2 = JSON.readTree(http.send(HttpRequest.newBuilder(fake.uri().resolve("/v1/backend1"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("action=check_upgrade_status&id=" + ui.body().strip()
                            + "&pos=0&CID=" + cid)).build(), HttpResponse.BodyHandlers.ofString()).body());

            assertThat(ui.body()).matches("[0-9]+");
            assertThat(poll1.path("done").asBoolean()).isFalse();
            assertThat(poll2.path("done").asBoolean()).isTrue();
            assertThat(poll2.path("result").asText()).doesNotStartWith("Error");
            assertThat(fake.version()).isEqualTo("6.6.5612");
        }
    }

    @Test
    void https_whenClientTrustsFakeCertificate_connects() throws Exception {
        try (FakeController tls = FakeController.builder().https().start()) {
            HttpClient trusting = HttpClient.newBuilder().sslContext(tls.clientSslContext()).build();
            HttpRequest req = HttpRequest.newBuilder(tls.uri().resolve("/v2/api?action=get_api_token")).build();

            assertThat(tls.uri().getScheme()).isEqualTo("https");
            assertThat(trusting.send(req, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> http.send(req, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void start_whenVersionGarbage_throwsNamingIt() {
        assertThatThrownBy(() -> FakeController.builder().version("six").start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"six\"");
    }

    @Test
    void trustStore_whenPlainHttp_throwsIllegalState(FakeController fake) {
        assertThat(URI.create(fake.uri().toString()).getScheme()).isEqualTo("http");
        assertThatThrownBy(fake::trustStore).isInstanceOf(IllegalStateException.class).hasMessageContaining("https()");
    }
}
