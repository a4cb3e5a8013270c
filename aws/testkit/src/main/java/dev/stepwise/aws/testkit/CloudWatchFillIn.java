package dev.stepwise.aws.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * CloudWatch through Moto for the unmodified AWS SDK: the SDK (2.57) speaks the Smithy RPC v2 CBOR protocol to
 * CloudWatch ({@code POST /service/GraniteServiceVersion20100801/operation/<Operation>}, CBOR bodies), which Moto
 * 5.2.1 does not serve (its CloudWatch answers the Query protocol only: {@code moto/cloudwatch/urls.py}). This
 * translates the request to Query ({@code Action=<Operation>&Version=2010-08-01}, lists as {@code Name.member.N}),
 * lets Moto do the work, and translates its XML answer back to CBOR. Only what alarms need is translated back:
 * {@code DescribeAlarms}' {@code MetricAlarms[{AlarmName, AlarmArn, StateValue, StateReason}]} and {@code NextToken};
 * other operations answer an empty structure; Query errors become RPC v2 errors ({@code __type}, {@code message}).
 * Stateless.
 */
final class CloudWatchFillIn {
    static final String PREFIX = "/service/GraniteServiceVersion20100801/operation/";
    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());

    private CloudWatchFillIn() {
    }

    static boolean handles(Wire.Request request) {
        return request.pathAndQuery().startsWith(PREFIX);
    }

    static String operation(Wire.Request request) {
        String op = request.pathAndQuery().substring(PREFIX.length());
        int q = op.indexOf('?');
        return q < 0 ? op : op.substring(0, q);
    }

    static Wire.Response forward(Wire.Request request, Forwarder forwarder) throws IOException, InterruptedException {
        String op = operation(request);
        JsonNode in = request.body().length == 0 ? CBOR.createObjectNode() : CBOR.readTree(request.body());
        Map<String, String> form = new LinkedHashMap<>();
        form.put("Action", op);
        form.put("Version", "2010-08-01");
        flatten("", in, form);
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String auth = request.header("Authorization");
        if (auth != null) {
            // Moto picks the service from the credential scope ("monitoring") and does not check the signature
            headers.put("Authorization", List.of(auth));
        }
        headers.put("Content-Type", List.of("application/x-www-form-urlencoded; charset=utf-8"));
        Wire.Response moto = forwarder.forward(new Wire.Request("POST", "/", headers,
                body.toString().getBytes(StandardCharsets.UTF_8)));
        Document xml = parse(moto.body());
        Map<String, List<String>> out = new LinkedHashMap<>();
        out.put("Content-Type", List.of("application/cbor"));
        out.put("smithy-protocol", List.of("rpc-v2-cbor"));
        if (moto.status() >= 300) {
            ObjectNode err = CBOR.createObjectNode();
            err.put("__type", xml == null ? "InternalFailure" : text(xml.getDocumentElement(), "Code"));
            err.put("message", xml == null ? moto.bodyText() : text(xml.getDocumentElement(), "Message"));
            return new Wire.Response(moto.status(), out, CBOR.writeValueAsBytes(err), false);
        }
        ObjectNode result = CBOR.createObjectNode();
        if (op.equals("DescribeAlarms") && xml != null) {
            ArrayNode alarms = result.putArray("MetricAlarms");
            Element metric = first(xml.getDocumentElement(), "MetricAlarms");
            if (metric != null) {
                for (Node n = metric.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (n instanceof Element member && member.getTagName().equals("member")) {
                        ObjectNode a = alarms.addObject();
                        for (String f : List.of("AlarmName", "AlarmArn", "StateValue", "StateReason")) {
                            String v = text(member, f);
                            if (!v.isEmpty()) {
                                a.put(f, v);
                            }
                        }
                    }
                }
            }
            result.putArray("CompositeAlarms");
            String token = text(xml.getDocumentElement(), "NextToken");
            if (!token.isEmpty()) {
                result.put("NextToken", token);
            }
        }
        return new Wire.Response(200, out, CBOR.writeValueAsBytes(result), false);
    }

    /** Query encoding: structures as {@code A.B}, lists as {@code A.member.N} (1-based). */
    private static void flatten(String prefix, JsonNode node, Map<String, String> form) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), form);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(prefix + ".member." + (i + 1), node.get(i), form);
            }
        } else if (!node.isNull()) {
            form.put(prefix, node.isFloatingPointNumber() ? node.decimalValue().toPlainString() : node.asText());
        }
    }

    private static Document parse(byte[] body) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(body));
        } catch (Exception e) {
            return null;
        }
    }

    private static Element first(Element root, String tag) {
        var list = root.getElementsByTagName(tag);
        return list.getLength() == 0 ? null : (Element) list.item(0);
    }

    /** The text of {@code tag} directly under {@code parent}, or of its first descendant of that name; else empty. */
    private static String text(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e.getTextContent().strip();
            }
        }
        Element e = first(parent, tag);
        return e == null ? "" : e.getTextContent().strip();
    }
}
