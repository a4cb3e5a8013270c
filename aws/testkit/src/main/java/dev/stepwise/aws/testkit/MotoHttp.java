package dev.stepwise.aws.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Moto's own API: health and reset. */
final class MotoHttp {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private MotoHttp() {
    }

    /** @return null when {@code GET /moto-api/} answers 200, else why not */
    public static String healthProblem(URI endpoint) {
        try {
            HttpResponse<Void> r = CLIENT.send(HttpRequest.newBuilder(resolve(endpoint, "/moto-api/"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200 ? null : "GET /moto-api/ answered " + r.statusCode();
        } catch (IOException e) {
            return "GET /moto-api/ failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    public static void reset(URI endpoint) {
        try {
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(resolve(endpoint, "/moto-api/reset"))
                    .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("POST " + endpoint + "/moto-api/reset answered " + r.statusCode()
                        + ": " + r.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("POST " + endpoint + "/moto-api/reset failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while resetting Moto at " + endpoint, e);
        }
    }

    static URI resolve(URI endpoint, String path) {
        return URI.create(endpoint.toString().replaceAll("/+$", "") + path);
    }
}
