package dev.stepwise.aws.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * How {@link MotoServer} looks for a Moto server: where it reads the environment, finds executables, asks
 * for Docker, caches its virtual environment and writes logs.
 *
 * <p>The order is fixed: {@code MOTO_ENDPOINT}, then Docker ({@value #DEFAULT_DOCKER_IMAGE}, when the
 * Docker probe says a daemon answers), then {@code moto_server} on {@code PATH}, then {@code python3} on
 * {@code PATH} installing {@code moto[server]==}{@value #DEFAULT_MOTO_VERSION} once into
 * {@code <cacheDirectory>/moto-<version>}. A {@code MOTO_ENDPOINT} that is set but malformed or not
 * answering fails at once rather than falling through, so a mistyped setting is never silently replaced.
 *
 * <p>Defaults: the process environment, a {@code PATH} search through that environment, the Testcontainers
 * probe (false when Testcontainers is not on the classpath), {@code ~/.cache/stepwise}, logs in
 * {@code target/moto} when {@code target} exists (else the temporary directory), 60 s to start, 10 min to
 * install. The injectable lookups exist so that tests can check the discovery without touching the real
 * environment. Immutable and thread-safe; the builder is not.
 *
 * <pre>{@code
 * MotoDiscovery discovery = MotoDiscovery.builder().
 *     environment(Map.of("MOTO_ENDPOINT", "http://127.0.0.1:5000")::get).
 *     build();
 * try (MotoServer moto = MotoServer.start(discovery)) { ... }
 * }</pre>
 */
public final class MotoDiscovery {

    /** The Moto version the virtual environment installs. */
    public static final String DEFAULT_MOTO_VERSION = "5.2.1";
    /** The Docker image Testcontainers starts. */
    public static final String DEFAULT_DOCKER_IMAGE = "motoserver/moto:5.2.1";
    /** The environment variable naming a running Moto server. */
    public static final String MOTO_ENDPOINT = "MOTO_ENDPOINT";

    private final Function<String, String> environment;
    private final Function<String, Optional<Path>> executableLookup;
    private final Function<String, Optional<Path>> explicitLookup;
    private final BooleanSupplier dockerProbe;
    private final String motoVersion;
    private final String dockerImage;
    private final Path cacheDirectory;
    private final Path logDirectory;
    private final Duration startupTimeout;
    private final Duration installTimeout;

    private MotoDiscovery(Builder b) {
        this.environment = b.environment;
        this.executableLookup = b.executableLookup != null ? b.executableLookup : name -> searchPath(b.environment, name);
        this.dockerProbe = b.dockerProbe;
        this.motoVersion = b.motoVersion;
        this.dockerImage = b.dockerImage;
        this.cacheDirectory = b.cacheDirectory;
        this.logDirectory = b.logDirectory;
        this.startupTimeout = b.startupTimeout;
        this.installTimeout = b.installTimeout;
        this.explicitLookup = b.executableLookup;
    }

    /** @return the defaults */
    public static MotoDiscovery defaults() {
        return builder().build();
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder with this configuration */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.environment = environment;
        b.executableLookup = explicitLookup;
        b.dockerProbe = dockerProbe;
        b.motoVersion = motoVersion;
        b.dockerImage = dockerImage;
        b.cacheDirectory = cacheDirectory;
        b.logDirectory = logDirectory;
        b.startupTimeout = startupTimeout;
        b.installTimeout = installTimeout;
        return b;
    }

    /**
     * @param name a variable
     * @return its value, or {@code null}
     */
    public String getenv(String name) {
        return environment.apply(name);
    }

    /**
     * @param name an executable
     * @return where it is, if found
     */
    public Optional<Path> findExecutable(String name) {
        return executableLookup.apply(name);
    }

    /** @return whether a Docker daemon answers */
    public boolean dockerAvailable() {
        return dockerProbe.getAsBoolean();
    }

    /** @return the Moto version for the virtual environment */
    public String motoVersion() {
        return motoVersion;
    }

    /** @return the Docker image */
    public String dockerImage() {
        return dockerImage;
    }

    /** @return where the virtual environment is cached */
    public Path cacheDirectory() {
        return cacheDirectory;
    }

    /** @return where Moto's output goes */
    public Path logDirectory() {
        return logDirectory;
    }

    /** @return how long a started server may take to answer */
    public Duration startupTimeout() {
        return startupTimeout;
    }

    /** @return how long creating the virtual environment and installing Moto may take */
    public Duration installTimeout() {
        return installTimeout;
    }

    @Override
    public String toString() {
        return "MotoDiscovery[moto " + motoVersion + ", image " + dockerImage + ", cache " + cacheDirectory
                + ", logs " + logDirectory + "]";
    }

    private static Optional<Path> searchPath(Function<String, String> env, String name) {
        String path = env.apply("PATH");
        if (path == null || path.isEmpty()) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            for (String candidate : new String[] {name, name + ".exe", name + ".cmd"}) {
                Path p = Path.of(dir, candidate);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Collects the settings. A bad value is recorded and reported by {@link #build()} with every other problem, in
     * one {@link IllegalArgumentException} (the testkit does not depend on {@code stepwise-core}, whose
     * {@code PlanValidationException} the library's builders throw); a later valid value for the same setting
     * replaces a bad one. Not thread-safe.
     */
    public static final class Builder {
        private Function<String, String> environment = System::getenv;
        private Function<String, Optional<Path>> executableLookup;
        private BooleanSupplier dockerProbe = DockerSupport::dockerAvailable;
        private String motoVersion = DEFAULT_MOTO_VERSION;
        private String dockerImage = DEFAULT_DOCKER_IMAGE;
        private Path cacheDirectory = Path.of(System.getProperty("user.home"), ".cache", "stepwise");
        private Path logDirectory = Files.isDirectory(Path.of("target"))
                ? Path.of("target", "moto") : Path.of(System.getProperty("java.io.tmpdir"), "stepwise-moto");
        private Duration startupTimeout = Duration.ofSeconds(60);
        private Duration installTimeout = Duration.ofMinutes(10);
        /** Problems found by the setters, by setting, so that a later good value clears a bad one. */
        private final Map<String, String> problems = new LinkedHashMap<>();

        private Builder() {
        }

        private boolean record(String setting, String problem) {
            problems.remove(setting);
            if (problem != null) {
                problems.put(setting, problem);
            }
            return problem == null;
        }

        /**
         * @param lookup reads an environment variable; also used for {@code PATH}
         * @return this builder
         */
        public Builder environment(Function<String, String> lookup) {
            this.environment = Objects.requireNonNull(lookup, "environment");
            return this;
        }

        /**
         * @param lookup finds an executable by name; default searches {@code PATH}
         * @return this builder
         */
        public Builder executableLookup(Function<String, Optional<Path>> lookup) {
            this.executableLookup = Objects.requireNonNull(lookup, "executableLookup");
            return this;
        }

        /**
         * @param probe says whether a Docker daemon answers
         * @return this builder
         */
        public Builder dockerProbe(BooleanSupplier probe) {
            this.dockerProbe = Objects.requireNonNull(probe, "dockerProbe");
            return this;
        }

        /**
         * @param version a Moto version such as {@code 5.2.1}
         * @return this builder
         */
        public Builder motoVersion(String version) {
            Objects.requireNonNull(version, "motoVersion");
            if (record("motoVersion", version.matches("\\d+\\.\\d+\\.\\d+") ? null
                    : "motoVersion \"" + version + "\" does not match N.N.N")) {
                this.motoVersion = version;
            }
            return this;
        }

        /**
         * @param image a pinned image such as {@code motoserver/moto:5.2.1}
         * @return this builder
         */
        public Builder dockerImage(String image) {
            Objects.requireNonNull(image, "dockerImage");
            if (record("dockerImage", !image.contains(":") || image.endsWith(":latest")
                    ? "dockerImage \"" + image + "\" is not pinned to a version tag" : null)) {
                this.dockerImage = image;
            }
            return this;
        }

        /**
         * @param dir where the virtual environment is cached
         * @return this builder
         */
        public Builder cacheDirectory(Path dir) {
            this.cacheDirectory = Objects.requireNonNull(dir, "cacheDirectory");
            return this;
        }

        /**
         * @param dir where Moto's output goes
         * @return this builder
         */
        public Builder logDirectory(Path dir) {
            this.logDirectory = Objects.requireNonNull(dir, "logDirectory");
            return this;
        }

        /**
         * @param timeout how long a started server may take to answer; positive
         * @return this builder
         */
        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = positive("startupTimeout", timeout, startupTimeout);
            return this;
        }

        /**
         * @param timeout how long installing Moto may take; positive
         * @return this builder
         */
        public Builder installTimeout(Duration timeout) {
            this.installTimeout = positive("installTimeout", timeout, installTimeout);
            return this;
        }

        /**
         * @return the configuration
         * @throws IllegalArgumentException listing every bad setting, one per line
         */
        public MotoDiscovery build() {
            if (problems.size() == 1) {
                throw new IllegalArgumentException("MotoDiscovery: " + problems.values().iterator().next());
            }
            if (!problems.isEmpty()) {
                StringBuilder m = new StringBuilder("MotoDiscovery: ").append(problems.size()).append(" problems");
                problems.values().forEach(p -> m.append("\n  - ").append(p));
                throw new IllegalArgumentException(m.toString());
            }
            return new MotoDiscovery(this);
        }

        /** {@code d} if positive; else {@code old}, with the problem kept for {@link #build()}. */
        private Duration positive(String name, Duration d, Duration old) {
            Objects.requireNonNull(d, name);
            return record(name, d.isNegative() || d.isZero() ? name + " " + d + " is not positive" : null) ? d : old;
        }
    }
}
