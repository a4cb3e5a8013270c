package dev.stepwise.aviatrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The token endpoint's answers as H1 reads them: a 404, a non-JSON body or {@code return:false} mean "no token",
 * so login goes to {@code /v1/api} without the header; another status or reason {@code RequestRefused} means the
 * controller is not ready, and nothing else is sent.
 */
class AviatrixEraTokenEndpointTest {

    private HttpServer server;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private volatile String[] tokenAnswer;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String query = exchange.getRequestURI().getRawQuery();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String all = (query == null ? "" : query) + "&" + body;
            String path = exchange.getRequestURI().getPath();
            String key = exchange.getRequestHeaders().getFirst("X-Access-Key");
            String[] answer;
            if (all.contains("action=get_api_token")) {
                answer = tokenAnswer;
            } else if (all.contains("action=login")) {
                answer = new String[] {"200", "{\"return\":true,\"results\":\"ok\",\"CID\":\"c1\"}"};
            } else {
                answer = new String[] {"200", "{\"return\":true,\"results\":{\"current_version\":\"6.8.1148\"}}"};
            }
            java.util.regex.Matcher action = java.util.regex.Pattern.compile("action=([a-z_]+)").matcher(all);
            seen.add(path + " " + (action.find() ? action.group(1) : "?") + (key == null ? "" : " key"));
            byte[] out = answer[1].getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(Integer.parseInt(answer[0]), out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        }
    }

    private AviatrixClient client() {
        return AviatrixClient.builder().controller(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .username("admin").password("pw-1".toCharArray()).allowPlainHttpOnLoopback()
                .unavailableRetries(0).requestTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void login_whenTokenEndpointAnswersNonJson_logsInOnV1WithoutTheHeader() {
        tokenAnswer = new String[] {"200", "<html>controller UI</html>"};

        client().login();

        assertThat(seen).containsExactly("/v2/api get_api_token", "/v1/api login", "/v1/api list_version_info");
    }

    @Test
    void login_whenTokenEndpointSaysReturnFalse_logsInOnV1WithoutTheHeader() {
        tokenAnswer = new String[] {"200", "{\"return\":false,\"reason\":\"valid action required\"}"};

        client().login();

        assertThat(seen).contains("/v1/api login").doesNotContain("/v2/api login key");
    }

    @Test
    void login_whenTokenEndpointAnswersToken_logsInOnV2WithTheHeader() {
        tokenAnswer = new String[] {"200", "{\"return\":true,\"results\":{\"api_token\":\"t-1\"}}"};

        client().login();

        assertThat(seen).contains("/v2/api login key");
    }

    @Test
    void login_whenTokenEndpointRefusesTheRequest_isNotReadyAndSendsNoLogin() {
        tokenAnswer = new String[] {"200", "{\"return\":false,\"reason\":\"RequestRefused\"}"};

        assertThatThrownBy(() -> client().login()).isInstanceOf(AviatrixTransportException.class)
                .hasMessageContaining("not ready").hasMessageContaining("RequestRefused");
        assertThat(seen).containsExactly("/v2/api get_api_token");
    }

    @Test
    void login_whenTokenEndpointAnswers500_isNotReadyAndSendsNoLogin() {
        tokenAnswer = new String[] {"500", "{\"return\":false}"};

        assertThatThrownBy(() -> client().login()).isInstanceOf(AviatrixTransportException.class)
                .hasMessageContaining("not ready").hasMessageContaining("HTTP 500");
        assertThat(seen).containsExactly("/v2/api get_api_token");
    }
}
