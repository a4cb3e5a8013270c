package dev.stepwise.aws.journal;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.testkit.MotoExtension;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.journal.JournalStoreContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The journal store contract over the DynamoDB store, against Moto's DynamoDB. */
class DynamoDbJournalStoreContractIT extends JournalStoreContract {
    @RegisterExtension
    static final MotoExtension MOTO = MotoExtension.create();

    /** Moto's DynamoDB does not apply conditional writes atomically under concurrency; see OneAtATimeProxy. */
    private static OneAtATimeProxy dynamoDb;
    private static AwsContext aws;
    private DynamoDbJournalStore store;

    @BeforeAll
    static void start() {
        dynamoDb = OneAtATimeProxy.start(MOTO.server().endpoint());
        aws = AwsContext.builder().region("us-east-1").endpointOverride(dynamoDb.endpoint())
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .sdkMaxAttempts(1).build();
    }

    /** A fresh store per test: the Moto extension resets Moto's state before each test, tables included. */
    @BeforeEach
    void createStore() {
        store = DynamoDbJournalStore.builder(aws).table("contract-journals").createTableIfMissing(true)
                .heartbeat(Duration.ZERO).holderName("contract").build();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @AfterAll
    static void stop() {
        aws.close();
        dynamoDb.close();
    }

    @Override
    protected JournalStore store() {
        return store;
    }
}
