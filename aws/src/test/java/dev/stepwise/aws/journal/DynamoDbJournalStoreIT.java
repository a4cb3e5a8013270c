package dev.stepwise.aws.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.journal.CrashingJournalStore;
import dev.stepwise.core.journal.JournalEntry;
import dev.stepwise.core.journal.JournalException;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.journal.JournalWriter;
import dev.stepwise.core.journal.RunJournal;
import dev.stepwise.core.plan.Effect;
import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The DynamoDB journal store's own behaviour against Moto's DynamoDB: the lease between runners. What every store
 * does is in {@link DynamoDbJournalStoreContractIT}.
 */
class DynamoDbJournalStoreIT extends LeasedDynamoDbTest {
    static final Key<String> HOST = Key.of("host", String.class);
    static final Key<String> TOKEN = Key.secret("token", String.class);
    static final Key<String> IMAGE = Key.of("image", String.class);

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    private int calls(String step) {
        return calls.getOrDefault(step, new AtomicInteger()).get();
    }

    private Plan plan() {
        return Plan.builder("durable")
                .input(Input.required(HOST))
                .input(Input.required(TOKEN))
                .step(Step.mutating("backup").output(IMAGE).action(ctx -> "ami-" + call("backup")))
                .step(Step.mutating("install").reads(IMAGE).run(ctx -> call("install")))
                .step(Step.mutating("verify").run(ctx -> call("verify")))
                .build();
    }

    private int call(String step) {
        return calls.computeIfAbsent(step, k -> new AtomicInteger()).incrementAndGet();
    }

    private Runner runner(JournalStore store) {
        return Runner.create().withTimeSource(clock).withJournal(store);
    }

    private static Inputs inputs() {
        return Inputs.of(HOST, "db-1", TOKEN, "s3cr3t-t0ken");
    }

    private static JournalEntry started() {
        return new JournalEntry.RunStarted(Instant.EPOCH, "run-1", "p", "f", null, Map.of(), List.of());
    }

    private static JournalEntry stepStarted(int row, String name) {
        return new JournalEntry.StepStarted(Instant.EPOCH, row, name, Effect.MUTATING);
    }

    private static JournalEntry resumed() {
        return new JournalEntry.RunResumed(Instant.EPOCH);
    }

    @Test
    void open_whenTwoRunnersRaceForOneLease_exactlyOneWins() throws Exception {
        DynamoDbJournalStore a = store("runner-a");
        DynamoDbJournalStore b = store("runner-b");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 8; round++) {
                String runId = "race-" + round;
                try (JournalWriter w = a.open(runId, true)) {
                    w.append(started(), true);
                }
                CountDownLatch go = new CountDownLatch(1);
                Future<JournalWriter> fa = pool.submit(() -> {
                    go.await();
                    return a.open(runId, false);
                });
                Future<JournalWriter> fb = pool.submit(() -> {
                    go.await();
                    return b.open(runId, false);
                });
                go.countDown();
                List<JournalWriter> won = new ArrayList<>();
                List<Throwable> lost = new ArrayList<>();
                for (Future<JournalWriter> f : List.of(fa, fb)) {
                    try {
                        won.add(f.get(30, TimeUnit.SECONDS));
                    } catch (java.util.concurrent.ExecutionException e) {
                        lost.add(e.getCause());
                    }
                }

                assertThat(won).as("round %d: winners", round).hasSize(1);
                assertThat(lost).as("round %d: losers", round).singleElement()
                        .isInstanceOfSatisfying(JournalLeaseException.class, e -> {
                            String winner = ((DynamoDbJournalWriter) won.get(0)).holder();
                            assertThat(e.holder()).contains(winner);
                            assertThat(e.expiresAt()).contains(clock.now().plus(LEASE));
                            assertThat(e).hasMessageContaining("is leased to " + winner)
                                    .hasMessageContaining("expires at " + clock.now().plus(LEASE));
                        });
                won.get(0).close();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void open_whenTwoRunnersRaceToCreateOneRun_exactlyOneCreatesIt() throws Exception {
        DynamoDbJournalStore a = store("runner-a");
        DynamoDbJournalStore b = store("runner-b");
        a.runIds(); // creates the table before the race
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 8; round++) {
                String runId = "create-" + round;
                CountDownLatch go = new CountDownLatch(1);
                List<Future<JournalWriter>> futures = new ArrayList<>();
                for (DynamoDbJournalStore s : List.of(a, b)) {
                    futures.add(pool.submit(() -> {
                        go.await();
                        return s.open(runId, true);
                    }));
                }
                go.countDown();
                List<JournalWriter> won = new ArrayList<>();
                List<Throwable> lost = new ArrayList<>();
                for (Future<JournalWriter> f : futures) {
                    try {
                        won.add(f.get(30, TimeUnit.SECONDS));
                    } catch (java.util.concurrent.ExecutionException e) {
                        lost.add(e.getCause());
                    }
                }
                assertThat(won).as("round %d: winners", round).hasSize(1);
                assertThat(lost).as("round %d: losers", round).singleElement().isInstanceOf(JournalException.class)
                        .extracting(Throwable::getMessage).asString()
                        .contains("A journal for run " + runId + " already exists in DynamoDB table journals");
                won.get(0).close();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void resume_afterTheHolderDiedAndItsLeaseExpired_otherRunnerTakesItAndResumes() {
        DynamoDbJournalStore a = store("runner-a");
        DynamoDbJournalStore b = store("runner-b");
        String runId = runner(CrashingJournalStore.afterStepSucceeded(a, "backup").leavingLeasesHeld()).run(plan(), inputs()).runId();
        calls.clear();

        clock.advance(LEASE.minusSeconds(1));
        assertThatThrownBy(() -> runner(b).resume(plan(), runId, Inputs.of(TOKEN, "t"), Set.of()))
                .isInstanceOfSatisfying(JournalLeaseException.class, e -> {
                    assertThat(e.holder()).hasValueSatisfying(h -> assertThat(h).startsWith("runner-a/"));
                    assertThat(e.expiresAt()).contains(VirtualTimeSource.DEFAULT_START.plus(LEASE));
                })
                .hasMessageContaining("is leased to runner-a/")
                .hasMessageContaining("expires at " + VirtualTimeSource.DEFAULT_START.plus(LEASE) + " (in PT1S");
        assertThat(calls("backup") + calls("install") + calls("verify")).as("the refused runner did nothing").isZero();

        clock.advance(Duration.ofSeconds(1));
        RunResult resumed = runner(b).resume(plan(), runId, Inputs.of(TOKEN, "t"), Set.of());

        assertThat(resumed.status()).as(resumed.toString()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(calls("backup")).as("the backup is not made twice").isZero();
        assertThat(calls("install")).isEqualTo(1);
        assertThat(resumed.output(IMAGE)).contains("ami-1");
    }

    @Test
    void append_afterAnotherRunnerTookTheExpiredLease_throwsAndWritesNothing() throws IOException {
        DynamoDbJournalStore a = store("runner-a");
        DynamoDbJournalWriter first = (DynamoDbJournalWriter) a.open("run-1", true);
        first.append(started(), true);
        clock.advance(LEASE);
        JournalWriter second = store("runner-b").open("run-1", false);
        String secondHolder = ((DynamoDbJournalWriter) second).holder();

        assertThatThrownBy(() -> first.append(stepStarted(0, "late"), true))
                .isInstanceOfSatisfying(JournalLeaseException.class,
                        e -> assertThat(e.holder()).contains(secondHolder))
                .hasMessageContaining("is leased to " + secondHolder)
                .hasMessageContaining("this writer (" + first.holder() + ") lost its lease");
        second.append(stepStarted(0, "fresh"), true);
        first.close();
        assertThatThrownBy(() -> store("runner-c").open("run-1", false))
                .as("closing the writer that lost the lease does not release the new holder's")
                .isInstanceOf(JournalLeaseException.class);

        RunJournal j = a.read("run-1");
        assertThat(j.rows().get(0).name()).as("only the holder's line is in the journal").isEqualTo("fresh");
        second.close();
    }

    @Test
    void append_afterOwnLeaseExpired_throwsEvenIfNobodyTookIt() throws IOException {
        DynamoDbJournalStore a = store("runner-a");
        DynamoDbJournalWriter w = (DynamoDbJournalWriter) a.open("run-1", true);
        w.append(started(), true);
        clock.advance(LEASE);

        assertThatThrownBy(() -> w.append(resumed(), true))
                .isInstanceOf(JournalLeaseException.class)
                .hasMessageContaining("The lease of " + w.holder() + " on run run-1 expired at "
                        + VirtualTimeSource.DEFAULT_START.plus(LEASE));
        assertThatThrownBy(() -> w.append(resumed(), true))
                .as("a writer that lost its lease stays stopped").isInstanceOf(JournalLeaseException.class);
        w.close();
        assertThat(a.read("run-1").status()).isEmpty();
    }

    @Test
    void append_renewsTheLease_soItOutlivesTheFirstLeaseDuration() throws IOException {
        DynamoDbJournalStore a = store("runner-a");
        try (JournalWriter w = a.open("run-1", true)) {
            w.append(started(), true);
            clock.advance(LEASE.minusSeconds(1));
            w.append(stepStarted(0, "a"), true);
            clock.advance(LEASE.minusSeconds(1));

            assertThatThrownBy(() -> store("runner-b").open("run-1", false)).isInstanceOf(JournalLeaseException.class);
            w.append(stepStarted(1, "b"), true);
        }
        assertThat(a.read("run-1").rows()).containsOnlyKeys(0, 1);
    }

    @Test
    void renew_beforeExpiry_keepsOtherRunnersOut() throws IOException {
        DynamoDbJournalStore a = store("runner-a");
        try (DynamoDbJournalWriter w = (DynamoDbJournalWriter) a.open("run-1", true)) {
            clock.advance(LEASE.minusSeconds(1));
            w.renew();
            clock.advance(LEASE.minusSeconds(1));

            assertThatThrownBy(() -> store("runner-b").open("run-1", false)).isInstanceOf(JournalLeaseException.class)
                    .hasMessageContaining("expires at " + clock.now().plusSeconds(1));
        }
    }

    @Test
    void close_releasesTheLease_soTheNextRunnerTakesItAtOnce() throws IOException {
        DynamoDbJournalStore a = store("runner-a");
        a.open("run-1", true).close();

        try (JournalWriter w = store("runner-b").open("run-1", false)) {
            assertThat(((DynamoDbJournalWriter) w).holder()).startsWith("runner-b/");
        }
    }

    @Test
    void open_whenTheRunHasNoJournal_throwsNamingRunAndTable() {
        DynamoDbJournalStore a = store("runner-a");
        assertThatThrownBy(() -> a.open("nope", false)).isInstanceOf(JournalException.class)
                .hasMessage("No journal for run nope in DynamoDB table journals");
        assertThatThrownBy(() -> a.read("nope")).isInstanceOf(JournalException.class)
                .hasMessage("No journal for run nope in DynamoDB table journals");
    }

    @Test
    void open_createWhenTheRunExists_throws() throws IOException {
        DynamoDbJournalStore a = store("runner-a");
        a.open("run-1", true).close();
        assertThatThrownBy(() -> store("runner-b").open("run-1", true)).isInstanceOf(JournalException.class)
                .hasMessage("A journal for run run-1 already exists in DynamoDB table journals");
    }

    @Test
    void read_whenTheTableIsMissingAndNotToBeCreated_throwsSayingHowToCreateIt() {
        DynamoDbJournalStore s = DynamoDbJournalStore.builder(aws).table("missing-table").build();
        stores.add(s);
        assertThatThrownBy(() -> s.read("run-1")).isInstanceOf(JournalException.class)
                .hasMessageContaining("DynamoDB table missing-table does not exist")
                .hasMessageContaining("partition key runId (string) and sort key seq (number)")
                .hasMessageContaining("createTableIfMissing(true)");
    }

    @Test
    void open_whenTheTableHasAnotherKeySchema_throwsNamingIt() {
        try (var ddb = aws.configure(software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder())
                .credentialsProvider(aws.credentials()).build()) {
            ddb.createTable(r -> r.tableName("other").billingMode("PAY_PER_REQUEST")
                    .attributeDefinitions(a -> a.attributeName("id").attributeType("S"))
                    .keySchema(k -> k.attributeName("id").keyType("HASH")));
        }
        DynamoDbJournalStore s = DynamoDbJournalStore.builder(aws).table("other").build();
        stores.add(s);
        assertThatThrownBy(() -> s.open("run-1", true)).isInstanceOf(JournalException.class)
                .hasMessageContaining("DynamoDB table other has key schema [id HASH]")
                .hasMessageContaining("not a Stepwise journal table");
    }

    @Test
    void runIds_listsEveryRunOldestFirst() throws IOException {
        DynamoDbJournalStore a = store("runner-a");
        for (String id : List.of("zeta", "alpha", "mid")) {
            try (JournalWriter w = a.open(id, true)) {
                w.append(started(), true);
            }
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(a.runIds()).containsExactly("zeta", "alpha", "mid");
    }

    @Test
    void open_whenAnotherRunnerContinuesTheRun_appendsAfterTheLastLine() throws IOException {
        DynamoDbJournalStore a = store("runner-a");
        try (JournalWriter w = a.open("run-1", true)) {
            w.append(started(), true);
            for (int i = 0; i < 12; i++) {
                w.append(stepStarted(i, "s" + i), true);
            }
        }
        try (JournalWriter w = store("runner-b").open("run-1", false)) {
            w.append(new JournalEntry.RunFinished(Instant.EPOCH, "SUCCEEDED", "", null), true);
        }
        RunJournal j = a.read("run-1");
        assertThat(j.rows()).hasSize(12);
        assertThat(j.rows().get(11).name()).isEqualTo("s11");
        assertThat(j.status()).contains("SUCCEEDED");
    }

    @Test
    void open_whenTheJournalGrewSinceThisThreadReadIt_refusesAndReleasesTheLease() throws IOException {
        DynamoDbJournalStore a = store("runner-a");
        DynamoDbJournalStore b = store("runner-b");
        JournalWriter finishing = a.open("run-1", true);
        finishing.append(started(), true);
        RunJournal stale = b.read("run-1");
        finishing.append(new JournalEntry.RunFinished(Instant.EPOCH, "SUCCEEDED", "", null), true);
        finishing.close();
        assertThat(stale.status()).isEmpty();

        assertThatThrownBy(() -> b.open("run-1", false)).isInstanceOf(JournalException.class)
                .hasMessage("The journal of run run-1 in DynamoDB table journals grew from 1 to 2 lines between reading "
                        + "it and taking its lease: another runner was still writing it; read it again before resuming");
        assertThat(b.read("run-1").status()).contains("SUCCEEDED");
        try (JournalWriter again = b.open("run-1", false)) {
            assertThat(((DynamoDbJournalWriter) again).holder()).as("the refused open released the lease").startsWith("runner-b/");
        }
    }

    @Test
    void heartbeat_whileAWriterIsOpen_renewsTheLeaseWithoutAppends() throws Exception {
        DynamoDbJournalStore a = DynamoDbJournalStore.builder(aws).table("journals").createTableIfMissing(true)
                .leaseDuration(LEASE).heartbeat(Duration.ofMillis(20)).timeSource(clock).holderName("runner-a").build();
        stores.add(a);
        try (JournalWriter w = a.open("run-1", true)) {
            clock.advance(LEASE.minusSeconds(1));
            String renewed = Long.toString(clock.now().plus(LEASE).toEpochMilli());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!renewed.equals(a.lease("run-1").get(DynamoDbJournalStore.EXPIRES_AT).n())
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            clock.advance(Duration.ofSeconds(2));

            assertThatThrownBy(() -> store("runner-b").open("run-1", false))
                    .as("the lease first taken would have expired a second ago; the heartbeat renewed it")
                    .isInstanceOf(JournalLeaseException.class);
        }
    }
}
