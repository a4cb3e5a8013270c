package dev.stepwise.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.stepwise.core.retry.RetryPolicy;
import dev.stepwise.core.run.VirtualTimeSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookNotifierTest {
    private static final String TOKEN = "Bearer xoxb-0000-very-secret";
    private static final Notice NOTICE = Notice.builder().moment(Moment.BEFORE_WAVE).severity(Severity.INFO)
            .subject("Planned change: wave production starts at 2026-01-02T00:00:00Z")
            .body("What: monthly patches\nWhen: tomorrow").audience("production owners")
            .source("rollout patch-fleet (r-1)").at(Instant.parse("2026-01-01T00:00:00Z")).build();

    private final VirtualTimeSource time = VirtualTimeSource.create();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile int[] answers = {200};
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hooks/T1/abc", exchange -> {
            int n = requests.getAndIncrement();
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            int status = answers[Math.min(n, answers.length - 1)];
            if (status == 0) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                status = 200;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private WebhookNotifier.Builder webhook() {
        return WebhookNotifier.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/T1/abc"))
                .allowLoopbackHttp().header("Authorization", TOKEN).timeSource(time);
    }

    @Test
    void send_whenTheServerAccepts_postsTheNoticeAsJsonWithTheHeaders() throws Exception {
        webhook().build().send(NOTICE);

        assertThat(requests).hasValue(1);
        assertThat(authorizations).containsExactly(TOKEN);
        JsonNode json = new ObjectMapper().readTree(bodies.get(0));
        assertThat(json.path("text").asText()).isEqualTo(NOTICE.subject() + "\n\n" + NOTICE.body());
        assertThat(json.path("subject").asText()).isEqualTo(NOTICE.subject());
        assertThat(json.path("moment").asText()).isEqualTo("BEFORE_WAVE");
        assertThat(json.path("severity").asText()).isEqualTo("INFO");
        assertThat(json.path("audience").asText()).isEqualTo("production owners");
        assertThat(json.path("at").asText()).isEqualTo("2026-01-01T00:00:00Z");
    }

    @Test
    void send_whenTheServerAnswers503ThenOk_retriesWithThePolicysDelaysOnTheVirtualClock() throws Exception {
        answers = new int[] {503, 429, 200};

        webhook().retry(RetryPolicy.builder().maxAttempts(3).backoff(Duration.ofSeconds(1), Duration.ofSeconds(30))
                .build()).build().send(NOTICE);

        assertThat(requests).hasValue(3);
        assertThat(time.waits()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void send_whenEveryAttemptFails_throwsNamingAttemptsAndNoSecret() {
        answers = new int[] {500};
        WebhookNotifier hook = webhook().retry(RetryPolicy.builder().maxAttempts(2).delay(Duration.ofSeconds(5))
                .build()).build();

        assertThatThrownBy(() -> hook.send(NOTICE)).isInstanceOf(NotifyException.class)
                .hasMessageContaining("failed after 2 attempt(s): HTTP 500")
                .hasMessageNotContaining("abc").hasMessageNotContaining("xoxb");
        assertThat(requests).hasValue(2);
        assertThat(hook.toString()).doesNotContain("xoxb").doesNotContain("abc").contains("1 header(s)");
    }

    @Test
    void send_whenTheServerAnswers400_failsAtOnceWithoutRetrying() {
        answers = new int[] {400, 200};

        assertThatThrownBy(() -> webhook().build().send(NOTICE)).isInstanceOf(NotifyException.class)
                .hasMessageContaining("answered HTTP 400; not retried");
        assertThat(requests).hasValue(1);
        assertThat(time.waits()).isEmpty();
    }

    @Test
    void send_whenTheServerDoesNotAnswerWithinTheTimeout_failsWithATimeout() {
        answers = new int[] {0};
        WebhookNotifier hook = webhook().timeout(Duration.ofMillis(200)).retry(RetryPolicy.none()).build();

        assertThatThrownBy(() -> hook.send(NOTICE)).isInstanceOf(NotifyException.class)
                .hasMessageContaining("failed after 1 attempt(s): HttpTimeoutException");
    }

    @Test
    void send_throughNotifications_whenTheWebhookFails_isRecordedNotThrown() {
        answers = new int[] {500};
        Notifications n = Notifications.builder(webhook().retry(RetryPolicy.none()).build()).build();

        List<Delivery> d = n.send(NOTICE);

        assertThat(d).singleElement().satisfies(x -> {
            assertThat(x.outcome()).isEqualTo(Delivery.Outcome.FAILED);
            assertThat(x.destination()).startsWith("webhook http://127.0.0.1:").endsWith("/…");
            assertThat(x.detail()).contains("HTTP 500").doesNotContain("xoxb");
        });
    }
}
