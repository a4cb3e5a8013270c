package dev.stepwise.aws.testkit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Answers EC2's {@code EnaSupport} attribute operations, which Moto gets wrong, and keeps
 * {@code DescribeInstances} consistent with them.
 */
final class Ec2FillIn {

    private static final Logger log = LoggerFactory.getLogger(Ec2FillIn.class);

    private final ScenarioState state;
    private final Forwarder forwarder;

    public Ec2FillIn(ScenarioState state, Forwarder forwarder) {
        this.state = state;
        this.forwarder = forwarder;
    }

    /** What Moto knows of one instance. */
    record MotoInstance(String state, Optional<Boolean> enaSupport) {
    }

    /** @return the answer, or empty to forward the request to Moto */
    public Optional<Wire.Response> handle(String operation, Map<String, String> form, Wire.Request request)
            throws IOException, InterruptedException {
        if (operation.equals("ModifyInstanceAttribute") && form.containsKey("EnaSupport.Value")) {
            return Optional.of(modifyEna(form, request));
        }
        if (operation.equals("DescribeInstanceAttribute") && "enaSupport".equals(form.get("Attribute"))) {
            return Optional.of(describeEna(form, request));
        }
        return Optional.empty();
    }

    /** Adjusts a forwarded answer so that it agrees with what the proxy filled in. */
    public Wire.Response afterForward(String operation, Map<String, String> form, Wire.Response response) {
        if (response.status() != 200) {
            return response;
        }
        if (operation.equals("RebootInstances")) {
            synchronized (state) {
                form.forEach((k, v) -> {
                    if (k.startsWith("InstanceId.")) {
                        state.rebootedSinceInstall.add(v);
                    }
                });
            }
            return response;
        }
        if (operation.equals("DescribeInstances")) {
            Map<String, Boolean> ena;
            synchronized (state) {
                ena = Map.copyOf(state.ena);
            }
            if (!ena.isEmpty() && !response.headers().containsKey("Content-Encoding")) {
                return rewriteEna(response, ena);
            }
        }
        return response;
    }

    private Wire.Response modifyEna(Map<String, String> form, Wire.Request request)
            throws IOException, InterruptedException {
        String instanceId = form.getOrDefault("InstanceId", "");
        String raw = form.get("EnaSupport.Value");
        if (!raw.equals("true") && !raw.equals("false")) {
            return Wire.xmlError(400, "InvalidParameterValue",
                    "Value (" + raw + ") for parameter enaSupport is invalid. Expected true or false.");
        }
        Object moto = lookup(instanceId, request);
        if (moto instanceof Wire.Response error) {
            return error;
        }
        MotoInstance instance = (MotoInstance) moto;
        if (!instance.state().equals("stopped")) {
            return Wire.xmlError(400, "IncorrectInstanceState",
                    "The instance '" + instanceId + "' is not in the 'stopped' state.");
        }
        synchronized (state) {
            state.ena.put(instanceId, Boolean.parseBoolean(raw));
        }
        log.info("ModifyInstanceAttribute EnaSupport={} on {} filled in", raw, instanceId);
        return Wire.xml(200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ModifyInstanceAttributeResponse xmlns=\""
                + Wire.EC2_NS + "\"><requestId>" + UUID.randomUUID() + "</requestId><return>true</return>"
                + "</ModifyInstanceAttributeResponse>");
    }

    private Wire.Response describeEna(Map<String, String> form, Wire.Request request)
            throws IOException, InterruptedException {
        String instanceId = form.getOrDefault("InstanceId", "");
        Object moto = lookup(instanceId, request);
        if (moto instanceof Wire.Response error) {
            return error;
        }
        boolean value;
        synchronized (state) {
            value = Optional.ofNullable(state.ena.get(instanceId))
                    .or(() -> ((MotoInstance) moto).enaSupport()).orElse(false);
        }
        return Wire.xml(200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeInstanceAttributeResponse xmlns=\""
                + Wire.EC2_NS + "\"><requestId>" + UUID.randomUUID() + "</requestId><instanceId>"
                + Wire.escape(instanceId) + "</instanceId><enaSupport><value>" + value
                + "</value></enaSupport></DescribeInstanceAttributeResponse>");
    }

    /**
     * Asks Moto about one instance with the caller's own headers (Moto reads the region from them).
     *
     * @return a {@link MotoInstance}, or Moto's error answer to relay
     */
    private Object lookup(String instanceId, Wire.Request original) throws IOException, InterruptedException {
        String body = "Action=DescribeInstances&Version=2016-11-15&InstanceId.1="
                + URLEncoder.encode(instanceId, StandardCharsets.UTF_8);
        Wire.Request query = new Wire.Request("POST", "/", original.headers(), body.getBytes(StandardCharsets.UTF_8));
        Wire.Response answer = forwarder.forward(query);
        if (answer.status() != 200) {
            return answer;
        }
        Document doc = parse(answer.body());
        for (Element item : instanceItems(doc)) {
            if (instanceId.equals(childText(item, "instanceId"))) {
                Element st = child(item, "instanceState");
                String name = st == null ? "" : childText(st, "name");
                String ena = childText(item, "enaSupport");
                return new MotoInstance(name, ena == null ? Optional.empty() : Optional.of(Boolean.parseBoolean(ena)));
            }
        }
        return Wire.xmlError(400, "InvalidInstanceID.NotFound", "The instance ID '" + instanceId + "' does not exist");
    }

    private Wire.Response rewriteEna(Wire.Response response, Map<String, Boolean> ena) {
        Document doc = parse(response.body());
        boolean changed = false;
        for (Element item : instanceItems(doc)) {
            Boolean value = ena.get(childText(item, "instanceId"));
            if (value == null) {
                continue;
            }
            Element e = child(item, "enaSupport");
            if (e == null) {
                e = doc.createElementNS(item.getNamespaceURI(), "enaSupport");
                item.appendChild(e);
            }
            e.setTextContent(value.toString());
            changed = true;
        }
        if (!changed) {
            return response;
        }
        Map<String, List<String>> headers = new LinkedHashMap<>(response.headers());
        return new Wire.Response(response.status(), headers, serialize(doc), false);
    }

    /** The {@code item} elements of {@code instancesSet}: one per instance. */
    private static List<Element> instanceItems(Document doc) {
        List<Element> out = new ArrayList<>();
        NodeList sets = doc.getElementsByTagNameNS("*", "instancesSet");
        for (int i = 0; i < sets.getLength(); i++) {
            for (Node n = sets.item(i).getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && "item".equals(e.getLocalName())) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    private static String childText(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().trim();
    }

    private static Document parse(byte[] xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder b = f.newDocumentBuilder();
            return b.parse(new ByteArrayInputStream(xml));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalStateException("Moto's EC2 answer is not XML: " + e.getMessage(), e);
        }
    }

    private static byte[] serialize(Document doc) {
        try {
            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            t.transform(new DOMSource(doc), new StreamResult(out));
            return out.toByteArray();
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot write EC2 XML: " + e.getMessage(), e);
        }
    }
}
