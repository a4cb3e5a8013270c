package dev.stepwise.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.PlanValidationException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

class AwsContextBuilderTest {

    @Test
    void region_whenMalformed_namesValueAndRule() {
        assertThatThrownBy(() -> AwsContext.builder().region("Europe").build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessage("AwsContext: region \"Europe\" does not look like an AWS region (e.g. eu-west-1)");
    }

    @Test
    void assumeRole_whenNotARoleArn_namesValueAndRule() {
        assertThatThrownBy(() -> AwsContext.builder().region("eu-west-1").assumeRole("arn:aws:iam::123:user/bob").build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("assumeRole \"arn:aws:iam::123:user/bob\" does not match");
    }

    @Test
    void endpointOverride_whenNotHttp_isRefused() {
        assertThatThrownBy(() -> AwsContext.builder().region("eu-west-1").endpointOverride(URI.create("ftp://localhost:5000"))
                .build())
                .isInstanceOf(PlanValidationException.class).hasMessageContaining("endpointOverride \"ftp://localhost:5000\" must be an absolute http(s) URI");
    }

    @Test
    void sdkMaxAttempts_outOfRange_isRefused() {
        assertThatThrownBy(() -> AwsContext.builder().region("eu-west-1").sdkMaxAttempts(0).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessage("AwsContext: sdkMaxAttempts 0 must be between 1 and 20");
    }

    @Test
    void timings_whenNotPositive_nameEveryBadField() {
        assertThatThrownBy(() -> AwsTimings.builder().pollInterval(Duration.ZERO)
                .commandTimeout(Duration.ofSeconds(-1)).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("AwsTimings: 2 problems")
                .hasMessageContaining("pollInterval PT0S must be positive")
                .hasMessageContaining("commandTimeout PT-1S must be positive");
    }

    @Test
    void build_whenEverySettingIsBad_listsEachInOneException() {
        assertThatThrownBy(() -> AwsContext.builder().region("Europe").assumeRole("arn:aws:iam::123:user/bob")
                .endpointOverride(URI.create("http://key:secret@localhost:5000")).sdkMaxAttempts(21).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageStartingWith("AwsContext: 4 problems")
                .hasMessageContaining("region \"Europe\" does not look like an AWS region")
                .hasMessageContaining("assumeRole \"arn:aws:iam::123:user/bob\" does not match")
                .hasMessageContaining("endpointOverride \"http://…@…\" must not carry user info")
                .hasMessageContaining("sdkMaxAttempts 21 must be between 1 and 20")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
    }

    @Test
    void build_whenABadValueIsReplacedByAGoodOne_builds() {
        try (AwsContext aws = AwsContext.builder().region("Europe").region("eu-west-1").sdkMaxAttempts(0).sdkMaxAttempts(5)
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build()) {
            assertThat(aws.toString()).contains("eu-west-1", "sdkMaxAttempts=5");
        }
    }

    @Test
    void timings_whenLongerThanAPollAllows_areRefusedBeforeAnyStepRuns() {
        assertThatThrownBy(() -> AwsTimings.defaults().toBuilder().automationTimeout(Duration.ofDays(31)).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessage("AwsTimings: automationTimeout PT744H must be at most PT720H (30 days)");
    }

    @Test
    void timings_whenChangedInPlace_keepTheOtherTimings() {
        try (AwsContext aws = AwsContext.builder().region("eu-west-1").timings(AwsTimings.allOf(Duration.ofMillis(5)))
                .timings(t -> t.pollInterval(Duration.ofMillis(10)))
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build()) {
            assertThat(aws.timings().pollInterval()).isEqualTo(Duration.ofMillis(10));
            assertThat(aws.timings().commandTimeout()).isEqualTo(Duration.ofSeconds(5));
        }
    }

    @Test
    void timings_whenChangedInPlaceToABadValue_areReportedAtBuildWithTheOtherProblems() {
        assertThatThrownBy(() -> AwsContext.builder().region("eu-west-1").sdkMaxAttempts(0)
                .timings(t -> t.pollInterval(Duration.ZERO).stopTimeout(Duration.ofDays(31))).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageStartingWith("AwsContext: 2 problems")
                .hasMessageContaining("sdkMaxAttempts 0 must be between 1 and 20")
                .hasMessageContaining("pollInterval PT0S must be positive")
                .hasMessageContaining("stopTimeout PT744H must be at most PT720H (30 days)");
    }

    @Test
    void timings_toBuilder_startsFromTheseTimings() {
        AwsTimings fast = AwsTimings.allOf(Duration.ofMillis(5));
        AwsTimings changed = fast.toBuilder().commandTimeout(Duration.ofMinutes(1)).build();
        assertThat(changed.pollInterval()).isEqualTo(Duration.ofMillis(5));
        assertThat(changed.commandTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(AwsTimings.builder().build()).isEqualTo(AwsTimings.defaults());
        assertThat(changed.toString()).contains("pollInterval=PT0.005S", "commandTimeout=PT1M");
    }

    @Test
    void toBuilder_keepsEverySetting() {
        try (AwsContext aws = AwsContext.builder().region("eu-west-1").endpointOverride(URI.create("http://127.0.0.1:5000"))
                .assumeRole("arn:aws:iam::123456789012:role/patcher").sdkMaxAttempts(7)
                .timings(AwsTimings.allOf(Duration.ofMillis(5)))
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build();
             AwsContext copy = aws.toBuilder().region("us-east-1").build()) {
            assertThat(copy.region().id()).isEqualTo("us-east-1");
            assertThat(copy.endpoint()).isEqualTo(aws.endpoint());
            assertThat(copy.roleArn()).isEqualTo(aws.roleArn());
            assertThat(copy.timings()).isEqualTo(aws.timings());
            assertThat(copy.toString()).contains("sdkMaxAttempts=7");
        }
    }

    @Test
    void toString_namesRegionAndEndpoint_neverCredentials() {
        try (AwsContext aws = AwsContext.builder().region("eu-west-1").endpointOverride(URI.create("http://127.0.0.1:5000"))
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAEXAMPLEKEY", "wJalrXUtnFEMIsecret")))
                .build()) {
            assertThat(aws.toString()).contains("eu-west-1").contains("127.0.0.1:5000")
                    .doesNotContain("AKIAEXAMPLEKEY").doesNotContain("wJalrXUtnFEMIsecret");
        }
    }

    @Test
    void clients_afterClose_areRefused() {
        AwsContext aws = AwsContext.builder().region("eu-west-1")
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build();
        aws.close();
        assertThatThrownBy(aws::ec2).isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
    }

    @Test
    void isTransient_acceptsThrottlingAnd5xx_rejectsClientErrors() {
        AwsServiceException throttled = AwsServiceException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").build()).build();
        AwsServiceException limit = AwsServiceException.builder().statusCode(503)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("RequestLimitExceeded").build()).build();
        AwsServiceException notFound = AwsServiceException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("InvalidInstanceID.NotFound").build()).build();
        assertThat(AwsRetry.isTransient(throttled)).isTrue();
        assertThat(AwsRetry.isTransient(limit)).isTrue();
        assertThat(AwsRetry.isTransient(new RuntimeException("wrapped", throttled))).isTrue();
        assertThat(AwsRetry.isTransient(SdkClientException.create("connection reset"))).isTrue();
        assertThat(AwsRetry.isTransient(notFound)).isFalse();
        assertThat(AwsRetry.isTransient(new CommandFailedException("exit 1"))).isFalse();
    }

    @Test
    void build_whenEndpointOverrideHasUserInfo_isRefusedWithoutEchoingTheSecret() {
        assertThatThrownBy(() -> AwsContext.builder().region("eu-west-1")
                .endpointOverride(URI.create("http://AKIAEXAMPLE:wJalrSecret@127.0.0.1:5000")).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("must not carry user info")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wJalrSecret").doesNotContain("AKIAEXAMPLE"));
    }
}
