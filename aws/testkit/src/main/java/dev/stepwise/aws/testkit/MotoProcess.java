package dev.stepwise.aws.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A {@code moto_server} child process on a free loopback port, stopped on close or when the JVM exits. */
final class MotoProcess {

    private static final Logger log = LoggerFactory.getLogger(MotoProcess.class);

    /** Starting failed; the message says why, including the end of Moto's log. */
    public static final class StartException extends Exception {
        private static final long serialVersionUID = 1L;

        public StartException(String message) {
            super(message);
        }
    }

    private final Process process;
    private final URI endpoint;
    private final Path logFile;
    private final Thread hook;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private MotoProcess(Process process, URI endpoint, Path logFile) {
        this.process = process;
        this.endpoint = endpoint;
        this.logFile = logFile;
        this.hook = new Thread(this::destroy, "stepwise-moto-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    public URI endpoint() {
        return endpoint;
    }

    public Path logFile() {
        return logFile;
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Starts the executable with {@code -H 127.0.0.1 -p <port>} and waits for {@code GET /moto-api/};
     * tries a second port if the first was taken in between.
     */
    public static MotoProcess start(Path executable, Path logDirectory, Duration timeout) throws StartException {
        Path logFile;
        try {
            Files.createDirectories(logDirectory);
            logFile = Files.createTempFile(logDirectory, "moto-", ".log");
        } catch (IOException e) {
            throw new StartException("cannot create a log file in " + logDirectory + ": " + e);
        }
        String lastProblem = "";
        for (int attempt = 1; attempt <= 2; attempt++) {
            int port = freePort();
            ProcessBuilder pb = new ProcessBuilder(executable.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new StartException("cannot run " + executable + ": " + e.getMessage());
            }
            MotoProcess moto = new MotoProcess(p, URI.create("http://127.0.0.1:" + port), logFile);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (MotoHttp.healthProblem(moto.endpoint) == null) {
                    log.info("Moto started from {} on {} (pid {}, log {})", executable, moto.endpoint, p.pid(), logFile);
                    return moto;
                }
                if (!p.isAlive()) {
                    break;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    moto.close();
                    throw new StartException("interrupted while waiting for Moto on " + moto.endpoint);
                }
            }
            boolean died = !p.isAlive();
            moto.close();
            lastProblem = died
                    ? "exited with code " + p.exitValue() + " before answering; end of " + logFile + ":\n" + tail(logFile)
                    : "did not answer GET /moto-api/ on " + moto.endpoint + " within " + timeout.toSeconds()
                            + " s; end of " + logFile + ":\n" + tail(logFile);
            if (!died) {
                break;
            }
            log.debug("Moto attempt {} on port {} failed: {}", attempt, port, lastProblem);
        }
        throw new StartException(lastProblem);
    }

    /** Stops the process (and any children): destroy, wait up to 5 s, then destroy forcibly. */
    public void close() {
        destroy();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down and runs the hook itself.
        }
    }

    private void destroy() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
