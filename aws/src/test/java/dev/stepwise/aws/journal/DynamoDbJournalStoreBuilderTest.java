package dev.stepwise.aws.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.PlanValidationException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Settings of the DynamoDB journal store: build() names every bad one, with its field, value and rule. */
class DynamoDbJournalStoreBuilderTest {
    /** Never called: building the store makes no request. */
    private final DynamoDbClient client = DynamoDbClient.builder().region(Region.US_EAST_1)
            .endpointOverride(URI.create("http://127.0.0.1:9"))
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "y"))).build();

    @AfterEach
    void tearDown() {
        client.close();
    }

    @Test
    void toBuilder_keepsEverySettingAndTheDefaultHeartbeatFollowsTheLease() {
        DynamoDbJournalStore store = DynamoDbJournalStore.builder(client).table("journals").leaseDuration(Duration.ofMinutes(3))
                .holderName("runner-1").build();

        DynamoDbJournalStore longer = store.toBuilder().leaseDuration(Duration.ofMinutes(9)).build();

        assertThat(longer.table()).isEqualTo("journals");
        assertThat(longer.holderName()).isEqualTo("runner-1");
        assertThat(longer.leaseDuration()).isEqualTo(Duration.ofMinutes(9));
        assertThat(longer.heartbeat()).isEqualTo(Duration.ofMinutes(3));
    }

    @Test
    void table_whenEmpty_throwsNamingFieldValueAndRule() {
        assertThatThrownBy(() -> DynamoDbJournalStore.builder(client).table("").build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessage("DynamoDbJournalStore: table \"\" must be a DynamoDB table name: 3 to 255 characters of A-Z a-z 0-9 _ . - "
                        + "([A-Za-z0-9_.-]{3,255})");
    }

    @Test
    void table_whenItHasCharactersDynamoDbRefuses_throws() {
        assertThatThrownBy(() -> DynamoDbJournalStore.builder(client).table("my journals").build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageStartingWith("DynamoDbJournalStore: table \"my journals\" must be");
    }

    @Test
    void leaseDuration_whenZeroOrNegative_throwsNamingFieldValueAndRule() {
        assertThatThrownBy(() -> DynamoDbJournalStore.builder(client).leaseDuration(Duration.ZERO).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessage("DynamoDbJournalStore: leaseDuration PT0S must be positive");
        assertThatThrownBy(() -> DynamoDbJournalStore.builder(client).leaseDuration(Duration.ofSeconds(-5)).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessage("DynamoDbJournalStore: leaseDuration PT-5S must be positive");
    }

    @Test
    void heartbeat_whenNotShorterThanTheLease_throws() {
        assertThatThrownBy(() -> DynamoDbJournalStore.builder(client).leaseDuration(Duration.ofMinutes(1))
                .heartbeat(Duration.ofMinutes(1)).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessage("DynamoDbJournalStore: heartbeat PT1M must be shorter than leaseDuration PT1M");
        assertThatThrownBy(() -> DynamoDbJournalStore.builder(client).heartbeat(Duration.ofSeconds(30))
                .leaseDuration(Duration.ofSeconds(30)).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessage("DynamoDbJournalStore: heartbeat PT30S must be shorter than leaseDuration PT30S");
        assertThatThrownBy(() -> DynamoDbJournalStore.builder(client).heartbeat(Duration.ofSeconds(-1)).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessage("DynamoDbJournalStore: heartbeat PT-1S must be zero (off) or positive");
    }

    @Test
    void holderName_whenBlank_throws() {
        assertThatThrownBy(() -> DynamoDbJournalStore.builder(client).holderName(" ").build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessage("DynamoDbJournalStore: holderName \" \" must be 1 to 200 printable ASCII characters, not blank");
    }

    @Test
    void build_whenEverySettingIsBad_listsEachInOneException() {
        assertThatThrownBy(() -> DynamoDbJournalStore.builder(client).table("x").leaseDuration(Duration.ofSeconds(10))
                .heartbeat(Duration.ofSeconds(20)).holderName("").build())
                .isInstanceOf(PlanValidationException.class)
                .satisfies(e -> assertThat(((PlanValidationException) e).problems()).containsExactly(
                        "table \"x\" must be a DynamoDB table name: 3 to 255 characters of A-Z a-z 0-9 _ . - "
                                + "([A-Za-z0-9_.-]{3,255})",
                        "holderName \"\" must be 1 to 200 printable ASCII characters, not blank",
                        "heartbeat PT20S must be shorter than leaseDuration PT10S"));
    }

    @Test
    void build_whenHeartbeatIsSetBeforeALongerLease_builds() {
        try (DynamoDbJournalStore s = DynamoDbJournalStore.builder(client).heartbeat(Duration.ofMinutes(6))
                .leaseDuration(Duration.ofMinutes(10)).build()) {
            assertThat(s.heartbeat()).isEqualTo(Duration.ofMinutes(6));
        }
    }

    @Test
    void build_withDefaults_usesFiveMinuteLeaseAndHeartbeatEveryThird() {
        try (DynamoDbJournalStore s = DynamoDbJournalStore.builder(client).build()) {
            assertThat(s.table()).isEqualTo("stepwise-journals");
            assertThat(s.leaseDuration()).isEqualTo(Duration.ofMinutes(5));
            assertThat(s.heartbeat()).isEqualTo(Duration.ofSeconds(100));
            assertThat(s.holderName()).endsWith("-" + ProcessHandle.current().pid());
        }
    }

    @Test
    void open_whenRunIdHasCharactersOtherStoresRefuse_throwsBeforeAnyCall() {
        try (DynamoDbJournalStore s = DynamoDbJournalStore.builder(client).build()) {
            assertThatThrownBy(() -> s.open("run/1", true)).isInstanceOf(PlanValidationException.class)
                    .hasMessage("DynamoDbJournalStore: runId \"run/1\" does not match [A-Za-z0-9_.-]{1,128}");
        }
    }
}
