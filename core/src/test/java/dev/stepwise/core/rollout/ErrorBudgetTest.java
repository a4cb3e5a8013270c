package dev.stepwise.core.rollout;

import static dev.stepwise.core.rollout.RolloutFixtures.ids;
import static dev.stepwise.core.rollout.RolloutFixtures.plan;
import static dev.stepwise.core.rollout.RolloutFixtures.rollout;
import static dev.stepwise.core.rollout.RolloutFixtures.runner;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.core.run.VirtualTimeSource;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorBudgetTest {

    private static WaveResult runSerially(List<String> targets, String maxErrors, Set<String> failing) {
        Rollout r = rollout(plan((t, ctx) -> {
            if (failing.contains(t)) {
                throw new IllegalStateException("patch failed on " + t);
            }
        })).wave(Wave.builder("w").targets(TargetSource.of(targets)).maxErrors(maxErrors)).build();
        return runner(VirtualTimeSource.create()).run(r).wave("w");
    }

    @ParameterizedTest(name = "maxErrors {0} of {1} targets: budget {2}, halts on failure {2}+1")
    @CsvSource({"0, 10, 0", "3, 10, 3", "10%, 25, 2", "10%, 9, 0", "20%, 10, 2", "50%, 7, 3"})
    void run_whenEveryTargetFails_haltsExactlyAtBudgetPlusOne(String maxErrors, int n, int budget) {
        List<String> targets = ids("i", n);
        WaveResult w = runSerially(targets, maxErrors, new HashSet<>(targets));

        assertThat(w.errorBudget()).isEqualTo(budget);
        assertThat(w.status()).isEqualTo(WaveStatus.HALTED);
        assertThat(w.count(TargetStatus.FAILED)).isEqualTo(budget + 1);
        assertThat(w.count(TargetStatus.NOT_STARTED)).isEqualTo(n - budget - 1);
        assertThat(w.targets().get(budget).status()).isEqualTo(TargetStatus.FAILED);
        assertThat(w.reason()).contains((budget + 1) + " target(s) failed, more than maxErrors")
                .contains("no new target started after i-" + (budget + 1) + " failed");
    }

    @ParameterizedTest(name = "maxErrors {0} of {1} targets: {2} failures are within budget")
    @CsvSource({"3, 10, 3", "10%, 25, 2", "50%, 7, 3"})
    void run_whenFailuresEqualBudget_runsEveryTargetAndGoesOn(String maxErrors, int n, int budget) {
        List<String> targets = ids("i", n);
        WaveResult w = runSerially(targets, maxErrors, new HashSet<>(targets.subList(0, budget)));

        assertThat(w.status()).isEqualTo(WaveStatus.SUCCEEDED_WITHIN_BUDGET);
        assertThat(w.count(TargetStatus.FAILED)).isEqualTo(budget);
        assertThat(w.count(TargetStatus.SUCCEEDED)).isEqualTo(n - budget);
        assertThat(w.reason()).isEqualTo(budget + " target(s) failed, within maxErrors "
                + (maxErrors.endsWith("%") ? maxErrors + " of " + n + " targets = " + budget + " (rounded down)" : maxErrors));
    }

    @Test
    void run_whenNotStrictAndAllInFlightFail_overrunsBudgetLikeSsm() {
        CyclicBarrier allInFlight = new CyclicBarrier(10);
        Rollout r = rollout(plan((t, ctx) -> {
            allInFlight.await(10, TimeUnit.SECONDS);
            throw new IllegalStateException("patch failed");
        })).wave(Wave.builder("w").targets(TargetSource.of(ids("i", 10))).maxConcurrency(10).maxErrors(2)).build();

        WaveResult w = runner(VirtualTimeSource.create()).run(r).wave("w");

        // All ten were in flight before the first failed, so all ten fail: the budget of 2 is overrun by 8.
        assertThat(w.status()).isEqualTo(WaveStatus.HALTED);
        assertThat(w.count(TargetStatus.FAILED)).isEqualTo(10);
    }

    @Test
    void run_whenStrictAndEveryTargetFails_failsExactlyMaxErrorsPlusOne() {
        RolloutFixtures.InFlight inFlight = new RolloutFixtures.InFlight();
        Rollout r = rollout(plan((t, ctx) -> {
            inFlight.enter();
            try {
                Thread.yield();
                throw new IllegalStateException("patch failed");
            } finally {
                inFlight.exit();
            }
        })).wave(Wave.builder("w").targets(TargetSource.of(ids("i", 20))).maxConcurrency(10).maxErrors(2).strict())
                .build();

        WaveResult w = runner(VirtualTimeSource.create()).run(r).wave("w");

        assertThat(w.status()).isEqualTo(WaveStatus.HALTED);
        assertThat(w.count(TargetStatus.FAILED)).isEqualTo(3);
        assertThat(w.count(TargetStatus.NOT_STARTED)).isEqualTo(17);
        assertThat(inFlight.max.get()).isLessThanOrEqualTo(3);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void run_whenStrictUnderRandomFailures_neverExceedsMaxErrorsPlusOne(int seed) {
        Random random = new Random(seed);
        int maxErrors = random.nextInt(4);
        double failureRate = 0.05 + random.nextDouble() * 0.5;
        List<String> targets = ids("i", 60);
        Set<String> failing = new HashSet<>();
        targets.forEach(t -> {
            if (random.nextDouble() < failureRate) {
                failing.add(t);
            }
        });
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger failedSoFar = new AtomicInteger();
        AtomicInteger worstExposure = new AtomicInteger();
        Rollout r = rollout(plan((t, ctx) -> {
            // In flight plus already failed is the most failures the wave could end with.
            worstExposure.accumulateAndGet(inFlight.incrementAndGet() + failedSoFar.get(), Math::max);
            Thread.yield();
            // leave "in flight" before joining "failed", so no target is ever counted in both
            inFlight.decrementAndGet();
            if (failing.contains(t)) {
                failedSoFar.incrementAndGet();
                throw new IllegalStateException("patch failed on " + t);
            }
        })).wave(Wave.builder("w").targets(TargetSource.of(targets)).maxConcurrency(8).maxErrors(maxErrors).strict())
                .build();

        WaveResult w = runner(VirtualTimeSource.create()).run(r).wave("w");

        int failed = w.count(TargetStatus.FAILED);
        assertThat(failed).isLessThanOrEqualTo(maxErrors + 1);
        assertThat(worstExposure.get()).isLessThanOrEqualTo(maxErrors + 1);
        if (failing.size() > maxErrors) {
            assertThat(w.status()).isEqualTo(WaveStatus.HALTED);
            assertThat(failed).isEqualTo(maxErrors + 1);
        } else {
            assertThat(w.count(TargetStatus.NOT_STARTED)).isZero();
            assertThat(failed).isEqualTo(failing.size());
        }
    }

    @Test
    void run_whenRunThrowsBeforeProducingAResult_countsTargetAsFailed() {
        Rollout r = Rollout.builder("fleet", RolloutFixtures.noop())
                .inputs(t -> {
                    if (t.equals("i-2")) {
                        throw new IllegalStateException("no inventory record for i-2");
                    }
                    return dev.stepwise.core.plan.Inputs.of(RolloutFixtures.INSTANCE_ID, t);
                })
                .wave(Wave.builder("w").targets("i-1", "i-2", "i-3").maxErrors(1)).build();

        WaveResult w = runner(VirtualTimeSource.create()).run(r).wave("w");

        TargetResult t2 = w.target("i-2").orElseThrow();
        assertThat(t2.status()).isEqualTo(TargetStatus.FAILED);
        assertThat(t2.run()).isNull();
        assertThat(t2.reason()).isEqualTo("IllegalStateException: no inventory record for i-2");
        assertThat(w.status()).isEqualTo(WaveStatus.SUCCEEDED_WITHIN_BUDGET);
    }
}
