package dev.stepwise.aws.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Forwarding checked against a recording upstream on loopback, not Moto, so every byte is visible. */
class FillInProxyForwardingIT {

    record Seen(String method, String uri, Map<String, List<String>> headers, byte[] body) {
    }

    private HttpServer upstream;
    private FillInProxy proxy;
    private final AtomicReference<Seen> seen = new AtomicReference<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.createContext("/", ex -> {
            seen.set(new Seen(ex.getRequestMethod(), ex.getRequestURI().toString(),
                    Map.copyOf(ex.getRequestHeaders()), ex.getRequestBody().readAllBytes()));
            byte[] answer = "{\"answer\":\u00e9}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("x-amzn-RequestId", "req-1");
            ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            ex.sendResponseHeaders(418, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        upstream.start();
        proxy = FillInProxy.start(URI.create("http://127.0.0.1:" + upstream.getAddress().getPort()));
    }

    @AfterEach
    void stop() {
        proxy.close();
        upstream.stop(0);
    }

    @Test
    void forward_whenOperationNotFilledIn_passesMethodPathQueryHeadersAndBodyUnchanged() throws Exception {
        byte[] body = {0, 1, 2, (byte) 0xff, '{', '}'};
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(
                        URI.create(proxy.endpoint() + "/some/path%20x?b=2&a=%2F"))
                .header("X-Amz-Target", "AmazonSSM.GetParameter")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20250101/us-east-1/ssm/aws4_request")
                .header("X-Custom", "one")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());

        Seen got = seen.get();
        assertThat(got.method()).isEqualTo("PUT");
        assertThat(got.uri()).isEqualTo("/some/path%20x?b=2&a=%2F");
        assertThat(got.body()).isEqualTo(body);
        assertThat(got.headers()).containsEntry("X-amz-target", List.of("AmazonSSM.GetParameter"))
                .containsEntry("X-custom", List.of("one"))
                .containsKey("Authorization");
        assertThat(response.statusCode()).isEqualTo(418);
        assertThat(response.headers().firstValue("x-amzn-RequestId")).contains("req-1");
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"answer\":\u00e9}");
        assertThat(proxy.counts().count("GetParameter")).isEqualTo(1);
    }

    @Test
    void forward_whenMotoApiPath_isNotCounted() throws Exception {
        client.send(HttpRequest.newBuilder(URI.create(proxy.endpoint() + "/moto-api/reset"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());

        assertThat(seen.get().uri()).isEqualTo("/moto-api/reset");
        assertThat(proxy.counts().total()).isZero();
    }

    @Test
    void dropConnection_whenInjected_closesWithoutAnswerAndNeverReachesUpstream() {
        proxy.faults().dropConnection("GetParameter").once();

        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(URI.create(proxy.endpoint() + "/"))
                .header("X-Amz-Target", "AmazonSSM.GetParameter")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.discarding()))
                .isInstanceOf(IOException.class);
        assertThat(seen.get()).isNull();
        assertThat(proxy.counts().count("GetParameter")).isEqualTo(1);
    }

    @Test
    void reset_whenStateExists_clearsScenarioFaultsAndCounts() throws Exception {
        proxy.scenario().managedInstance("i-0123456789abcdef0", "Windows");
        proxy.faults().throttle("X").always();
        client.send(HttpRequest.newBuilder(URI.create(proxy.endpoint() + "/?Action=DescribeRegions"))
                .GET().build(), HttpResponse.BodyHandlers.discarding());

        proxy.reset();

        assertThat(proxy.scenario().managedInstances()).isEmpty();
        assertThat(proxy.faults().rules()).isEmpty();
        assertThat(proxy.counts().total()).isZero();
    }
}
