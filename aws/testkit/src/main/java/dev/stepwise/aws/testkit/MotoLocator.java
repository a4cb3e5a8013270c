package dev.stepwise.aws.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds or starts a Moto server, trying the four ways in order and remembering why each failed. */
final class MotoLocator {

    private static final Logger log = LoggerFactory.getLogger(MotoLocator.class);

    /** A server found: where, how, and how to stop it (a no-op for servers the testkit did not start). */
    public record Located(URI endpoint, MotoSource source, Runnable stop) {
    }

    private MotoLocator() {
    }

    public static Located locate(MotoDiscovery d) {
        List<String> tried = new ArrayList<>();

        String configured = d.getenv(MotoDiscovery.MOTO_ENDPOINT);
        if (configured != null && !configured.isBlank()) {
            URI uri = parseEndpoint(configured.trim());
            String problem = MotoHttp.healthProblem(uri);
            if (problem != null) {
                throw new MotoUnavailableException(MotoDiscovery.MOTO_ENDPOINT + " \"" + shown(uri)
                        + "\" does not answer as Moto (" + problem + "). Start Moto there, or unset "
                        + MotoDiscovery.MOTO_ENDPOINT + " to let the testkit find or start one.");
            }
            log.info("using Moto at {} from {}", shown(uri), MotoDiscovery.MOTO_ENDPOINT);
            return new Located(uri, MotoSource.ENVIRONMENT, () -> { });
        }
        tried.add("1. " + MotoSource.ENVIRONMENT.description() + ": not set");

        String dockerWhy;
        boolean docker;
        try {
            docker = d.dockerAvailable();
            dockerWhy = DockerSupport.testcontainersPresent() ? "no Docker daemon answered"
                    : "no Docker daemon answered (Testcontainers is not on the classpath)";
        } catch (RuntimeException e) {
            docker = false;
            dockerWhy = "the Docker probe failed: " + e.getMessage();
        }
        if (docker) {
            try {
                DockerSupport.Started s = DockerSupport.start(d.dockerImage(), d.startupTimeout());
                log.info("Moto started in Docker ({}) on {}", d.dockerImage(), s.endpoint());
                return new Located(s.endpoint(), MotoSource.TESTCONTAINERS, s.stop());
            } catch (RuntimeException | LinkageError e) {
                dockerWhy = "starting " + d.dockerImage() + " failed: " + e.getMessage();
            }
        }
        tried.add("2. " + MotoSource.TESTCONTAINERS.description() + " (" + d.dockerImage() + "): " + dockerWhy);

        Optional<Path> executable = d.findExecutable("moto_server");
        if (executable.isPresent()) {
            try {
                MotoProcess p = MotoProcess.start(executable.get(), d.logDirectory(), d.startupTimeout());
                return new Located(p.endpoint(), MotoSource.EXECUTABLE, p::close);
            } catch (MotoProcess.StartException e) {
                tried.add("3. " + MotoSource.EXECUTABLE.description() + " (" + executable.get() + "): " + e.getMessage());
            }
        } else {
            tried.add("3. " + MotoSource.EXECUTABLE.description() + ": not found");
        }

        Optional<Path> python = d.findExecutable("python3");
        Path venv = d.cacheDirectory().resolve("moto-" + d.motoVersion());
        if (python.isPresent()) {
            try {
                Path server = installVirtualEnv(python.get(), venv, d);
                MotoProcess p = MotoProcess.start(server, d.logDirectory(), d.startupTimeout());
                return new Located(p.endpoint(), MotoSource.VIRTUALENV, p::close);
            } catch (MotoProcess.StartException e) {
                tried.add("4. " + MotoSource.VIRTUALENV.description() + " (" + venv + "): " + e.getMessage());
            }
        } else {
            tried.add("4. " + MotoSource.VIRTUALENV.description() + " (" + venv + "): python3 not found on PATH");
        }

        throw new MotoUnavailableException("No Moto server for the tests. Tried, in order:\n  "
                + String.join("\n  ", tried) + "\nFix one of them: set " + MotoDiscovery.MOTO_ENDPOINT
                + "=http://host:port to a running Moto; start a Docker daemon; put moto_server on PATH"
                + " (pip install 'moto[server]==" + d.motoVersion() + "'); or install python3 so that the testkit"
                + " installs moto[server]==" + d.motoVersion() + " into " + venv + " once.");
    }

    /**
     * An endpoint as it may be shown: as given unless it carries user info, a query or a fragment, which may hold a
     * secret; then only its scheme, host and port.
     */
    public static String shown(URI uri) {
        if (uri.getRawUserInfo() == null && uri.getRawQuery() == null && uri.getRawFragment() == null
                && (uri.getRawAuthority() == null || !uri.getRawAuthority().contains("@"))) {
            return uri.toString();
        }
        return uri.getHost() == null ? shown(uri.toString()) : uri.getScheme() + "://"
                + (uri.getRawUserInfo() == null ? "" : "…@") + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + "/…";
    }

    /** Text given as an endpoint, shown as {@link #shown(URI)} does; only its scheme when it carries '@', '?' or '#'. */
    static String shown(String value) {
        if (!value.matches(".*[@?#].*")) {
            return value;
        }
        int end = value.indexOf("://");
        String scheme = end < 0 ? "" : value.substring(0, end);
        return (scheme.matches("[A-Za-z][A-Za-z0-9+.-]*") ? scheme + "://" : "") + "…";
    }

    /** Refuses, without echoing it, a value with user info, a query or a fragment: any of them may hold a secret. */
    static URI parseEndpoint(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            // the parser's own message quotes the whole value
            throw new MotoUnavailableException(MotoDiscovery.MOTO_ENDPOINT + " \"" + shown(value)
                    + "\" is not a URI: " + e.getReason() + " at index " + e.getIndex());
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new MotoUnavailableException(MotoDiscovery.MOTO_ENDPOINT + " \"" + shown(value)
                    + "\" does not match http(s)://host[:port]");
        }
        return uri;
    }

    /** Creates the virtual environment and installs Moto once; a file lock keeps two JVMs from racing. */
    static Path installVirtualEnv(Path python, Path venv, MotoDiscovery d) throws MotoProcess.StartException {
        boolean windows = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win");
        Path bin = venv.resolve(windows ? "Scripts" : "bin");
        Path server = bin.resolve(windows ? "moto_server.exe" : "moto_server");
        Path venvPython = bin.resolve(windows ? "python.exe" : "python");
        Path marker = venv.resolve(".stepwise-installed");
        try {
            Files.createDirectories(d.cacheDirectory());
            Files.createDirectories(d.logDirectory());
            Path installLog = d.logDirectory().resolve("moto-venv-install.log");
            try (FileChannel ch = FileChannel.open(d.cacheDirectory().resolve("moto-" + d.motoVersion() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = ch.lock();
                try {
                    if (Files.exists(marker) && Files.isExecutable(server)) {
                        log.debug("virtual environment {} already holds moto {}", venv, d.motoVersion());
                        return server;
                    }
                    log.info("installing moto[server]=={} into {} (once; log {})", d.motoVersion(), venv, installLog);
                    run(List.of(python.toString(), "-m", "venv", venv.toString()), installLog, d);
                    run(List.of(venvPython.toString(), "-m", "pip", "install", "--disable-pip-version-check",
                            "moto[server]==" + d.motoVersion()), installLog, d);
                    if (!Files.isExecutable(server)) {
                        throw new MotoProcess.StartException("pip finished but " + server + " does not exist; see " + installLog);
                    }
                    Files.writeString(marker, d.motoVersion() + "\n", StandardCharsets.UTF_8);
                    return server;
                } finally {
                    lock.release();
                }
            }
        } catch (IOException e) {
            throw new MotoProcess.StartException("cannot prepare " + venv + ": " + e);
        }
    }

    private static void run(List<String> command, Path logFile, MotoDiscovery d)
            throws IOException, MotoProcess.StartException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        try {
            if (!p.waitFor(d.installTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new MotoProcess.StartException("\"" + String.join(" ", command) + "\" did not finish within "
                        + d.installTimeout().toMinutes() + " min; see " + logFile);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new MotoProcess.StartException("interrupted while running " + command.get(0));
        }
        if (p.exitValue() != 0) {
            throw new MotoProcess.StartException("\"" + String.join(" ", command) + "\" failed with exit code "
                    + p.exitValue() + "; end of " + logFile + ":\n" + MotoProcess.tail(logFile));
        }
    }
}
