package dev.stepwise.aws.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.aws.testkit.MotoServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** Reads what Moto itself recorded, through its own {@code /moto-api/data.json}, not through the SDK under test. */
final class MotoState {
    /** One SNS publish as Moto stored it. */
    record Published(String subject, String message) {
    }

    /** One SES e-mail as Moto stored it. */
    record Sent(String source, List<String> to, String subject, String body) {
    }

    private MotoState() {
    }

    static List<Published> published(MotoServer moto, String topicArn) throws Exception {
        List<Published> out = new ArrayList<>();
        for (JsonNode topic : data(moto).path("sns").path("Topic")) {
            if (topic.path("arn").asText().equals(topicArn)) {
                for (JsonNode n : topic.path("sent_notifications")) {
                    out.add(new Published(n.path(2).asText(null), n.path(1).asText()));
                }
            }
        }
        return out;
    }

    static List<Sent> sent(MotoServer moto) throws Exception {
        List<Sent> out = new ArrayList<>();
        for (JsonNode m : data(moto).path("ses").path("Message")) {
            List<String> to = new ArrayList<>();
            m.path("destinations").path("ToAddresses").forEach(a -> to.add(a.asText()));
            out.add(new Sent(m.path("source").asText(), to, m.path("subject").asText(), m.path("body").asText()));
        }
        return out;
    }

    private static JsonNode data(MotoServer moto) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(moto.endpoint() + "/moto-api/data.json")).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("Moto's data.json answered " + r.statusCode());
        }
        return new ObjectMapper().readTree(r.body());
    }
}
