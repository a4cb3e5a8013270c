package dev.stepwise.aws.testkit;

import java.net.URI;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Moto server for tests: found or started by itself, one per JVM through {@link #shared()}.
 *
 * <p>{@link MotoDiscovery} tries, in order: the {@code MOTO_ENDPOINT} environment variable; a
 * {@code motoserver/moto} container through Testcontainers when a Docker daemon answers; a
 * {@code moto_server} executable on {@code PATH}, started on a free loopback port; and, when
 * {@code python3} is on {@code PATH}, a cached virtual environment into which {@code moto[server]} is
 * installed once. If none works, {@link MotoUnavailableException} names all four and how to fix one;
 * tests never skip silently. A child process the testkit started writes its output to a log file
 * (under {@code target/moto} in a Maven build) and is stopped when the JVM exits, also after a failure.
 *
 * <p>Isolation: {@link #reset()} ({@code POST /moto-api/reset}) clears all of Moto's state;
 * {@link MotoExtension} does it before each test, so tests sharing the server must not run in parallel.
 *
 * <p>Thread-safe.
 *
 * <pre>{@code
 * MotoServer moto = MotoServer.shared();
 * Ec2Client ec2 = Ec2Client.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1).
 *     credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))).
 *     build();
 * moto.reset();
 * }</pre>
 */
public final class MotoServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MotoServer.class);

    private static MotoServer shared;
    private static MotoUnavailableException sharedFailure;

    private final URI endpoint;
    private final MotoSource source;
    private final Runnable stop;
    private final boolean isShared;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MotoServer(URI endpoint, MotoSource source, Runnable stop, boolean isShared) {
        this.endpoint = endpoint;
        this.source = source;
        this.stop = stop;
        this.isShared = isShared;
    }

    /**
     * The JVM's one server, found or started with {@link MotoDiscovery#defaults()} on first use and stopped
     * when the JVM exits. A failure is remembered: later calls throw it again without retrying.
     *
     * @return the shared server
     * @throws MotoUnavailableException if no way worked
     */
    public static synchronized MotoServer shared() {
        if (shared != null) {
            return shared;
        }
        if (sharedFailure != null) {
            throw new MotoUnavailableException(sharedFailure.getMessage(), sharedFailure);
        }
        try {
            MotoLocator.Located found = MotoLocator.locate(MotoDiscovery.defaults());
            shared = new MotoServer(found.endpoint(), found.source(), found.stop(), true);
            Runtime.getRuntime().addShutdownHook(new Thread(found.stop(), "stepwise-moto-shared-shutdown"));
            return shared;
        } catch (MotoUnavailableException e) {
            sharedFailure = e;
            throw e;
        }
    }

    /**
     * Finds or starts a server of its own, apart from the shared one; close it when done.
     *
     * @param discovery how to look
     * @return the server
     * @throws MotoUnavailableException if no way worked
     */
    public static MotoServer start(MotoDiscovery discovery) {
        Objects.requireNonNull(discovery, "discovery");
        MotoLocator.Located found = MotoLocator.locate(discovery);
        return new MotoServer(found.endpoint(), found.source(), found.stop(), false);
    }

    /** @return the endpoint for the SDK's {@code endpointOverride}, such as {@code http://127.0.0.1:40123} */
    public URI endpoint() {
        return endpoint;
    }

    /** @return how the server was found */
    public MotoSource source() {
        return source;
    }

    /** Clears all of Moto's state ({@code POST /moto-api/reset}). */
    public void reset() {
        MotoHttp.reset(endpoint);
    }

    /** @return whether {@code GET /moto-api/} answers 200 */
    public boolean isHealthy() {
        return MotoHttp.healthProblem(endpoint) == null;
    }

    /**
     * Stops the server if this object started it. For the {@linkplain #shared() shared} server this does
     * nothing: other tests in the JVM still use it, and it stops when the JVM exits.
     */
    @Override
    public void close() {
        if (isShared) {
            log.debug("close() on the shared Moto server ignored; it stops when the JVM exits");
            return;
        }
        if (closed.compareAndSet(false, true)) {
            stop.run();
        }
    }

    @Override
    public String toString() {
        return "MotoServer[" + MotoLocator.shown(endpoint) + " from " + source.description() + (isShared ? ", shared" : "") + "]";
    }
}
