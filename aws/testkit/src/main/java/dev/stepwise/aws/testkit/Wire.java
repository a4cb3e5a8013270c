package dev.stepwise.aws.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The AWS wire formats the proxy speaks: SSM JSON 1.1 and EC2 query/XML. */
final class Wire {

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String JSON_11 = "application/x-amz-json-1.1";
    public static final String EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private Wire() {
    }

    /** An HTTP request as the proxy received it. */
    public record Request(String method, String pathAndQuery, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** An answer to send back; {@code drop} closes the connection instead. */
    public record Response(int status, Map<String, List<String>> headers, byte[] body, boolean drop) {
        public static Response dropped() {
            return new Response(0, Map.of(), new byte[0], true);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    public static Response json(int status, Object body) {
        try {
            return new Response(status, Map.of("Content-Type", List.of(JSON_11),
                    "x-amzn-RequestId", List.of(UUID.randomUUID().toString())), JSON.writeValueAsBytes(body), false);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON answer", e);
        }
    }

    public static Response jsonError(int status, String code, String message) {
        ObjectNode n = JSON.createObjectNode();
        n.put("__type", code);
        n.put("message", message);
        return json(status, n);
    }

    public static Response xml(int status, String xml) {
        return new Response(status, Map.of("Content-Type", List.of("text/xml;charset=UTF-8")),
                xml.getBytes(StandardCharsets.UTF_8), false);
    }

    public static Response xmlError(int status, String code, String message) {
        return xml(status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + escape(code)
                + "</Code><Message>" + escape(message) + "</Message></Error></Errors><RequestID>"
                + UUID.randomUUID() + "</RequestID></Response>");
    }

    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Decodes {@code a=1&b=2}; a repeated key keeps its first value. */
    public static Map<String, String> form(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }

    /** SSM JSON timestamps: epoch seconds with milliseconds. */
    public static BigDecimal epoch(Instant t) {
        return BigDecimal.valueOf(t.toEpochMilli()).movePointLeft(3);
    }
}
