package dev.stepwise.aws.journal;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.testkit.MotoExtension;
import dev.stepwise.core.run.VirtualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * What the DynamoDB journal tests share: Moto's DynamoDB behind a proxy that serialises requests, a virtual clock,
 * and stores for named runners that are closed after each test.
 */
abstract class LeasedDynamoDbTest {
    @RegisterExtension
    static final MotoExtension MOTO = MotoExtension.create();

    static final Duration LEASE = Duration.ofMinutes(5);

    /** Moto's DynamoDB does not apply conditional writes atomically under concurrency; see OneAtATimeProxy. */
    private static OneAtATimeProxy dynamoDb;

    final VirtualTimeSource clock = VirtualTimeSource.create();
    final List<DynamoDbJournalStore> stores = new ArrayList<>();
    AwsContext aws;

    @BeforeAll
    static void startProxy() {
        dynamoDb = OneAtATimeProxy.start(MOTO.server().endpoint());
    }

    @AfterAll
    static void stopProxy() {
        dynamoDb.close();
    }

    @BeforeEach
    void startAws() {
        aws = AwsContext.builder().region("us-east-1").endpointOverride(dynamoDb.endpoint())
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .sdkMaxAttempts(1).build();
    }

    @AfterEach
    void closeStores() {
        stores.forEach(DynamoDbJournalStore::close);
        aws.close();
    }

    /** A store on Moto for one runner; heartbeat off, so a lease is renewed only by what the test does. */
    DynamoDbJournalStore store(String holderName) {
        DynamoDbJournalStore s = DynamoDbJournalStore.builder(aws).table("journals").createTableIfMissing(true)
                .leaseDuration(LEASE).heartbeat(Duration.ZERO).timeSource(clock).holderName(holderName).build();
        stores.add(s);
        return s;
    }
}
