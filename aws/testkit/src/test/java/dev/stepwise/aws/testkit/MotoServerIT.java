package dev.stepwise.aws.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;

class MotoServerIT {

    @RegisterExtension
    static final MotoExtension MOTO = MotoExtension.create();

    @Test
    void shared_whenCalledTwice_returnsOneHealthyServer() {
        MotoServer first = MotoServer.shared();

        assertThat(MotoServer.shared()).isSameAs(first);
        assertThat(first.isHealthy()).isTrue();
        String configured = System.getenv("MOTO_ENDPOINT");
        if (configured != null && !configured.isBlank()) {
            assertThat(first.source()).isEqualTo(MotoSource.ENVIRONMENT);
            assertThat(first.endpoint().toString()).isEqualTo(configured.trim());
        } else {
            assertThat(first.source()).isNotEqualTo(MotoSource.ENVIRONMENT);
        }
        assertThat(MOTO.server()).isSameAs(first);
        assertThat(MOTO.proxy().upstream()).isEqualTo(first.endpoint());
    }

    @Test
    void reset_whenInstancesExist_clearsMotoState(MotoServer moto) {
        try (Ec2Client ec2 = AwsClients.ec2(moto.endpoint())) {
            AwsClients.runInstance(ec2, AwsClients.WINDOWS_AMI);
            assertThat(ec2.describeInstances().reservations()).hasSize(1);

            moto.reset();

            assertThat(ec2.describeInstances().reservations()).isEmpty();
        }
    }

    @Test
    void close_whenShared_leavesServerRunning(MotoServer moto) {
        moto.close();

        assertThat(moto.isHealthy()).isTrue();
    }

    @Test
    void start_whenMotoEndpointSet_usesItWithoutDockerOrPath(MotoServer moto) {
        AtomicBoolean dockerAsked = new AtomicBoolean();
        AtomicBoolean pathSearched = new AtomicBoolean();
        MotoDiscovery discovery = MotoDiscovery.builder()
                .environment(Map.of("MOTO_ENDPOINT", moto.endpoint().toString())::get)
                .dockerProbe(() -> dockerAsked.getAndSet(true))
                .executableLookup(name -> {
                    pathSearched.set(true);
                    return Optional.<Path>empty();
                })
                .build();

        try (MotoServer found = MotoServer.start(discovery)) {
            assertThat(found.source()).isEqualTo(MotoSource.ENVIRONMENT);
            assertThat(found.endpoint()).isEqualTo(moto.endpoint());
        }
        assertThat(dockerAsked).isFalse();
        assertThat(pathSearched).isFalse();
        assertThat(moto.isHealthy()).as("closing a server found through MOTO_ENDPOINT leaves it running").isTrue();
    }

    @Test
    void start_whenMotoEndpointDoesNotAnswer_failsNamingTheVariable() {
        MotoDiscovery discovery = MotoDiscovery.builder()
                .environment(Map.of("MOTO_ENDPOINT", "http://127.0.0.1:9")::get)
                .dockerProbe(() -> false)
                .build();

        assertThatThrownBy(() -> MotoServer.start(discovery)).isInstanceOf(MotoUnavailableException.class)
                .hasMessageContaining("MOTO_ENDPOINT \"http://127.0.0.1:9\" does not answer");
    }
}
