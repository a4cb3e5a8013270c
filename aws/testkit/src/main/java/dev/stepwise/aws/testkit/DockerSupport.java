package dev.stepwise.aws.testkit;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Docker path, guarded so that a classpath without Testcontainers only loses that path:
 * {@link DockerMoto}, which names Testcontainers' types, is loaded only after the class check.
 */
final class DockerSupport {

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
        if (!dockerHinted()) {
            // Spares users Testcontainers' loud failure report on machines that have no Docker at all.
            log.debug("no DOCKER_HOST, Docker socket, ~/.docker or ~/.testcontainers.properties: the Docker path is skipped");
            return false;
        }
        try {
            return DockerMoto.dockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            log.debug("Docker probe failed: {}", e.toString());
            return false;
        }
    }

    /** Whether anything suggests a Docker daemon; on Windows Testcontainers is always asked. */
    static boolean dockerHinted() {
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win")) {
            return true;
        }
        String dockerHost = System.getenv("DOCKER_HOST");
        if (dockerHost != null && !dockerHost.isBlank()) {
            return true;
        }
        Path home = Path.of(System.getProperty("user.home"));
        String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
        List<Path> hints = new java.util.ArrayList<>(List.of(Path.of("/var/run/docker.sock"), home.resolve(".docker"),
                home.resolve(".testcontainers.properties"), home.resolve(".colima"), home.resolve(".rd")));
        if (runtimeDir != null && !runtimeDir.isBlank()) {
            hints.add(Path.of(runtimeDir, "docker.sock"));
        }
        return hints.stream().anyMatch(Files::exists);
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
