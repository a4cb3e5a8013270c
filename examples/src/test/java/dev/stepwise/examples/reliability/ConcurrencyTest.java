package dev.stepwise.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.retry.RetryPolicy;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One {@link Runner}, shared by 8 threads running 25 runs each at once, on the system clock: every result holds
 * its own inputs' outputs, its own run id, and the retries its own steps needed.
 */
class ConcurrencyTest {
    private static final int THREADS = 8;
    private static final int RUNS_PER_THREAD = 25;
    private static final Key<Integer> N = Key.of("N", Integer.class);
    private static final Key<String> OWNER = Key.of("Owner", String.class);
    private static final Key<Integer> DOUBLED = Key.of("doubled", Integer.class);
    private static final Key<String> LABEL = Key.of("label", String.class);

    private static final Plan PLAN = Plan.builder("double-and-label")
            .input(Input.required(N))
            .input(Input.required(OWNER))
            .step(Step.mutating("double").output(DOUBLED).reads(N)
                    .retry(RetryPolicy.builder().maxAttempts(3).delay(Duration.ofMillis(1)).build())
                    .action(ctx -> {
                        int n = ctx.get(N);
                        // odd inputs fail their first attempt, so retries interleave with other runs
                        if (n % 2 == 1 && ctx.attempt() == 1) {
                            throw new IllegalStateException("transient failure for " + n);
                        }
                        Thread.yield();
                        return n * 2;
                    }))
            .step(Step.readOnly("label").output(LABEL).reads(DOUBLED, OWNER)
                    .action(ctx -> ctx.get(OWNER) + "/" + ctx.runId() + "/" + ctx.get(DOUBLED)))
            .build();

    @Test
    void run_fromEightThreadsAtOnce_givesEveryRunItsOwnCorrectResult() throws Exception {
        Runner shared = Runner.create();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Map.Entry<Integer, RunResult>>>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    List<Map.Entry<Integer, RunResult>> mine = new ArrayList<>();
                    for (int i = 0; i < RUNS_PER_THREAD; i++) {
                        int n = thread * 1000 + i;
                        mine.add(Map.entry(n, shared.run(PLAN, Inputs.of(N, n, OWNER, "thread-" + thread))));
                    }
                    return mine;
                }));
            }
            start.countDown();
            List<Map.Entry<Integer, RunResult>> all = new ArrayList<>();
            for (Future<List<Map.Entry<Integer, RunResult>>> f : futures) {
                all.addAll(f.get(120, TimeUnit.SECONDS));
            }

            assertThat(all).hasSize(THREADS * RUNS_PER_THREAD);
            Set<String> runIds = new HashSet<>();
            for (Map.Entry<Integer, RunResult> e : all) {
                int n = e.getKey();
                RunResult r = e.getValue();
                assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
                assertThat(r.output(DOUBLED)).as("run of %s", n).contains(n * 2);
                assertThat(r.output(LABEL)).as("run of %s", n)
                        .contains("thread-" + (n / 1000) + "/" + r.runId() + "/" + (n * 2));
                assertThat(r.inputs()).containsEntry("N", String.valueOf(n));
                assertThat(r.step("double").orElseThrow().attempts()).as("attempts of %s", n).isEqualTo(n % 2 == 1 ? 2 : 1);
                runIds.add(r.runId());
            }
            assertThat(runIds).as("run ids are unique").hasSize(all.size());
            Reliability.record("concurrency", Map.of("threads", THREADS, "runs", all.size(), "wrong", 0));
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
