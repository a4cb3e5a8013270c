package dev.stepwise.aws.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MotoDiscoveryTest {

    @TempDir
    Path temp;

    private MotoDiscovery.Builder nothingAvailable() {
        return MotoDiscovery.builder()
                .environment(name -> null)
                .executableLookup(name -> Optional.empty())
                .dockerProbe(() -> false)
                .cacheDirectory(temp.resolve("cache"))
                .logDirectory(temp.resolve("logs"));
    }

    private Path script(String name, String body) throws IOException {
        Path p = temp.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void start_whenNothingAvailable_failsNamingTheFourWaysInOrder() {
        assertThatThrownBy(() -> MotoServer.start(nothingAvailable().build()))
                .isInstanceOf(MotoUnavailableException.class)
                .hasMessageContainingAll(
                        "1. the MOTO_ENDPOINT environment variable: not set",
                        "2. Docker through Testcontainers (motoserver/moto:5.2.1): no Docker daemon answered",
                        "3. a moto_server executable on PATH: not found",
                        "4. a python3 virtual environment with moto[server]",
                        "python3 not found on PATH",
                        "Fix one of them");
    }

    @Test
    void start_whenMotoEndpointMalformed_failsNamingValueAndRule() {
        MotoDiscovery discovery = nothingAvailable().environment(Map.of("MOTO_ENDPOINT", "localhost:5000")::get).build();

        assertThatThrownBy(() -> MotoServer.start(discovery)).isInstanceOf(MotoUnavailableException.class)
                .hasMessage("MOTO_ENDPOINT \"localhost:5000\" does not match http(s)://host[:port]");
    }

    @Test
    void start_whenMotoEndpointBlank_treatsItAsNotSet() {
        MotoDiscovery discovery = nothingAvailable().environment(Map.of("MOTO_ENDPOINT", "  ")::get).build();

        assertThatThrownBy(() -> MotoServer.start(discovery)).isInstanceOf(MotoUnavailableException.class)
                .hasMessageContaining("1. the MOTO_ENDPOINT environment variable: not set");
    }

    @Test
    void start_whenDockerProbeThrows_goesOnAndReportsIt() {
        MotoDiscovery discovery = nothingAvailable().dockerProbe(() -> {
            throw new IllegalStateException("socket refused");
        }).build();

        assertThatThrownBy(() -> MotoServer.start(discovery)).isInstanceOf(MotoUnavailableException.class)
                .hasMessageContaining("the Docker probe failed: socket refused")
                .hasMessageContaining("3. a moto_server executable on PATH");
    }

    @Test
    void start_whenMotoServerExitsAtOnce_reportsExitCodeAndLogThenTriesPython() throws IOException {
        Path broken = script("moto_server", "echo 'ImportError: no module named flask'; exit 3");
        AtomicBoolean pythonLookedUp = new AtomicBoolean();
        MotoDiscovery discovery = nothingAvailable().executableLookup(name -> {
            if (name.equals("python3")) {
                pythonLookedUp.set(true);
            }
            return name.equals("moto_server") ? Optional.of(broken) : Optional.empty();
        }).startupTimeout(Duration.ofSeconds(20)).build();

        assertThatThrownBy(() -> MotoServer.start(discovery)).isInstanceOf(MotoUnavailableException.class)
                .hasMessageContaining("3. a moto_server executable on PATH (" + broken + "): exited with code 3")
                .hasMessageContaining("ImportError: no module named flask");
        assertThat(pythonLookedUp).isTrue();
    }

    @Test
    void start_whenPipInstallFails_reportsTheFailureAndLeavesNoMarker() throws IOException {
        Path python = script("python3", """
                if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
                  mkdir -p "$3/bin"
                  printf '#!/bin/sh\\necho "Could not find a version that satisfies the requirement"; exit 1\\n' > "$3/bin/python"
                  chmod +x "$3/bin/python"
                  exit 0
                fi
                exit 2""");
        MotoDiscovery discovery = nothingAvailable()
                .executableLookup(name -> name.equals("python3") ? Optional.of(python) : Optional.empty()).build();

        assertThatThrownBy(() -> MotoServer.start(discovery)).isInstanceOf(MotoUnavailableException.class)
                .hasMessageContaining("4. a python3 virtual environment with moto[server]")
                .hasMessageContaining("-m pip install --disable-pip-version-check moto[server]==5.2.1\" failed with exit code 1")
                .hasMessageContaining("Could not find a version");
        assertThat(temp.resolve("cache/moto-5.2.1/.stepwise-installed")).doesNotExist();
    }

    @Test
    void build_whenDockerImageUnpinnedOrVersionMalformed_rejectsIt() {
        assertThatThrownBy(() -> MotoDiscovery.builder().dockerImage("motoserver/moto:latest").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MotoDiscovery: dockerImage \"motoserver/moto:latest\" is not pinned to a version tag");
        assertThatThrownBy(() -> MotoDiscovery.builder().motoVersion("5.2").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MotoDiscovery: motoVersion \"5.2\" does not match N.N.N");
    }

    @Test
    void build_whenSeveralSettingsAreBad_listsEachInOneException() {
        assertThatThrownBy(() -> MotoDiscovery.builder().motoVersion("5").dockerImage("motoserver/moto")
                .startupTimeout(Duration.ZERO).installTimeout(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("MotoDiscovery: 4 problems")
                .hasMessageContaining("motoVersion \"5\" does not match N.N.N")
                .hasMessageContaining("dockerImage \"motoserver/moto\" is not pinned to a version tag")
                .hasMessageContaining("startupTimeout PT0S is not positive")
                .hasMessageContaining("installTimeout PT-1S is not positive");
    }

    @Test
    void findExecutable_whenDefaultLookup_searchesPathFromInjectedEnvironment() throws IOException {
        Path exe = script("moto_server", "exit 0");
        MotoDiscovery discovery = MotoDiscovery.builder().environment(Map.of("PATH", "/nonexistent:" + temp)::get).build();

        assertThat(discovery.findExecutable("moto_server")).contains(exe);
        assertThat(discovery.findExecutable("python9")).isEmpty();
    }

    @Test
    void toBuilder_whenRebuilt_keepsSettings() {
        MotoDiscovery d = nothingAvailable().motoVersion("5.1.4").dockerImage("motoserver/moto:5.1.4").build();

        MotoDiscovery copy = d.toBuilder().build();

        assertThat(copy.motoVersion()).isEqualTo("5.1.4");
        assertThat(copy.dockerImage()).isEqualTo("motoserver/moto:5.1.4");
        assertThat(copy.cacheDirectory()).isEqualTo(temp.resolve("cache"));
        assertThat(copy.findExecutable("moto_server")).isEmpty();
    }
}
