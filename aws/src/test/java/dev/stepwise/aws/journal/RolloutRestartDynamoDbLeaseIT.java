package dev.stepwise.aws.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.journal.JournalEntry;
import dev.stepwise.core.journal.RolloutJournal;
import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.rollout.Wave;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two runners on two machines resume one parked rollout through the DynamoDB store at once: the rollout's lease lets
 * one proceed and refuses the other, naming the holder, before the refused one does anything.
 */
class RolloutRestartDynamoDbLeaseIT extends LeasedDynamoDbTest {
    static final Key<String> HOST = Key.of("host", String.class);

    private final Map<String, AtomicInteger> patched = new ConcurrentHashMap<>();

    @Test
    void resume_byTwoRunnersAtOnce_oneProceedsAndTheOtherIsRefusedNamingTheHolder() throws Exception {
        CountDownLatch inProduction = new CountDownLatch(1);
        CompletableFuture<Void> release = new CompletableFuture<>();
        Plan plan = Plan.builder("patch-host").input(Input.required(HOST))
                .step(Step.mutating("patch").reads(HOST).run(ctx -> {
                    patched.computeIfAbsent(ctx.get(HOST), k -> new AtomicInteger()).incrementAndGet();
                    if (ctx.get(HOST).startsWith("prod")) {
                        inProduction.countDown();
                        release.get(30, TimeUnit.SECONDS);
                    }
                }))
                .build();
        Rollout rollout = Rollout.builder("monthly", plan).inputs(t -> Inputs.of(HOST, t))
                .wave(Wave.builder("non-production").targets("dev-1").build())
                .soak(Duration.ofDays(7))
                .wave(Wave.builder("production").targets("prod-1").build())
                .build();
        Runner a = Runner.create().withTimeSource(clock).withJournal(store("runner-a")).parkLongerThan(Duration.ofHours(1));
        Runner b = Runner.create().withTimeSource(clock).withJournal(store("runner-b")).parkLongerThan(Duration.ofHours(1));
        RolloutResult parked = a.run(rollout);
        assertThat(parked.status()).isEqualTo(RolloutStatus.WAITING);
        clock.advance(Duration.ofDays(7));

        CompletableFuture<RolloutResult> first = CompletableFuture.supplyAsync(() -> a.resume(rollout, parked.rolloutId()));
        assertThat(inProduction.await(30, TimeUnit.SECONDS)).as("runner a reached production").isTrue();
        try {
            assertThatThrownBy(() -> b.resume(rollout, parked.rolloutId()))
                    .isInstanceOf(JournalLeaseException.class)
                    .hasMessageContaining(RolloutJournal.journalId(parked.rolloutId()))
                    .hasMessageContaining("is leased to runner-a/")
                    .satisfies(e -> assertThat(((JournalLeaseException) e).holder())
                            .hasValueSatisfying(h -> assertThat(h).startsWith("runner-a/")));
        } finally {
            release.complete(null);
        }
        RolloutResult done = first.get(60, TimeUnit.SECONDS);

        assertThat(done.status()).as(done.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(patched.values()).as("no target acted twice").allSatisfy(n -> assertThat(n).hasValue(1));
        long resumes = RolloutJournal.read(store("reader"), parked.rolloutId()).entries().stream()
                .filter(e -> e instanceof JournalEntry.RolloutResumed).count();
        assertThat(resumes).as("the refused runner wrote nothing").isEqualTo(1);
    }
}
