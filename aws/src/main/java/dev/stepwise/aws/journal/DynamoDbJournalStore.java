package dev.stepwise.aws.journal;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.journal.JournalException;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.journal.JournalWriter;
import dev.stepwise.core.journal.RunJournal;
import dev.stepwise.core.run.TimeSource;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * Run journals in one DynamoDB table, with a lease so that two runners never drive the same run at once.
 *
 * <h2>Table</h2>
 * Partition key {@code runId} (string), sort key {@code seq} (number). Each journal line is one item
 * ({@code seq} 0, 1, 2 … in append order, the line in attribute {@code line}); each run also has one lease
 * item at {@code seq = -1} ({@code holder}, {@code expiresAt} in epoch milliseconds, {@code createdAt}). The
 * table is checked on first use; a missing table is created (on-demand billing) only when
 * {@link Builder#createTableIfMissing(boolean)} is set, otherwise the store fails with a message saying how
 * to create it.
 *
 * <h2>Lease rules</h2>
 * <ul>
 *   <li>{@code open(runId, true)} creates the lease item only if the run has none (a conditional put on
 *       {@code attribute_not_exists}): a run id already used anywhere fails.</li>
 *   <li>{@code open(runId, false)} takes the lease only if the run exists and nobody holds it: the lease was
 *       released, or its {@code expiresAt} is at or before now on this store's clock (a conditional update).
 *       Otherwise a {@link JournalLeaseException} names the holder and when its lease expires.</li>
 *   <li>Every append is one transaction that renews the lease ({@code expiresAt = now + leaseDuration}) on the
 *       condition that this writer still holds it and it has not expired, and puts the line at the next
 *       sequence number on the condition that no line has it. A writer whose lease expired or was taken
 *       cannot append: it gets a {@link JournalLeaseException} and the run stops (it can be resumed).</li>
 *   <li>While a writer is open, a heartbeat renews the lease every {@link Builder#heartbeat(Duration)} (by
 *       default a third of the lease), on the same condition, so a step that runs longer than the lease
 *       does not lose it. A heartbeat that finds the lease lost makes the next append fail.</li>
 *   <li>{@code close()} releases the lease (only if this writer still holds it), so the next runner can
 *       take it at once. A runner that dies stops renewing; its lease expires {@code leaseDuration} after
 *       its last renewal, and the next runner can take it and resume.</li>
 * </ul>
 * A runner's resume takes the lease first and reads the journal under it. A caller that reads first and opens
 * after is protected too: if, on the same thread, the journal grew between this store's {@link #read(String)} and
 * {@code open(runId, false)} (its runner appended its last lines and released the lease in between), the open is
 * refused, so a runner never drives a run from a stale reading. A reading taken while this thread's writer held
 * the lease is current by construction and is forgotten when that writer closes.
 * Expiry is compared with the clock of the runner that takes or renews the lease, so the machines' clocks
 * must agree to well within the lease duration; the holder condition on every write means a runner that
 * paused past its lease (and lost it) can never write again.
 *
 * <h2>Cost</h2>
 * Each line is a {@code TransactWriteItems} of two items (two write units each, as for any transaction);
 * a heartbeat is one conditional update; {@link #read(String)} is one strongly consistent query per 1 MB of
 * journal. {@link #runIds()} is a full-table {@code Scan}: it reads every line of every journal and keeps
 * only the lease items, so its cost grows with the whole table; use it for occasional listing, not in a loop.
 * An item is limited to 400 KB, so a journal line (an output) larger than {@value #MAX_LINE_BYTES} bytes is
 * refused with a {@link JournalException}.
 *
 * <pre>{@code
 * try (AwsContext aws = AwsContext.builder().region("eu-west-1").build();
 *      DynamoDbJournalStore journals = DynamoDbJournalStore.builder(aws)
 *              .table("stepwise-journals").leaseDuration(Duration.ofMinutes(5)).build()) {
 *     Runner runner = Runner.create().withJournal(journals);
 *     RunResult r = runner.run(plan, inputs);
 *     // after a crash, on any machine, once the lease has expired:
 *     RunResult resumed = runner.resume(plan, r.runId(), Inputs.empty(), Set.of());
 * }
 * }</pre>
 *
 * <p>Thread-safe. Closing the store closes the DynamoDB client only if the store created it (from an
 * {@link AwsContext}). Hand-written rather than generated because it is a resource that owns that client, not a
 * value; {@link #toBuilder()} starts a second store from its settings.
 */
public final class DynamoDbJournalStore implements JournalStore, AutoCloseable {
    /** The largest journal line stored, in UTF-8 bytes; DynamoDB items are limited to 400 KB. */
    public static final int MAX_LINE_BYTES = 390_000;

    static final String RUN_ID = "runId";
    static final String SEQ = "seq";
    static final String LINE = "line";
    static final String HOLDER = "holder";
    static final String EXPIRES_AT = "expiresAt";
    static final String CREATED_AT = "createdAt";
    static final long LEASE_SEQ = -1;

    private static final Pattern RUN_ID_RULE = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    private static final Pattern TABLE_RULE = Pattern.compile("[A-Za-z0-9_.-]{3,255}");

    private final AwsContext aws;
    private final DynamoDbClient givenClient;
    private final Duration givenHeartbeat;
    private final DynamoDbClient client;
    private final boolean ownsClient;
    private final String table;
    private final Duration leaseDuration;
    private final Duration heartbeat;
    private final TimeSource time;
    private final String holderName;
    private final boolean createTable;
    private volatile boolean tableReady;
    /** Per thread: how many lines the last {@link #read} of each run returned, checked by the next resume. */
    private final ThreadLocal<Map<String, Long>> linesRead = ThreadLocal.withInitial(HashMap::new);

    private DynamoDbJournalStore(Builder b) {
        this.aws = b.aws;
        this.givenClient = b.client;
        this.givenHeartbeat = b.heartbeat;
        this.client = b.client != null ? b.client
                : b.aws.configure(DynamoDbClient.builder()).credentialsProvider(b.aws.credentials()).build();
        this.ownsClient = b.client == null;
        this.table = b.table;
        this.leaseDuration = b.leaseDuration;
        this.heartbeat = b.heartbeat != null ? b.heartbeat : leaseDuration.dividedBy(3);
        this.time = b.time;
        this.holderName = b.holderName != null ? b.holderName : defaultHolderName();
        this.createTable = b.createTable;
    }

    /** A builder whose DynamoDB client uses the context's region, endpoint, retries and credentials. */
    public static Builder builder(AwsContext aws) {
        return new Builder(Objects.requireNonNull(aws, "aws"), null);
    }

    /** A builder that uses a client you made (and close). */
    public static Builder builder(DynamoDbClient client) {
        return new Builder(null, Objects.requireNonNull(client, "client"));
    }

    /**
     * A builder holding this store's settings, for a second store that differs in one
     * ({@code journals.toBuilder().table("other").build()}); it gets its own client unless this store was built on
     * a client you made, which it shares. A heartbeat left to its default stays a third of the lease.
     */
    public Builder toBuilder() {
        Builder b = new Builder(aws, givenClient).table(table).leaseDuration(leaseDuration).timeSource(time)
                .holderName(holderName).createTableIfMissing(createTable);
        if (givenHeartbeat != null) {
            b.heartbeat(givenHeartbeat);
        }
        return b;
    }

    public String table() {
        return table;
    }

    public Duration leaseDuration() {
        return leaseDuration;
    }

    /** How often an open writer renews its lease; {@link Duration#ZERO} when it renews only on append. */
    public Duration heartbeat() {
        return heartbeat;
    }

    /** The name this store's writers put in their holder ids ({@code <name>/<random>}). */
    public String holderName() {
        return holderName;
    }

    @Override
    public JournalWriter open(String runId, boolean create) {
        checkRunId(runId);
        ensureTable();
        String holder = holderName + "/" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = time.now();
        long expires = now.plus(leaseDuration).toEpochMilli();
        try {
            if (create) {
                client.putItem(r -> r.tableName(table)
                        .item(Map.of(RUN_ID, s(runId), SEQ, n(LEASE_SEQ), HOLDER, s(holder), EXPIRES_AT, n(expires),
                                CREATED_AT, n(now.toEpochMilli())))
                        .conditionExpression("attribute_not_exists(#r)")
                        .expressionAttributeNames(Map.of("#r", RUN_ID)));
            } else {
                client.updateItem(r -> r.tableName(table).key(leaseKey(runId))
                        .updateExpression("SET #h = :me, #e = :exp")
                        .conditionExpression("attribute_exists(#r) AND (attribute_not_exists(#h) OR #e <= :now)")
                        .expressionAttributeNames(Map.of("#r", RUN_ID, "#h", HOLDER, "#e", EXPIRES_AT))
                        .expressionAttributeValues(Map.of(":me", s(holder), ":exp", n(expires),
                                ":now", n(now.toEpochMilli()))));
            }
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> lease = lease(runId);
            if (lease.isEmpty()) {
                throw new JournalException("No journal for run " + runId + " in DynamoDB table " + table);
            }
            if (create) {
                throw new JournalException("A journal for run " + runId + " already exists in DynamoDB table " + table);
            }
            throw held(runId, lease, "this runner cannot drive it until the lease is released or expires");
        } catch (SdkException e) {
            throw new JournalException("The lease of run " + runId + " in DynamoDB table " + table
                    + " could not be taken: " + e.getMessage(), e);
        }
        long next;
        try {
            var last = client.query(r -> r.tableName(table).consistentRead(true).scanIndexForward(false).limit(1)
                    .keyConditionExpression("#r = :r").expressionAttributeNames(Map.of("#r", RUN_ID))
                    .expressionAttributeValues(Map.of(":r", s(runId)))).items();
            next = last.isEmpty() ? 0 : Long.parseLong(last.get(0).get(SEQ).n()) + 1;
        } catch (SdkException e) {
            release(runId, holder);
            throw new JournalException("The journal of run " + runId + " in DynamoDB table " + table
                    + " could not be read: " + e.getMessage(), e);
        }
        Long read = create ? null : linesRead.get().remove(runId);
        if (read != null && read != next) {
            release(runId, holder);
            throw new JournalException("The journal of run " + runId + " in DynamoDB table " + table + " grew from "
                    + read + " to " + next + " lines between reading it and taking its lease: another runner was "
                    + "still writing it; read it again before resuming");
        }
        return new DynamoDbJournalWriter(this, runId, holder, next);
    }

    @Override
    public RunJournal read(String runId) {
        checkRunId(runId);
        ensureTable();
        List<String> lines = new ArrayList<>();
        try {
            client.queryPaginator(r -> r.tableName(table).consistentRead(true)
                            .keyConditionExpression("#r = :r AND #s >= :zero")
                            .expressionAttributeNames(Map.of("#r", RUN_ID, "#s", SEQ))
                            .expressionAttributeValues(Map.of(":r", s(runId), ":zero", n(0))))
                    .items().forEach(item -> lines.add(item.get(LINE).s()));
            if (lines.isEmpty() && lease(runId).isEmpty()) {
                throw new JournalException("No journal for run " + runId + " in DynamoDB table " + table);
            }
        } catch (SdkException e) {
            throw new JournalException("The journal of run " + runId + " in DynamoDB table " + table
                    + " could not be read: " + e.getMessage(), e);
        }
        linesRead.get().put(runId, (long) lines.size());
        return RunJournal.parse(runId, lines);
    }

    /** Whether run {@code runId} has a journal here: one strongly consistent read of its lease item. */
    @Override
    public boolean exists(String runId) {
        ensureTable();
        try {
            return !lease(runId).isEmpty();
        } catch (SdkException e) {
            throw new JournalException("DynamoDB table " + table + " could not be read: " + e.getMessage(), e);
        }
    }

    /**
     * The runs in the table, oldest first (by when their journal was created). A full-table {@code Scan}:
     * it reads every item of every journal, so its cost grows with the whole table.
     */
    @Override
    public List<String> runIds() {
        ensureTable();
        record Run(String id, long created) {
        }
        List<Run> runs = new ArrayList<>();
        try {
            client.scanPaginator(r -> r.tableName(table).consistentRead(true)
                            .filterExpression("#s = :lease").projectionExpression("#r, #c")
                            .expressionAttributeNames(Map.of("#s", SEQ, "#r", RUN_ID, "#c", CREATED_AT))
                            .expressionAttributeValues(Map.of(":lease", n(LEASE_SEQ))))
                    .items().forEach(item -> runs.add(new Run(item.get(RUN_ID).s(),
                            item.containsKey(CREATED_AT) ? Long.parseLong(item.get(CREATED_AT).n()) : 0)));
        } catch (SdkException e) {
            throw new JournalException("The runs in DynamoDB table " + table + " could not be listed: " + e.getMessage(), e);
        }
        return runs.stream().sorted(Comparator.comparingLong(Run::created).thenComparing(Run::id)).map(Run::id).toList();
    }

    /** Closes the DynamoDB client if this store created it. Open writers should be closed first. */
    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }

    @Override
    public String toString() {
        return "DynamoDbJournalStore{table=" + table + ", lease=" + leaseDuration + ", heartbeat=" + heartbeat
                + ", holder=" + holderName + "}";
    }

    // --- used by the writer -------------------------------------------------------------------------------

    DynamoDbClient client() {
        return client;
    }

    TimeSource time() {
        return time;
    }

    Map<String, AttributeValue> leaseKey(String runId) {
        return Map.of(RUN_ID, s(runId), SEQ, n(LEASE_SEQ));
    }

    /** The lease item as DynamoDB has it now (strongly consistent), or an empty map when the run has none. */
    Map<String, AttributeValue> lease(String runId) {
        var item = client.getItem(r -> r.tableName(table).key(leaseKey(runId)).consistentRead(true));
        return item.hasItem() ? item.item() : Map.of();
    }

    /** Forgets this thread's last reading of {@code runId}: one taken under this thread's own lease is not stale. */
    void forgetReading(String runId) {
        linesRead.get().remove(runId);
    }

    /** Why the lease of {@code runId} is not ours, from its lease item. */
    JournalLeaseException held(String runId, Map<String, AttributeValue> lease, String consequence) {
        String holder = lease.containsKey(HOLDER) ? lease.get(HOLDER).s() : null;
        Instant expires = lease.containsKey(EXPIRES_AT) ? Instant.ofEpochMilli(Long.parseLong(lease.get(EXPIRES_AT).n()))
                : null;
        Instant now = time.now();
        if (holder == null) {
            return new JournalLeaseException("Run " + runId + " is not leased to anyone in DynamoDB table " + table
                    + " (the lease was released): " + consequence, null, null);
        }
        String when = expires.isAfter(now) ? "its lease expires at " + expires + " (in " + Duration.between(now, expires)
                + " by this runner's clock) unless renewed" : "its lease expired at " + expires;
        return new JournalLeaseException("Run " + runId + " is leased to " + holder + " in DynamoDB table " + table
                + "; " + when + ": " + consequence, holder, expires);
    }

    /** Releases the lease if {@code holder} still has it; a lease already lost stays with whoever has it. */
    void release(String runId, String holder) {
        try {
            client.updateItem(r -> r.tableName(table).key(leaseKey(runId))
                    .updateExpression("REMOVE #h SET #e = :zero")
                    .conditionExpression("#h = :me")
                    .expressionAttributeNames(Map.of("#h", HOLDER, "#e", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":me", s(holder), ":zero", n(0))));
        } catch (ConditionalCheckFailedException e) {
            // someone else holds it now: nothing of ours to release
        }
    }

    String tableName() {
        return table;
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    static int utf8Length(String line) {
        return line.getBytes(StandardCharsets.UTF_8).length;
    }

    // --- table ------------------------------------------------------------------------------------------------

    private void ensureTable() {
        if (tableReady) {
            return;
        }
        synchronized (this) {
            if (tableReady) {
                return;
            }
            TableDescription t;
            try {
                t = client.describeTable(r -> r.tableName(table)).table();
            } catch (ResourceNotFoundException e) {
                if (!createTable) {
                    throw new JournalException("DynamoDB table " + table + " does not exist: create it with partition key "
                            + RUN_ID + " (string) and sort key " + SEQ + " (number), or build the store with "
                            + "createTableIfMissing(true)", e);
                }
                t = create();
            } catch (SdkException e) {
                throw new JournalException("DynamoDB table " + table + " could not be described: " + e.getMessage(), e);
            }
            checkSchema(t);
            tableReady = true;
        }
    }

    private TableDescription create() {
        try {
            client.createTable(r -> r.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName(RUN_ID).attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName(SEQ).attributeType(ScalarAttributeType.N).build())
                    .keySchema(KeySchemaElement.builder().attributeName(RUN_ID).keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName(SEQ).keyType(KeyType.RANGE).build()));
        } catch (ResourceInUseException e) {
            // another runner created it at the same moment
        } catch (SdkException e) {
            throw new JournalException("DynamoDB table " + table + " could not be created: " + e.getMessage(), e);
        }
        try {
            return client.waiter().waitUntilTableExists(r -> r.tableName(table)).matched().response()
                    .orElseThrow(() -> new JournalException("DynamoDB table " + table + " did not become active"))
                    .table();
        } catch (SdkException e) {
            throw new JournalException("DynamoDB table " + table + " did not become active: " + e.getMessage(), e);
        }
    }

    private void checkSchema(TableDescription t) {
        List<String> keys = t.keySchema().stream().map(k -> k.attributeName() + " " + k.keyTypeAsString()).toList();
        List<String> types = t.attributeDefinitions().stream()
                .filter(a -> a.attributeName().equals(RUN_ID) || a.attributeName().equals(SEQ))
                .map(a -> a.attributeName() + " " + a.attributeTypeAsString()).sorted().toList();
        if (!keys.equals(List.of(RUN_ID + " HASH", SEQ + " RANGE")) || !types.equals(List.of(RUN_ID + " S", SEQ + " N"))) {
            throw new JournalException("DynamoDB table " + table + " has key schema " + keys + " " + types
                    + ", not partition key " + RUN_ID + " (string) and sort key " + SEQ + " (number): it is not a "
                    + "Stepwise journal table");
        }
    }

    private static void checkRunId(String runId) {
        Objects.requireNonNull(runId, "runId");
        if (!RUN_ID_RULE.matcher(runId).matches()) {
            throw new PlanValidationException("DynamoDbJournalStore", List.of("runId \"" + runId + "\" does not match "
                    + RUN_ID_RULE.pattern()));
        }
    }

    private static String defaultHolderName() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            String jvm = ManagementFactory.getRuntimeMXBean().getName(); // pid@host
            host = jvm.contains("@") ? jvm.substring(jvm.indexOf('@') + 1) : "unknown-host";
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    /**
     * Builds a {@link DynamoDbJournalStore}; {@link #build()} makes no call to AWS. A bad value is recorded and
     * reported by {@link #build()} with every other problem, in one {@link PlanValidationException}; a later valid
     * value for the same setting replaces it. Not thread-safe.
     */
    public static final class Builder {
        private final AwsContext aws;
        private final DynamoDbClient client;
        private String table = "stepwise-journals";
        private Duration leaseDuration = Duration.ofMinutes(5);
        private Duration heartbeat;
        private TimeSource time = TimeSource.system();
        private String holderName;
        private boolean createTable;
        /** Problems found by the setters, by setting, so that a later good value clears a bad one. */
        private final Map<String, String> problems = new LinkedHashMap<>();

        private Builder(AwsContext aws, DynamoDbClient client) {
            this.aws = aws;
            this.client = client;
        }

        private boolean record(String setting, String problem) {
            problems.remove(setting);
            if (problem != null) {
                problems.put(setting, problem);
            }
            return problem == null;
        }

        /** The table (default {@code stepwise-journals}): 3 to 255 of {@code A-Z a-z 0-9 _ . -}. */
        public Builder table(String table) {
            Objects.requireNonNull(table, "table");
            if (record("table", TABLE_RULE.matcher(table).matches() ? null : "table \"" + table + "\" must be a "
                    + "DynamoDB table name: 3 to 255 characters of A-Z a-z 0-9 _ . - (" + TABLE_RULE.pattern() + ")")) {
                this.table = table;
            }
            return this;
        }

        /**
         * How long a lease lasts after it is taken or renewed (default 5 minutes): how long a run whose runner
         * died stays locked. Must be positive, and longer than the heartbeat (checked by {@link #build()}, so the
         * two can be set in either order).
         */
        public Builder leaseDuration(Duration leaseDuration) {
            this.leaseDuration = Objects.requireNonNull(leaseDuration, "leaseDuration");
            return this;
        }

        /**
         * How often an open writer renews its lease in the background (default a third of the lease duration);
         * {@link Duration#ZERO} renews only on append, which lets a step longer than the lease lose it. Must
         * be zero or positive and shorter than the lease duration (checked by {@link #build()}).
         */
        public Builder heartbeat(Duration heartbeat) {
            this.heartbeat = Objects.requireNonNull(heartbeat, "heartbeat");
            return this;
        }

        /** The clock leases are taken, renewed and compared on (default the system clock). */
        public Builder timeSource(TimeSource time) {
            this.time = Objects.requireNonNull(time, "timeSource");
            return this;
        }

        /**
         * The name that identifies this runner in holder ids and in the messages other runners get (default
         * {@code <host>-<pid>}): 1 to 200 printable characters.
         */
        public Builder holderName(String holderName) {
            Objects.requireNonNull(holderName, "holderName");
            boolean ok = !holderName.isBlank() && holderName.length() <= 200
                    && holderName.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
            if (record("holderName", ok ? null : "holderName \"" + holderName + "\" must be 1 to 200 printable ASCII "
                    + "characters, not blank")) {
                this.holderName = holderName;
            }
            return this;
        }

        /** Whether a missing table is created (on-demand billing) on first use (default false: it must exist). */
        public Builder createTableIfMissing(boolean create) {
            this.createTable = create;
            return this;
        }

        /**
         * The store; makes no call to AWS.
         *
         * @throws PlanValidationException listing every problem: a malformed table or holder name, a lease that is
         *                                 not positive, a heartbeat that is negative or not shorter than the lease
         */
        public DynamoDbJournalStore build() {
            List<String> all = new ArrayList<>(problems.values());
            if (leaseDuration.isNegative() || leaseDuration.isZero()) {
                all.add("leaseDuration " + leaseDuration + " must be positive");
            }
            if (heartbeat != null && heartbeat.isNegative()) {
                all.add("heartbeat " + heartbeat + " must be zero (off) or positive");
            } else if (heartbeat != null && heartbeat.compareTo(leaseDuration) >= 0) {
                all.add("heartbeat " + heartbeat + " must be shorter than leaseDuration " + leaseDuration);
            }
            if (!all.isEmpty()) {
                throw new PlanValidationException("DynamoDbJournalStore", all);
            }
            return new DynamoDbJournalStore(this);
        }
    }
}
