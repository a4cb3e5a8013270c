package dev.stepwise.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.stepwise.core.PlanValidationException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hardening item 6, for AWS endpoint overrides: an address with user info or a query is never echoed in an
 * exception or a toString. Regression: an endpoint whose host Java cannot parse was echoed whole, query included,
 * and an accepted endpoint's query was printed by toString.
 */
class EndpointRedactionHardeningTest {

    @Test
    void endpointOverride_whenTheHostCannotBeParsed_neverEchoesTheQueryOrUserInfo() {
        for (String uri : List.of("https://vpce_1.example.com/?X-Amz-Security-Token=s3cr3t-t0ken",
                "http://bad_host:4566/path?token=s3cr3t-t0ken#s3cr3t-t0ken", "https:key:s3cr3t-t0ken@host?x=1")) {
            Throwable t = catchThrowable(() -> AwsContext.builder().region("eu-west-1").endpointOverride(URI.create(uri))
                    .build());

            assertThat(t).as(uri).isInstanceOf(PlanValidationException.class);
            assertThat(t.getMessage()).as(uri).contains("endpointOverride").doesNotContain("s3cr3t")
                    .doesNotContain("token=").doesNotContain("Token=").doesNotContain("key:");
        }
        Throwable t = catchThrowable(() -> AwsContext.builder().region("eu-west-1")
                .endpointOverride(URI.create("http://bad_host:4566/?token=x")).build());
        assertThat(t.getMessage()).as("still says which host").contains("bad_host:4566");
    }

    @Test
    void toString_whenTheEndpointHasAQuery_showsOnlySchemeHostAndPort() {
        AwsContext ctx = AwsContext.builder().region("eu-west-1")
                .endpointOverride(URI.create("https://vpce.example.com:8443/x?X-Amz-Security-Token=s3cr3t-t0ken")).build();

        assertThat(ctx.toString()).contains("https://vpce.example.com:8443/…").doesNotContain("s3cr3t")
                .doesNotContain("Token");
    }
}
