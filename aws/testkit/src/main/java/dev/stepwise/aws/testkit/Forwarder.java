package dev.stepwise.aws.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends a request on to the upstream server unchanged but for hop-by-hop headers, and returns its answer. */
final class Forwarder {

    private static final Logger log = LoggerFactory.getLogger(Forwarder.class);

    /** Headers that belong to one connection, or that the HTTP client sets itself. */
    static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "trailers", "transfer-encoding", "upgrade", "host",
            "content-length", "expect", "date");

    private final URI upstream;
    private final HttpClient client;

    public Forwarder(URI upstream) {
        this.upstream = upstream;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    public URI upstream() {
        return upstream;
    }

    public Wire.Response forward(Wire.Request request) throws IOException, InterruptedException {
        URI target = URI.create(upstream.toString().replaceAll("/+$", "") + request.pathAndQuery());
        HttpRequest.BodyPublisher body = request.body().length == 0
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(request.body());
        HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(120))
                .method(request.method(), body);
        request.headers().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                for (String v : values) {
                    try {
                        b.header(name, v);
                    } catch (IllegalArgumentException e) {
                        log.debug("header {} not forwarded: the JDK HTTP client refuses it", name);
                    }
                }
            }
        });
        HttpResponse<byte[]> response = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        Map<String, List<String>> headers = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":") && !NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                headers.put(name, values);
            }
        });
        return new Wire.Response(response.statusCode(), headers, response.body(), false);
    }
}
