package dev.stepwise.aws.testkit;

/**
 * The four ways the fixture finds a Moto server, in the order it tries them.
 *
 * <pre>{@code
 * MotoServer moto = MotoServer.shared();
 * System.out.println(moto.source());   // EXECUTABLE on a machine with moto_server on PATH and no Docker
 * }</pre>
 */
public enum MotoSource {
    /** A running server named by the {@code MOTO_ENDPOINT} environment variable. */
    ENVIRONMENT("the MOTO_ENDPOINT environment variable"),
    /** A {@code motoserver/moto} container, when a Docker daemon answers and Testcontainers is on the classpath. */
    TESTCONTAINERS("Docker through Testcontainers"),
    /** A {@code moto_server} executable on {@code PATH}, started on a free loopback port. */
    EXECUTABLE("a moto_server executable on PATH"),
    /** {@code moto[server]} installed once by {@code python3} into a cached virtual environment. */
    VIRTUALENV("a python3 virtual environment with moto[server]");

    private final String description;

    MotoSource(String description) {
        this.description = description;
    }

    /** @return how the source reads in messages */
    public String description() {
        return description;
    }
}
