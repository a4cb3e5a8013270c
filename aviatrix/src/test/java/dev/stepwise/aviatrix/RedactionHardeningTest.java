package dev.stepwise.aviatrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.stepwise.core.PlanValidationException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hardening item 6: a secret never leaks in an encoded form, and an address with user info or a query is never
 * echoed. Regression: a controller answer that echoed the login form carried the URL-encoded password, which
 * redaction (of the raw text only) missed; and a controller URI whose host Java cannot parse was echoed whole,
 * query string included. The controller here is a tiny loopback server that echoes what it was sent.
 */
class RedactionHardeningTest {
    /** Characters that URL-encode, a space (+ or %20) and a non-ASCII letter (two UTF-8 bytes). */
    private static final String PASSWORD = "p@ss w+rd&=ö";
    /** Pieces of the password in every form it takes on the wire: none may appear anywhere. */
    private static final List<String> PIECES = List.of("p@ss", "p%40ss", "w+rd", "w%2Brd", "w%2brd", "w%20",
            "rd&=", "rd%26", "%3D%C3", "%3d%c3", "\\u00f6", "\\u00F6", "&#246;", "=ö");

    /** What the server answers: (action, the request's raw form body) to (status, content type, body). */
    private volatile BiFunction<String, String, String[]> answer;
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String query = exchange.getRequestURI().getRawQuery();
            String form = body.isEmpty() && query != null ? query : body;
            String action = form.replaceAll("^(?:.*&)?action=([^&]*).*$", "$1");
            String[] a = action.equals("get_api_token")
                    ? new String[] {"200", "application/json", "{\"return\":false,\"reason\":\"no token\"}"}
                    : answer.apply(action, body);
            byte[] out = a[2].getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", a[1]);
            exchange.sendResponseHeaders(Integer.parseInt(a[0]), out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        }
    }

    private AviatrixClient client() {
        return AviatrixClient.builder().controller(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .allowPlainHttpOnLoopback().username("admin").password(PASSWORD.toCharArray())
                .connectTimeout(Duration.ofSeconds(5)).requestTimeout(Duration.ofSeconds(10)).unavailableRetries(0)
                .build();
    }

    private static String json(String reason) {
        return "{\"return\":false,\"reason\":\"" + reason.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
    }

    private static void assertNoPassword(String text) {
        assertThat(text).isNotNull();
        for (String piece : PIECES) {
            assertThat(text).as("leaks %s", piece).doesNotContain(piece);
        }
    }

    private static String message(Runnable call) {
        Throwable t = catchThrowable(call::run);
        assertThat(t).as("the call should fail").isNotNull();
        return t.getMessage();
    }

    @Test
    void login_whenTheControllerEchoesTheFormAsSent_masksTheUrlEncodedPassword() {
        answer = (action, form) -> new String[] {"200", "application/json", json("Invalid request: " + form)};

        String m = message(() -> client().login());

        assertThat(m).contains("Invalid request: action=login&username=admin&password=****");
        assertNoPassword(m);
    }

    @Test
    void login_whenTheEchoUsesPercent20AndLowerCaseHex_masksItToo() {
        String reencoded = "action=login&password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8)
                .replace("+", "%20").toLowerCase(Locale.ROOT);
        answer = (action, form) -> new String[] {"200", "application/json", json("Invalid request: " + reencoded)};

        String m = message(() -> client().login());

        assertThat(m).contains("password=****");
        assertNoPassword(m);
    }

    @Test
    void login_whenAnHtmlPageEchoesTheFormEscaped_masksItInTheSnippet() {
        answer = (action, form) -> new String[] {"200", "text/html", "<html><body>Bad form: " + form
                + "<br>password is \"p@ss w+rd&amp;=&#246;\"</body></html>"};

        String m = message(() -> client().login());

        assertThat(m).contains("****");
        assertNoPassword(m);
    }

    @Test
    void call_whenAnAnswerCarriesThePasswordJsonEscaped_keepsItOutOfTheTraceLogAndTheMessage() {
        // as a Python controller writes JSON: non-ASCII as \\u escapes
        String escaped = "p@ss w+rd&=\\u00f6";
        answer = (action, form) -> switch (action) {
            case "login" -> new String[] {"200", "application/json", "{\"return\":true,\"CID\":\"cid-1\"}"};
            case "list_version_info" -> new String[] {"200", "application/json",
                    "{\"return\":true,\"results\":{\"current_version\":\"6.5.2608\",\"echo\":\"" + escaped + "\"}}"};
            default -> new String[] {"200", "application/json", "{\"not\":\"the envelope\",\"echo\":\"" + escaped + "\"}"};
        };
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        String m;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            AviatrixClient client = client();
            assertThat(client.currentVersion()).hasToString("6.5.2608");
            m = message(client::backupConfig);
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);

        assertThat(log).contains("list_version_info").contains("****");
        assertNoPassword(log);
        assertThat(m).contains("****");
        assertNoPassword(m);
    }

    @Test
    void controller_whenTheHostCannotBeParsedAndThereIsAQuery_neverEchoesTheQueryOrUserInfo() {
        for (String uri : List.of("https://bad_host:8443/?token=s3cr3t-t0ken", "https://ctl_1.example.com/v2/api?CID=s3cr3t-t0ken",
                "https:admin:s3cr3t-t0ken@ctl?x=1", "https://admin:s3cr3t-t0ken@bad_host/", "//bad_host/?token=s3cr3t-t0ken")) {
            Throwable t = catchThrowable(() -> AviatrixClient.builder().controller(URI.create(uri)).username("admin")
                    .password(PASSWORD.toCharArray()).build());

            assertThat(t).as(uri).isInstanceOf(PlanValidationException.class);
            assertThat(t.getMessage()).as(uri).doesNotContain("s3cr3t").doesNotContain("token=").doesNotContain("CID=")
                    .doesNotContain("admin:");
            assertNoPassword(t.getMessage());
        }
        Throwable t = catchThrowable(() -> AviatrixClient.builder().controller(URI.create("https://bad_host:8443/?token=x"))
                .username("admin").password(PASSWORD.toCharArray()).build());
        assertThat(t.getMessage()).as("still says which host").contains("bad_host:8443");
    }
}
