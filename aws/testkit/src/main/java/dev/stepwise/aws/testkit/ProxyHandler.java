package dev.stepwise.aws.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The proxy's one handler: identify the operation, count it, inject faults, fill in or forward. */
final class ProxyHandler implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(ProxyHandler.class);

    private final Forwarder forwarder;
    private final RequestLog requests;
    private final FaultPlan faults;
    private final SsmFillIn ssm;
    private final Ec2FillIn ec2;

    public ProxyHandler(Forwarder forwarder, ScenarioState state, RequestLog requests, FaultPlan faults) {
        this.forwarder = forwarder;
        this.requests = requests;
        this.faults = faults;
        this.ssm = new SsmFillIn(state, requests);
        state.upstream = forwarder.upstream();
        this.ec2 = new Ec2FillIn(state, forwarder);
    }

    /** An AWS operation: its name, whether it came as JSON ({@code X-Amz-Target}) and its service prefix. */
    record Operation(String name, boolean json, String targetPrefix, Map<String, String> form) {
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            URI uri = exchange.getRequestURI();
            String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            Map<String, List<String>> headers = new LinkedHashMap<>(exchange.getRequestHeaders());
            Wire.Request request = new Wire.Request(exchange.getRequestMethod(), pathAndQuery, headers, body);
            Wire.Response response;
            try {
                response = route(request);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                response = Wire.Response.dropped();
            } catch (IOException | RuntimeException e) {
                log.warn("proxy could not answer {} {}: {}", request.method(), uri.getRawPath(), e.toString());
                response = new Wire.Response(502, Map.of("Content-Type", List.of("text/plain")),
                        ("fill-in proxy: " + e).getBytes(StandardCharsets.UTF_8), false);
            }
            write(exchange, request, response);
        }
    }

    private Wire.Response route(Wire.Request request) throws IOException, InterruptedException {
        if (request.pathAndQuery().startsWith("/moto-api")) {
            return forwarder.forward(request);
        }
        if (CloudWatchFillIn.handles(request)) {
            requests.record(CloudWatchFillIn.operation(request));
            return CloudWatchFillIn.forward(request, forwarder);
        }
        Optional<Operation> op = identify(request);
        if (op.isEmpty()) {
            return forwarder.forward(request);
        }
        Operation operation = op.get();
        requests.record(operation.name());
        FaultPlan.Decision decision = faults.decide(operation.name());
        if (!decision.latency().isZero()) {
            Thread.sleep(decision.latency().toMillis());
        }
        if (decision.error().isPresent()) {
            log.debug("injecting {} into {}", decision.error().get(), operation.name());
            return fault(decision.error().get(), operation);
        }
        if (operation.json() && "AmazonSSM".equals(operation.targetPrefix())) {
            Optional<Wire.Response> filled = ssm.handle(operation.name(), request.body());
            if (filled.isPresent()) {
                return filled.get();
            }
        }
        if (!operation.json()) {
            Optional<Wire.Response> filled = ec2.handle(operation.name(), operation.form(), request);
            if (filled.isPresent()) {
                return filled.get();
            }
            return ec2.afterForward(operation.name(), operation.form(), forwarder.forward(request));
        }
        return forwarder.forward(request);
    }

    static Optional<Operation> identify(Wire.Request request) {
        String target = request.header("X-Amz-Target");
        if (target != null && target.contains(".")) {
            int dot = target.lastIndexOf('.');
            return Optional.of(new Operation(target.substring(dot + 1), true, target.substring(0, dot), Map.of()));
        }
        String contentType = Optional.ofNullable(request.header("Content-Type")).orElse("");
        Map<String, String> form = contentType.startsWith("application/x-www-form-urlencoded")
                ? Wire.form(request.bodyText()) : new LinkedHashMap<>();
        int q = request.pathAndQuery().indexOf('?');
        if (q >= 0) {
            Wire.form(request.pathAndQuery().substring(q + 1)).forEach(form::putIfAbsent);
        }
        String action = form.get("Action");
        return action == null || action.isEmpty()
                ? Optional.empty() : Optional.of(new Operation(action, false, "", form));
    }

    private static Wire.Response fault(FaultPlan.Kind kind, Operation op) {
        return switch (kind) {
            case THROTTLE -> op.json()
                    ? Wire.jsonError(400, "ThrottlingException", "Rate exceeded")
                    : Wire.xmlError(503, "RequestLimitExceeded", "Request limit exceeded.");
            case HTTP_500 -> op.json()
                    ? Wire.jsonError(500, "InternalServerError", "An error occurred (injected by the fill-in proxy)")
                    : Wire.xmlError(500, "InternalError", "An internal error has occurred (injected by the fill-in proxy)");
            case HTTP_503 -> op.json()
                    ? Wire.jsonError(503, "ServiceUnavailable", "Service is unavailable (injected by the fill-in proxy)")
                    : Wire.xmlError(503, "Unavailable", "The server is overloaded (injected by the fill-in proxy)");
            case DROP_CONNECTION -> Wire.Response.dropped();
            case LATENCY -> throw new IllegalStateException("latency is not an error fault");
        };
    }

    private static void write(HttpExchange exchange, Wire.Request request, Wire.Response response) throws IOException {
        if (response.drop()) {
            // Closing an exchange whose headers were never sent closes the TCP connection: the client sees
            // the connection drop without an answer.
            return;
        }
        response.headers().forEach((name, values) -> exchange.getResponseHeaders().put(name, values));
        boolean noBody = response.body().length == 0 || request.method().equals("HEAD")
                || response.status() == 204 || response.status() == 304;
        exchange.sendResponseHeaders(response.status(), noBody ? -1 : response.body().length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        }
    }
}
