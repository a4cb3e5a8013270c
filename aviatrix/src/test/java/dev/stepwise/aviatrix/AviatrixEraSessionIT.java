package dev.stepwise.aviatrix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.aviatrix.testkit.FakeController;
import dev.stepwise.aviatrix.testkit.FakeController.RecordedRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Sessions: expiry by the reference's substrings and forms; the token endpoint's absence [C0, C1, H1, H2]. */
class AviatrixEraSessionIT {

    @ParameterizedTest
    @ValueSource(strings = {"CID is invalid or expired.", "CID is invalid", "Invalid session. Please login again.",
            "Session 1a2b3c not found", "Session 1a2b3c expired"})
    void call_whenSessionExpiresWithReferenceForm_logsInAgainAndRepeats(String reason) {
        try (FakeController fake = FakeController.builder().version("7.1.1794").expiryReason(reason).start()) {
            AviatrixClient client = FakeClients.client(fake);
            client.login();
            fake.expireSessions();

            assertThat(client.currentVersion()).hasToString("7.1.1794");
            assertThat(fake.requestCount("login")).isEqualTo(2);
        }
    }

    @Test
    void isExpiry_whenOtherReason_isNotExpiry() {
        assertThat(HttpAviatrixClient.isExpiry("CID required")).isFalse();
        assertThat(HttpAviatrixClient.isExpiry("Session expired")).isFalse();
    }

    @Test
    void login_whenTokenEndpointAnswersReturnFalse_logsInOnV1WithoutTheHeader() {
        try (FakeController fake = FakeController.builder().version("7.0.1373").withoutApiToken().start()) {
            AviatrixClient client = FakeClients.client(fake);
            client.login();

            assertThat(client.era()).isEqualTo(ControllerEra.V7_0);
            RecordedRequest login = fake.requests("login").get(0);
            assertThat(login.path()).isEqualTo("/v1/api");
            assertThat(login.headers()).doesNotContainKey("x-access-key");
        }
    }

    @Test
    void login_whenTokenEndpointIs404_logsInOnV1() {
        try (FakeController fake = FakeController.builder().version("6.8.1148").start()) {
            AviatrixClient client = FakeClients.client(fake);
            client.login();

            assertThat(fake.requests("get_api_token")).extracting(RecordedRequest::status).containsExactly(404);
            assertThat(fake.requests("login")).extracting(RecordedRequest::path).containsExactly("/v1/api");
            assertThat(client.era()).isEqualTo(ControllerEra.V6_5);
        }
    }

    @Test
    void login_whenTokenEndpointAnswers_sendsTheTokenOnV2() {
        try (FakeController fake = FakeController.builder().version("7.2.4820").start()) {
            AviatrixClient client = FakeClients.client(fake);
            client.login();

            RecordedRequest login = fake.requests("login").get(0);
            assertThat(login.path()).isEqualTo("/v2/api");
            assertThat(login.headers()).containsKey("x-access-key");
            assertThat(client.era()).isEqualTo(ControllerEra.V7_1);
        }
    }
}
