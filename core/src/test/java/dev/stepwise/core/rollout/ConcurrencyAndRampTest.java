package dev.stepwise.core.rollout;

import static dev.stepwise.core.rollout.RolloutFixtures.ids;
import static dev.stepwise.core.rollout.RolloutFixtures.noop;
import static dev.stepwise.core.rollout.RolloutFixtures.plan;
import static dev.stepwise.core.rollout.RolloutFixtures.rollout;
import static dev.stepwise.core.rollout.RolloutFixtures.runner;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.core.run.VirtualTimeSource;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConcurrencyAndRampTest {

    @ParameterizedTest(name = "{0} of {1} targets: at most {2} in flight")
    @CsvSource({"1, 6, 1", "3, 12, 3", "25%, 40, 10", "50%, 5, 3"})
    void run_whenTargetsWaitForEachOther_inFlightReachesButNeverExceedsLimit(String maxConcurrency, int n, int limit) {
        RolloutFixtures.InFlight inFlight = new RolloutFixtures.InFlight();
        // Each group of `limit` targets waits until all of them are in flight, so the limit is reached; the
        // counter shows it is never exceeded. A scheduler that starts fewer would break the barrier.
        CyclicBarrier group = new CyclicBarrier(limit);
        int full = n - n % limit;
        Rollout r = rollout(plan((t, ctx) -> {
            inFlight.enter();
            try {
                if (Integer.parseInt(t.substring(2)) <= full) {
                    group.await(10, TimeUnit.SECONDS);
                }
            } finally {
                inFlight.exit();
            }
        })).wave(Wave.builder("w").targets(TargetSource.of(ids("i", n))).maxConcurrency(maxConcurrency)).build();

        WaveResult w = runner(VirtualTimeSource.create()).run(r).wave("w");

        assertThat(w.status()).isEqualTo(WaveStatus.SUCCEEDED);
        assertThat(w.concurrency()).isEqualTo(limit);
        assertThat(inFlight.max.get()).isEqualTo(limit);
    }

    @ParameterizedTest(name = "limit {0}, {1} targets: stages {2}")
    @CsvSource(delimiter = ';', value = {"1; 10; [1]", "2; 10; [1]", "5; 20; [1, 2, 4]", "8; 20; [1, 2, 4]",
            "9; 100; [1, 2, 4, 8]", "10; 4; [1, 2]", "10; 1; [1]", "500; 10000; [1, 2, 4, 8, 16, 32, 64, 128, 256]"})
    void rampStages_doubleWhileBelowLimit(int limit, int n, String stages) {
        Wave w = Wave.builder("w").targets("x").maxConcurrency(limit).ramp().build();
        assertThat(w.rampStages(n)).hasToString(stages);
        assertThat(Wave.builder("w").targets("x").maxConcurrency(limit).build().rampStages(n)).isEmpty();
    }

    @Test
    void run_whenRamped_eachStageFinishesBeforeTheNextStarts() {
        RolloutFixtures.Recorder recorder = new RolloutFixtures.Recorder();
        RolloutFixtures.InFlight inFlight = new RolloutFixtures.InFlight();
        Rollout r = rollout(plan((t, ctx) -> {
            inFlight.enter();
            Thread.yield();
            inFlight.exit();
        })).wave(Wave.builder("w").targets(TargetSource.of(ids("i", 20))).maxConcurrency(5).ramp()).build();

        WaveResult w = runner(VirtualTimeSource.create()).withRolloutListener(recorder).run(r).wave("w");

        assertThat(w.status()).isEqualTo(WaveStatus.SUCCEEDED);
        assertThat(w.rampStages()).containsExactly(1, 2, 4);
        assertThat(w.targets().get(0).canary()).isTrue();
        assertThat(w.targets().stream().filter(TargetResult::canary)).hasSize(1);
        List<String> order = new ArrayList<>();
        recorder.events.forEach(e -> {
            if (e instanceof RolloutEvent.TargetStarted s) {
                order.add("start " + s.target());
            } else if (e instanceof RolloutEvent.TargetFinished f) {
                order.add("finish " + f.target());
            }
        });
        // Stage boundaries: after target 1, after targets 2-3, after targets 4-7.
        assertThat(finishedBefore(order, "i-2", List.of("i-1"))).isTrue();
        assertThat(finishedBefore(order, "i-4", List.of("i-2", "i-3"))).isTrue();
        assertThat(finishedBefore(order, "i-8", List.of("i-4", "i-5", "i-6", "i-7"))).isTrue();
        assertThat(inFlight.max.get()).isLessThanOrEqualTo(5);
    }

    private static boolean finishedBefore(List<String> order, String started, List<String> finished) {
        int at = order.indexOf("start " + started);
        return finished.stream().allMatch(f -> order.indexOf("finish " + f) >= 0 && order.indexOf("finish " + f) < at)
                && order.subList(0, at).stream().filter(s -> s.startsWith("start ")).count() == Integer.parseInt(
                started.substring(2)) - 1;
    }

    @Test
    void run_whenCanaryFails_haltsWaveWhateverTheBudget() {
        Rollout r = rollout(plan((t, ctx) -> {
            if (t.equals("i-1")) {
                throw new IllegalStateException("service did not come back");
            }
        })).wave(Wave.builder("w").targets(TargetSource.of(ids("i", 10))).maxConcurrency(4).maxErrors(5).ramp())
                .wave(Wave.builder("later").targets("j-1"))
                .build();

        RolloutResult result = runner(VirtualTimeSource.create()).run(r);

        WaveResult w = result.wave("w");
        assertThat(w.status()).isEqualTo(WaveStatus.HALTED);
        assertThat(w.reason()).isEqualTo("canary i-1 failed: step \"patch\" failed after 1 attempt: IllegalStateException: service did not come back");
        assertThat(w.count(TargetStatus.NOT_STARTED)).isEqualTo(9);
        assertThat(result.wave("later").status()).isEqualTo(WaveStatus.NOT_STARTED);
        assertThat(result.status()).isEqualTo(RolloutStatus.HALTED);
    }

    @Test
    void run_whenSeveralWaves_runsThemInOrderOneAfterAnother() {
        List<String> started = new CopyOnWriteArrayList<>();
        Rollout r = rollout(plan((t, ctx) -> started.add(t)))
                .wave(Wave.builder("a").targets(TargetSource.of(ids("a", 6))).maxConcurrency(3))
                .wave(Wave.builder("b").targets(TargetSource.of(ids("b", 6))).maxConcurrency(6))
                .wave(Wave.builder("c").targets("c-1"))
                .build();

        RolloutResult result = runner(VirtualTimeSource.create()).run(r);

        assertThat(result.status()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(result.waves()).extracting(WaveResult::name).containsExactly("a", "b", "c");
        assertThat(started).hasSize(13);
        assertThat(started.subList(0, 6)).allMatch(t -> t.startsWith("a-"));
        assertThat(started.subList(6, 12)).allMatch(t -> t.startsWith("b-"));
        assertThat(started.get(12)).isEqualTo("c-1");
    }

    @Test
    void run_whenTenThousandTargetsAtConcurrency500_boundsThreadsAndMemoryAndLeaksNoThread() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long heapBefore = rt.totalMemory() - rt.freeMemory();
        int liveBefore = threads.getThreadCount();
        threads.resetPeakThreadCount();
        Rollout r = rollout(noop())
                .wave(Wave.builder("fleet").targets(TargetSource.of(ids("i", 10_000))).maxConcurrency(500).maxErrors("1%"))
                .build();

        RolloutResult result = runner(VirtualTimeSource.create()).run(r);

        int peak = threads.getPeakThreadCount();
        System.gc();
        long retained = rt.totalMemory() - rt.freeMemory() - heapBefore;
        assertThat(result.status()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(result.wave("fleet").count(TargetStatus.SUCCEEDED)).isEqualTo(10_000);
        // 500 workers; a little slack for JVM housekeeping threads that may start meanwhile.
        assertThat(peak - liveBefore).isBetween(1, 500 + 10);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("stepwise-rollout-"));
        // Ten thousand small run results, not ten thousand thread stacks or copies of the plan.
        assertThat(retained).isLessThan(200L * 1024 * 1024);
    }
}
