package dev.stepwise.aws.journal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A loopback proxy in front of Moto that handles one request at a time (the JDK server's single dispatcher
 * thread runs every exchange). DynamoDB applies each conditional write atomically; Moto's DynamoDB checks a
 * condition and then writes without a lock, so under its threaded server two racing conditional writes can
 * both succeed. Serializing requests gives the tests DynamoDB's per-request atomicity while the racing
 * threads still interleave their calls freely.
 */
final class OneAtATimeProxy implements AutoCloseable {
    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "expect", "upgrade",
            "transfer-encoding");

    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI target;

    private OneAtATimeProxy(URI target) throws IOException {
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::forward);
        server.start(); // no executor: every exchange runs on the one dispatcher thread, in turn
    }

    static OneAtATimeProxy start(URI target) {
        try {
            return new OneAtATimeProxy(target);
        } catch (IOException e) {
            throw new IllegalStateException("could not start the proxy in front of " + target, e);
        }
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void forward(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            HttpRequest.Builder req = HttpRequest.newBuilder(target.resolve(ex.getRequestURI().toString()))
                    .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            ex.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> req.header(name, v));
                }
            });
            HttpResponse<byte[]> resp;
            try {
                resp = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ex.sendResponseHeaders(502, -1);
                return;
            }
            resp.headers().map().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    ex.getResponseHeaders().put(name, List.copyOf(values));
                }
            });
            byte[] out = resp.body();
            ex.sendResponseHeaders(resp.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(out);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
