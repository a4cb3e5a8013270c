package dev.stepwise.aws.testkit;

import java.net.URI;
import java.time.Duration;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/** Moto in a container; only loaded once {@link DockerSupport} has seen Testcontainers on the classpath. */
final class DockerMoto {

    static final int MOTO_PORT = 5000;

    private DockerMoto() {
    }

    static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    static DockerSupport.Started start(String image, Duration timeout) {
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image))
                .withExposedPorts(MOTO_PORT)
                .waitingFor(Wait.forHttp("/moto-api/").forStatusCode(200).withStartupTimeout(timeout));
        container.start();
        URI endpoint = URI.create("http://" + container.getHost() + ":" + container.getMappedPort(MOTO_PORT));
        return new DockerSupport.Started(endpoint, container::stop);
    }
}
