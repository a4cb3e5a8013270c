package dev.stepwise.aws.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hardening item 6, for the Moto fixture: a {@code MOTO_ENDPOINT} with user info or a query is never echoed.
 * Regression: a malformed value was quoted whole, and the parser's own message repeated it.
 */
class MotoEndpointHardeningTest {
    @TempDir
    Path temp;

    @Test
    void start_whenMotoEndpointCarriesSecrets_failsWithoutEchoingThem() {
        for (String value : List.of("http://key:s3cr3t@bad_host:5000/?t=s3cr3t", "http://bad host:5000/?t=s3cr3t",
                "http://key:s3cr3t@127.0.0.1:9/", "http://127.0.0.1:9/?token=s3cr3t", "key:s3cr3t@localhost")) {
            MotoDiscovery discovery = MotoDiscovery.builder().environment(Map.of("MOTO_ENDPOINT", value)::get)
                    .executableLookup(name -> Optional.empty()).dockerProbe(() -> false)
                    .cacheDirectory(temp.resolve("cache")).logDirectory(temp.resolve("logs")).build();

            Throwable t = catchThrowable(() -> MotoServer.start(discovery));

            assertThat(t).as(value).isInstanceOf(MotoUnavailableException.class);
            assertThat(t.getMessage()).as(value).contains("MOTO_ENDPOINT").doesNotContain("s3cr3t")
                    .doesNotContain("key:");
        }
    }
}
