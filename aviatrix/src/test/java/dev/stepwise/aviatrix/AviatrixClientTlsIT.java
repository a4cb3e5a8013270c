package dev.stepwise.aviatrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.aviatrix.testkit.FakeController;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AviatrixClientTlsIT {

    private static FakeController fake;

    @BeforeAll
    static void start() {
        fake = FakeController.builder().https().start();
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    private static AviatrixClient.Builder withoutTrust() {
        return AviatrixClient.builder().
                controller(fake.uri()).
                username(fake.username()).
                password(FakeController.DEFAULT_PASSWORD.toCharArray());
    }

    @Test
    void login_whenCertificateNotTrusted_refusedByDefault() {
        AviatrixClient client = withoutTrust().build();

        assertThatThrownBy(client::login)
                .isInstanceOf(AviatrixTransportException.class)
                .hasMessageContaining("get_api_token")
                .hasRootCauseInstanceOf(java.security.cert.CertPathBuilderException.class)
                .cause().isInstanceOf(SSLHandshakeException.class);
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void login_whenTrustStoreGiven_connects() {
        AviatrixClient client = withoutTrust().trustStore(fake.trustStore()).build();

        client.login();

        assertThat(client.currentVersion()).hasToString(FakeController.DEFAULT_VERSION);
    }

    @Test
    void login_whenSslContextGiven_connects() {
        AviatrixClient client = withoutTrust().sslContext(fake.clientSslContext()).build();

        assertThat(client.currentVersion()).hasToString(FakeController.DEFAULT_VERSION);
    }
}
