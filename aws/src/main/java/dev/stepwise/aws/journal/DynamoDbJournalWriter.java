package dev.stepwise.aws.journal;

import static dev.stepwise.aws.journal.DynamoDbJournalStore.EXPIRES_AT;
import static dev.stepwise.aws.journal.DynamoDbJournalStore.HOLDER;
import static dev.stepwise.aws.journal.DynamoDbJournalStore.LINE;
import static dev.stepwise.aws.journal.DynamoDbJournalStore.RUN_ID;
import static dev.stepwise.aws.journal.DynamoDbJournalStore.SEQ;
import static dev.stepwise.aws.journal.DynamoDbJournalStore.n;
import static dev.stepwise.aws.journal.DynamoDbJournalStore.s;

import dev.stepwise.core.journal.JournalCodec;
import dev.stepwise.core.journal.JournalEntry;
import dev.stepwise.core.journal.JournalException;
import dev.stepwise.core.journal.JournalWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Appends one run's lines while holding its lease: each append renews the lease and puts the line in one
 * transaction; a heartbeat renews it between appends; close releases it. Used by one thread at a time (the
 * heartbeat runs on its own daemon thread).
 */
final class DynamoDbJournalWriter implements JournalWriter {
    private static final Logger log = LoggerFactory.getLogger(DynamoDbJournalWriter.class);
    private static final String HOLDS = "#h = :me AND #e > :now";

    private final DynamoDbJournalStore store;
    private final String runId;
    private final String holder;
    private final ScheduledExecutorService heartbeat;
    private long nextSeq;
    /** Why the lease is no longer ours, once a renewal found out; appends then fail at once. */
    private volatile JournalLeaseException lost;
    private volatile boolean closed;

    DynamoDbJournalWriter(DynamoDbJournalStore store, String runId, String holder, long nextSeq) {
        this.store = store;
        this.runId = runId;
        this.holder = holder;
        this.nextSeq = nextSeq;
        Duration every = store.heartbeat();
        if (every.isZero()) {
            heartbeat = null;
        } else {
            heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "stepwise-journal-lease-" + runId);
                t.setDaemon(true);
                return t;
            });
            heartbeat.scheduleWithFixedDelay(this::heartbeat, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** This writer's holder id, as other runners see it. */
    String holder() {
        return holder;
    }

    @Override
    public void append(JournalEntry entry, boolean durable) {
        String jsonLine = JournalCodec.encode(entry);
        // every line is durable: the transaction has committed when this returns
        if (closed) {
            throw new IllegalStateException("the journal writer of run " + runId + " is closed");
        }
        if (lost != null) {
            throw lost;
        }
        if (DynamoDbJournalStore.utf8Length(jsonLine) > DynamoDbJournalStore.MAX_LINE_BYTES) {
            throw new JournalException("A journal line of run " + runId + " has " + DynamoDbJournalStore.utf8Length(jsonLine)
                    + " bytes, more than the " + DynamoDbJournalStore.MAX_LINE_BYTES + " a DynamoDB item can hold");
        }
        Instant now = store.time().now();
        long seq = nextSeq;
        Update renew = Update.builder().tableName(store.tableName()).key(store.leaseKey(runId))
                .updateExpression("SET #e = :exp").conditionExpression(HOLDS)
                .expressionAttributeNames(Map.of("#h", HOLDER, "#e", EXPIRES_AT))
                .expressionAttributeValues(Map.of(":me", s(holder), ":now", n(now.toEpochMilli()),
                        ":exp", n(now.plus(store.leaseDuration()).toEpochMilli())))
                .build();
        Put put = Put.builder().tableName(store.tableName())
                .item(Map.of(RUN_ID, s(runId), SEQ, n(seq), LINE, s(jsonLine)))
                .conditionExpression("attribute_not_exists(#s)").expressionAttributeNames(Map.of("#s", SEQ))
                .build();
        try {
            store.client().transactWriteItems(r -> r.transactItems(TransactWriteItem.builder().update(renew).build(),
                    TransactWriteItem.builder().put(put).build()));
            nextSeq = seq + 1;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
            boolean lineTaken = reasons.size() == 2 && "ConditionalCheckFailed".equals(reasons.get(1).code())
                    && !"ConditionalCheckFailed".equals(reasons.get(0).code());
            if (lineTaken) {
                throw new JournalException("Line " + seq + " of run " + runId + " in DynamoDB table " + store.tableName()
                        + " was already written by another writer; this writer stopped so as not to interleave with it", e);
            }
            JournalLeaseException gone = lostLease();
            lost = gone;
            throw gone;
        } catch (SdkException e) {
            throw new JournalException("Line " + seq + " of run " + runId + " could not be written to DynamoDB table "
                    + store.tableName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Renews the lease to {@code now + leaseDuration} if this writer still holds it and it has not expired.
     *
     * @throws JournalLeaseException when the lease expired or another runner took it
     */
    void renew() {
        if (lost != null) {
            throw lost;
        }
        Instant now = store.time().now();
        try {
            store.client().updateItem(r -> r.tableName(store.tableName()).key(store.leaseKey(runId))
                    .updateExpression("SET #e = :exp").conditionExpression(HOLDS)
                    .expressionAttributeNames(Map.of("#h", HOLDER, "#e", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":me", s(holder), ":now", n(now.toEpochMilli()),
                            ":exp", n(now.plus(store.leaseDuration()).toEpochMilli()))));
        } catch (ConditionalCheckFailedException e) {
            JournalLeaseException gone = lostLease();
            lost = gone;
            throw gone;
        }
    }

    private void heartbeat() {
        if (closed || lost != null) {
            return;
        }
        try {
            renew();
        } catch (JournalLeaseException e) {
            if (!closed) {
                log.warn("Lost the lease of run {}: {}", runId, e.getMessage());
            }
        } catch (RuntimeException e) {
            log.warn("Could not renew the lease of run {} (will try again): {}", runId, e.toString());
        }
    }

    private JournalLeaseException lostLease() {
        var item = store.lease(runId);
        if (item.containsKey(HOLDER) && item.get(HOLDER).s().equals(holder)) {
            Instant expired = Instant.ofEpochMilli(Long.parseLong(item.get(EXPIRES_AT).n()));
            return new JournalLeaseException("The lease of " + holder + " on run " + runId + " expired at " + expired
                    + " (now " + store.time().now() + " by this runner's clock), so it cannot append to the journal; "
                    + "the run stopped and can be resumed", null, null);
        }
        return store.held(runId, item, "this writer (" + holder + ") lost its lease and cannot append to the journal; "
                + "the run stopped and can be resumed once the lease is free");
    }

    /** Stops the heartbeat and releases the lease if this writer still holds it. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        store.forgetReading(runId);
        if (heartbeat != null) {
            // let a renewal in flight finish rather than interrupt the SDK mid-call; then release
            heartbeat.shutdown();
            try {
                heartbeat.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            store.release(runId, holder);
        } catch (SdkException e) {
            log.warn("Could not release the lease of run {}; it expires by itself: {}", runId, e.toString());
        }
    }

    @Override
    public String toString() {
        return "DynamoDbJournalWriter{run " + runId + ", holder " + holder + ", next line " + nextSeq
                + (lost != null ? ", lease lost" : "") + (closed ? ", closed" : "") + "}";
    }
}
