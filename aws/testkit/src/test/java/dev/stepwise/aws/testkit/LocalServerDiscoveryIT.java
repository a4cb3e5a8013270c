package dev.stepwise.aws.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PATH and virtual-environment ways with stand-ins: a fake {@code moto_server} that serves
 * {@code /moto-api/} with Python's http.server, and a fake {@code python3} that "installs" it. No second
 * Moto process is started and nothing is downloaded.
 */
class LocalServerDiscoveryIT {

    @TempDir
    Path temp;

    private Path fakeMotoServer;
    private Path fakePython;
    private Path pythonCalls;

    private Path executable(Path p, String body) throws IOException {
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @BeforeEach
    void standIns() throws IOException {
        Path realPython = MotoDiscovery.defaults().findExecutable("python3")
                .orElseThrow(() -> new AssertionError("python3 is needed on PATH to serve the stand-in"));
        Path docroot = Files.createDirectories(temp.resolve("docroot/moto-api"));
        Files.writeString(docroot.resolve("index.html"), "moto stand-in");
        Path bin = Files.createDirectories(temp.resolve("bin"));
        fakeMotoServer = executable(bin.resolve("moto_server"), """
                while [ $# -gt 0 ]; do case "$1" in -p) PORT="$2"; shift;; esac; shift; done
                exec "%s" -m http.server "$PORT" --bind 127.0.0.1 --directory "%s"
                """.formatted(realPython, temp.resolve("docroot")));
        Path pythonStub = executable(temp.resolve("venv-python"), """
                [ "$2" = "pip" ] || exit 9
                cp "%s" "$(dirname "$0")/moto_server"
                """.formatted(fakeMotoServer));
        pythonCalls = temp.resolve("python-calls.txt");
        fakePython = executable(bin.resolve("python3"), """
                echo "$*" >> "%s"
                [ "$1" = "-m" ] && [ "$2" = "venv" ] || exit 9
                mkdir -p "$3/bin" && cp "%s" "$3/bin/python"
                """.formatted(pythonCalls, pythonStub));
    }

    private MotoDiscovery.Builder discovery(boolean motoServerOnPath) {
        return MotoDiscovery.builder()
                .environment(name -> null)
                .dockerProbe(() -> false)
                .executableLookup(name -> switch (name) {
                    case "moto_server" -> motoServerOnPath ? Optional.of(fakeMotoServer) : Optional.empty();
                    case "python3" -> Optional.of(fakePython);
                    default -> Optional.empty();
                })
                .cacheDirectory(temp.resolve("cache"))
                .logDirectory(temp.resolve("logs"));
    }

    @Test
    void start_whenMotoServerOnPath_startsItOnLoopbackAndStopsItOnClose() {
        MotoServer server = MotoServer.start(discovery(true).build());

        assertThat(server.source()).isEqualTo(MotoSource.EXECUTABLE);
        assertThat(server.endpoint().getHost()).isEqualTo("127.0.0.1");
        assertThat(server.isHealthy()).isTrue();
        server.close();
        assertThat(server.isHealthy()).isFalse();
        assertThat(pythonCalls).doesNotExist();
    }

    @Test
    void start_whenOnlyPython3_installsIntoCachedVirtualEnvOnce() throws IOException {
        try (MotoServer first = MotoServer.start(discovery(false).build())) {
            assertThat(first.source()).isEqualTo(MotoSource.VIRTUALENV);
            assertThat(first.isHealthy()).isTrue();
        }
        try (MotoServer second = MotoServer.start(discovery(false).build())) {
            assertThat(second.isHealthy()).isTrue();
        }

        assertThat(Files.readAllLines(pythonCalls)).singleElement().asString()
                .startsWith("-m venv " + temp.resolve("cache/moto-5.2.1"));
        assertThat(temp.resolve("cache/moto-5.2.1/.stepwise-installed")).hasContent("5.2.1");
        assertThat(temp.resolve("cache/moto-5.2.1/bin/moto_server")).isExecutable();
    }
}
