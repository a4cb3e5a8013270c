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
 * {@code DescribeInstances} consistent with them; supplies what Moto lacks for the drivers runbook: snapshot tags on
 * {@code CreateImage}, Marketplace product codes, and an SSM agent that comes online after a scripted start.
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
        if (operation.equals("CreateImage") && tagSpecIndexes(form, "snapshot").size() > 0) {
            return Optional.of(createImageWithSnapshotTags(form, request));
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
        if (operation.equals("StartInstances")) {
            comeOnline(form);
            return response;
        }
        if (operation.equals("DescribeInstances")) {
            Map<String, Boolean> ena;
            Map<String, List<String>> codes;
            synchronized (state) {
                ena = Map.copyOf(state.ena);
                codes = Map.copyOf(state.marketplaceCodes);
            }
            if (!ena.isEmpty() && !response.headers().containsKey("Content-Encoding")) {
                response = rewriteEna(response, ena);
            }
            if (!codes.isEmpty() && !response.headers().containsKey("Content-Encoding")) {
                response = addProductCodes(response, codes);
            }
        }
        return response;
    }

    // ---- drivers runbook: snapshot tags, Marketplace product codes, SSM agent after a start ----

    /** The indexes N of {@code TagSpecification.N} whose ResourceType is {@code type}. */
    private static List<Integer> tagSpecIndexes(Map<String, String> form, String type) {
        List<Integer> out = new ArrayList<>();
        for (int n = 1; form.containsKey("TagSpecification." + n + ".ResourceType"); n++) {
            if (type.equals(form.get("TagSpecification." + n + ".ResourceType"))) {
                out.add(n);
            }
        }
        return out;
    }

    /**
     * CreateImage with snapshot {@code TagSpecifications}: Moto raises NotImplementedError for them
     * (reference moto.md and aws-patching-and-drivers.md section 3; getmoto/moto {@code moto/ec2/models/amis.py}),
     * while EC2 puts snapshot tags on every snapshot of the image and tags all-or-nothing (section 3, CreateImage,
     * from [M] and [EC2W] Using_Tags.md). The proxy forwards the request without the snapshot specifications, then
     * tags each snapshot Moto made for the image with CreateTags; if that fails the image is deregistered and the
     * error relayed, so no half-tagged backup survives.
     */
    private Wire.Response createImageWithSnapshotTags(Map<String, String> form, Wire.Request request)
            throws IOException, InterruptedException {
        Map<String, String> snapshotTags = new LinkedHashMap<>();
        Map<String, String> rest = new LinkedHashMap<>();
        List<Integer> snapshotSpecs = tagSpecIndexes(form, "snapshot");
        int next = 1;
        Map<Integer, Integer> renumber = new LinkedHashMap<>();
        for (int n = 1; form.containsKey("TagSpecification." + n + ".ResourceType"); n++) {
            if (!snapshotSpecs.contains(n)) {
                renumber.put(n, next++);
            }
        }
        for (Map.Entry<String, String> e : form.entrySet()) {
            String k = e.getKey();
            if (!k.startsWith("TagSpecification.")) {
                rest.put(k, e.getValue());
                continue;
            }
            String[] parts = k.split("\\.", 3);
            int n = Integer.parseInt(parts[1]);
            if (snapshotSpecs.contains(n)) {
                if (parts[2].startsWith("Tag.") && parts[2].endsWith(".Key")) {
                    String valueKey = k.substring(0, k.length() - ".Key".length()) + ".Value";
                    snapshotTags.put(e.getValue(), form.getOrDefault(valueKey, ""));
                }
            } else {
                rest.put("TagSpecification." + renumber.get(n) + "." + parts[2], e.getValue());
            }
        }
        Wire.Response created = forwarder.forward(post(request, rest));
        if (created.status() != 200) {
            return created;
        }
        String imageId = text(parse(created.body()), "imageId");
        Wire.Response images = forwarder.forward(post(request, Map.of("Action", "DescribeImages",
                "Version", "2016-11-15", "ImageId.1", imageId)));
        List<String> snapshots = new ArrayList<>();
        NodeList ids = parse(images.body()).getElementsByTagNameNS("*", "snapshotId");
        for (int i = 0; i < ids.getLength(); i++) {
            snapshots.add(ids.item(i).getTextContent().trim());
        }
        if (!snapshots.isEmpty() && !snapshotTags.isEmpty()) {
            Map<String, String> tag = new LinkedHashMap<>(Map.of("Action", "CreateTags", "Version", "2016-11-15"));
            for (int i = 0; i < snapshots.size(); i++) {
                tag.put("ResourceId." + (i + 1), snapshots.get(i));
            }
            int t = 1;
            for (Map.Entry<String, String> e : snapshotTags.entrySet()) {
                tag.put("Tag." + t + ".Key", e.getKey());
                tag.put("Tag." + t + ".Value", e.getValue());
                t++;
            }
            Wire.Response tagged = forwarder.forward(post(request, tag));
            if (tagged.status() != 200) {
                forwarder.forward(post(request, Map.of("Action", "DeregisterImage", "Version", "2016-11-15",
                        "ImageId", imageId)));
                return tagged;
            }
        }
        log.info("CreateImage {} with snapshot tags on {} filled in", imageId, snapshots);
        return created;
    }

    /** A form POST with the caller's headers (Moto reads the region from them). */
    private static Wire.Request post(Wire.Request original, Map<String, String> form) {
        StringBuilder b = new StringBuilder();
        form.forEach((k, v) -> b.append(b.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return new Wire.Request("POST", "/", original.headers(), b.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String text(Document doc, String name) {
        NodeList n = doc.getElementsByTagNameNS("*", name);
        return n.getLength() == 0 ? "" : n.item(0).getTextContent().trim();
    }

    /**
     * Marketplace product codes, which Moto never reports: EC2's {@code Instance.ProductCodes} items carry
     * {@code productCode} and {@code type} ({@code devpay}|{@code marketplace}) (botocore {@code ec2} service-2.json
     * {@code ProductCode}); the runbook's EC2Rescue step does not support Marketplace AMIs (reference section 4).
     */
    private Wire.Response addProductCodes(Wire.Response response, Map<String, List<String>> codes) {
        Document doc = parse(response.body());
        boolean changed = false;
        for (Element item : instanceItems(doc)) {
            List<String> mine = codes.get(childText(item, "instanceId"));
            if (mine == null) {
                continue;
            }
            Element set = child(item, "productCodes");
            if (set == null) {
                set = doc.createElementNS(item.getNamespaceURI(), "productCodes");
                item.appendChild(set);
            }
            for (String code : mine) {
                Element it = doc.createElementNS(item.getNamespaceURI(), "item");
                Element id = doc.createElementNS(item.getNamespaceURI(), "productCode");
                id.setTextContent(code);
                Element type = doc.createElementNS(item.getNamespaceURI(), "type");
                type.setTextContent("marketplace");
                it.appendChild(id);
                it.appendChild(type);
                set.appendChild(it);
            }
            changed = true;
        }
        return changed ? new Wire.Response(response.status(), new LinkedHashMap<>(response.headers()), serialize(doc),
                false) : response;
    }

    /**
     * A scripted agent: instances declared with {@link Scenario#onlineAfterStart} report {@code Online} to
     * {@code DescribeInstanceInformation} once started through the proxy (stopped nodes are not listed as online,
     * reference section 2, DescribeInstanceInformation).
     */
    private void comeOnline(Map<String, String> form) {
        synchronized (state) {
            form.forEach((k, v) -> {
                if (k.startsWith("InstanceId.") && state.onlineAfterStart.contains(v)) {
                    ManagedInstance m = state.managed.get(v);
                    state.managed.put(v, m == null ? ManagedInstance.windows(v)
                            : m.withPingStatus(ManagedInstance.PingStatus.ONLINE));
                }
            });
        }
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
