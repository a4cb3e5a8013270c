package dev.stepwise.aws.testkit.internal;

import java.net.URI;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Docker path, guarded so that a classpath without Testcontainers only loses that path:
 * {@link DockerMoto}, which names Testcontainers' types, is loaded only after the class check.
 */
public final class DockerSupport {

    private static final Logger log = LoggerFactory.getLogger(DockerSupport.class);
    static final String PROBE_CLASS = "org.testcontainers.DockerClientFactory";

    private DockerSupport() {
    }

    public static boolean testcontainersPresent() {
        try {
            Class.forName(PROBE_CLASS, false, DockerSupport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** @return whether Testcontainers is present and a Docker daemon answers */
    public static boolean dockerAvailable() {
        if (!testcontainersPresent()) {
            log.debug("Testcontainers is not on the classpath: the Docker path is skipped");
            return false;
        }
        try {
            return DockerMoto.dockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            log.debug("Docker probe failed: {}", e.toString());
            return false;
        }
    }

    /** A started container: its endpoint and how to stop it. */
    public record Started(URI endpoint, Runnable stop) {
    }

    public static Started start(String image, Duration timeout) {
        if (!testcontainersPresent()) {
            throw new IllegalStateException("Testcontainers is not on the classpath");
        }
        return DockerMoto.start(image, timeout);
    }
}
