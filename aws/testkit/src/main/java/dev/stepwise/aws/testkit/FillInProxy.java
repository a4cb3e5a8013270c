package dev.stepwise.aws.testkit;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback HTTP server between the AWS SDK and Moto that forwards every request unchanged, except the
 * operations it fills in from its {@link Scenario}, and that injects {@link Faults} and keeps
 * {@link RequestCounts}.
 *
 * <p>Point an SDK client at {@link #endpoint()} with any credentials and a region; nothing else changes.
 * SSM requests are recognised by {@code X-Amz-Target: AmazonSSM.<Operation>} (JSON 1.1), EC2 requests by
 * their {@code Action} field (query/XML). Forwarded requests keep their method, path, query, headers
 * (except hop-by-hop headers, {@code Host}, {@code Content-Length}, {@code Expect} and {@code Date}) and body
 * byte for byte; Moto's answer comes back the same way. Which operations are filled in is described on
 * {@link Scenario}.
 *
 * <p>Defaults: a free loopback port, the system UTC clock. Thread-safe: the proxy answers requests
 * concurrently; scenario, faults and counts may be changed while it runs. Close it to free the port.
 *
 * <pre>{@code
 * try (FillInProxy proxy = FillInProxy.start(MotoServer.shared())) {
 *     proxy.scenario().managedInstance("i-0123456789abcdef0", "Windows");
 *     SsmClient ssm = SsmClient.builder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1).
 *         credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))).
 *         build();
 *     ssm.describeInstanceInformation();
 *     assert proxy.counts().count("DescribeInstanceInformation") == 1;
 * }
 * }</pre>
 */
public final class FillInProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FillInProxy.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final HttpServer server;
    private final ExecutorService executor;
    private final URI endpoint;
    private final URI upstream;
    private final ScenarioState state;
    private final RequestLog requests;
    private final FaultPlan faultPlan;
    private final Scenario scenario;
    private final Faults faults;
    private final RequestCounts counts;

    private FillInProxy(URI upstream, Clock clock) throws IOException {
        this.upstream = upstream;
        this.state = new ScenarioState(clock);
        this.requests = new RequestLog();
        this.faultPlan = new FaultPlan();
        this.scenario = new Scenario(state);
        this.faults = new Faults(faultPlan);
        this.counts = new RequestCounts(requests);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "stepwise-fill-in-proxy-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.createContext("/", new ProxyHandler(new Forwarder(upstream), state, requests, faultPlan));
        server.setExecutor(executor);
        server.start();
        this.endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * Starts a proxy in front of a server.
     *
     * @param upstream the server's endpoint, such as {@code http://127.0.0.1:5000}
     * @return the running proxy
     * @throws UncheckedIOException if no loopback port can be bound
     */
    public static FillInProxy start(URI upstream) {
        return start(upstream, Clock.systemUTC());
    }

    /**
     * Starts a proxy in front of a server, with a clock for the timestamps it reports.
     *
     * @param upstream the server's endpoint
     * @param clock    the clock for {@code RequestedDateTime}, patch operation times and the like
     * @return the running proxy
     */
    public static FillInProxy start(URI upstream, Clock clock) {
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(clock, "clock");
        if (!"http".equals(upstream.getScheme()) || upstream.getHost() == null) {
            throw new IllegalArgumentException("upstream \"" + upstream + "\" is not an http://host:port URI");
        }
        try {
            FillInProxy proxy = new FillInProxy(upstream, clock);
            log.info("fill-in proxy listening on {} in front of {}", proxy.endpoint, upstream);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a loopback port for the fill-in proxy", e);
        }
    }

    /**
     * @param moto the Moto server
     * @return a running proxy in front of it
     */
    public static FillInProxy start(MotoServer moto) {
        return start(moto.endpoint());
    }

    /** @return the endpoint to give the SDK's {@code endpointOverride} */
    public URI endpoint() {
        return endpoint;
    }

    /** @return the server requests are forwarded to */
    public URI upstream() {
        return upstream;
    }

    /** @return the model the filled-in operations answer from */
    public Scenario scenario() {
        return scenario;
    }

    /** @return the faults to inject */
    public Faults faults() {
        return faults;
    }

    /** @return the requests received so far */
    public RequestCounts counts() {
        return counts;
    }

    /** Clears the scenario, the faults and the counts; the upstream's state is not touched. */
    public void reset() {
        faultPlan.clear();
        state.clear();
        requests.clear();
    }

    /** Stops listening; requests in flight are cut off. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        log.info("fill-in proxy on {} closed", endpoint);
    }

    @Override
    public String toString() {
        return "FillInProxy[" + endpoint + " -> " + upstream + "]";
    }
}
