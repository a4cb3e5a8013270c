package dev.stepwise.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.core.journal.CrashingJournalStore;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.retry.RetryPolicy;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.RolloutEvent;
import dev.stepwise.core.rollout.RolloutHandle;
import dev.stepwise.core.rollout.RolloutListener;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.rollout.TargetStatus;
import dev.stepwise.core.rollout.Wave;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runner decorated by a wrapper that delegates — as a team would write to add auditing — keeps virtual time,
 * journaling, resume and cancellation, for plans and for rollouts.
 */
class DelegatingRunnerTest {
    static final Key<String> HOST = Key.of("host", String.class);

    @TempDir
    Path dir;

    private final Map<String, AtomicInteger> acted = new ConcurrentHashMap<>();

    /** Delegates everything; counts the runs it was asked for, as an audit decorator would. */
    static final class Audited implements Runner {
        final Runner inner;
        final AtomicInteger asked;

        Audited(Runner inner, AtomicInteger asked) {
            this.inner = inner;
            this.asked = asked;
        }

        private Runner wrap(Runner r) {
            return new Audited(r, asked);
        }

        @Override public Runner dryRun() { return wrap(inner.dryRun()); }
        @Override public Runner live() { return wrap(inner.live()); }
        @Override public boolean isDryRun() { return inner.isDryRun(); }
        @Override public Runner withListener(RunListener l) { return wrap(inner.withListener(l)); }
        @Override public Runner withRolloutListener(RolloutListener l) { return wrap(inner.withRolloutListener(l)); }
        @Override public Runner withTimeSource(TimeSource t) { return wrap(inner.withTimeSource(t)); }
        @Override public Runner withJournal(JournalStore s) { return wrap(inner.withJournal(s)); }
        @Override public Runner withCancellation(Cancellation c) { return wrap(inner.withCancellation(c)); }
        @Override public Runner parkLongerThan(Duration d) { return wrap(inner.parkLongerThan(d)); }
        @Override public Optional<Duration> parkThreshold() { return inner.parkThreshold(); }
        @Override public TimeSource timeSource() { return inner.timeSource(); }
        @Override public Optional<JournalStore> journal() { return inner.journal(); }
        @Override public List<RunListener> listeners() { return inner.listeners(); }
        @Override public List<RolloutListener> rolloutListeners() { return inner.rolloutListeners(); }
        @Override public Optional<Cancellation> cancellation() { return inner.cancellation(); }

        @Override
        public RunResult run(Plan plan, Inputs inputs) {
            asked.incrementAndGet();
            return inner.run(plan, inputs);
        }

        @Override
        public RunHandle start(Plan plan, Inputs inputs) {
            asked.incrementAndGet();
            return inner.start(plan, inputs);
        }

        @Override
        public RunResult resume(Plan plan, String runId, Inputs secretInputs, Set<String> rerun) {
            asked.incrementAndGet();
            return inner.resume(plan, runId, secretInputs, rerun);
        }

        @Override
        public void closeRun(String runId, String reason) {
            inner.closeRun(runId, reason);
        }

        @Override
        public RolloutResult run(Rollout rollout) {
            asked.incrementAndGet();
            return inner.run(rollout);
        }

        @Override
        public RolloutHandle start(Rollout rollout) {
            asked.incrementAndGet();
            return inner.start(rollout);
        }

        @Override
        public RolloutResult resume(Rollout rollout, String rolloutId) {
            asked.incrementAndGet();
            return inner.resume(rollout, rolloutId);
        }

        @Override
        public RolloutResult resumeChanged(Rollout rollout, String rolloutId, String why) {
            asked.incrementAndGet();
            return inner.resumeChanged(rollout, rolloutId, why);
        }
    }

    private static Runner audited(AtomicInteger asked) {
        return new Audited(Runner.create(), asked);
    }

    private Plan patchPlan() {
        return Plan.builder("patch").input(Input.required(HOST))
                .step(Step.mutating("backup").run(ctx -> act(ctx.get(HOST) + "/backup")))
                .step(Step.mutating("install").retry(RetryPolicy.builder().maxAttempts(2).delay(Duration.ofHours(1)).build())
                        .run(ctx -> {
                            if (act(ctx.get(HOST) + "/install") == 1) {
                                throw new IllegalStateException("reboot pending");
                            }
                        }))
                .build();
    }

    private int act(String what) {
        return acted.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
    }

    @Test
    void plan_throughADecoratedRunner_keepsVirtualTimeJournalAndResume() {
        AtomicInteger asked = new AtomicInteger();
        VirtualTimeSource time = VirtualTimeSource.create();
        JournalStore store = JournalStore.directory(dir);
        Runner runner = audited(asked).withTimeSource(time);

        String runId = runner.withJournal(CrashingJournalStore.afterStepSucceeded(store, "backup"))
                .run(patchPlan(), Inputs.of(HOST, "db-1")).runId();
        acted.clear();
        RunResult resumed = runner.withJournal(store).resume(patchPlan(), runId, Inputs.empty(), Set.of());

        assertThat(resumed.status()).as(resumed.toString()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(acted).as("the backup is not made again").doesNotContainKey("db-1/backup");
        assertThat(time.waits()).as("retries wait on the virtual clock").contains(Duration.ofHours(1));
        assertThat(asked).hasValue(2);
    }

    @Test
    void rollout_throughADecoratedRunner_keepsVirtualTimeJournalAndResume() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        VirtualTimeSource time = VirtualTimeSource.create();
        JournalStore store = JournalStore.directory(dir);
        Rollout rollout = Rollout.builder("fleet", patchPlan()).inputs(t -> Inputs.of(HOST, t))
                .wave(Wave.builder("canary").targets("db-1").build())
                .soak(Duration.ofDays(7))
                .wave(Wave.builder("rest").targets("db-2", "db-3").maxConcurrency(1).build())
                .build();
        Cancellation laptopClosed = Cancellation.create();
        Runner runner = audited(asked).withTimeSource(time).withJournal(store);
        RolloutResult stopped = runner.withCancellation(laptopClosed).withRolloutListener(e -> {
            if (e instanceof RolloutEvent.TargetFinished f && f.target().equals("db-2")) {
                laptopClosed.cancel("the laptop closed");
            }
        }).run(rollout);
        assertThat(stopped.status()).isEqualTo(RolloutStatus.CANCELLED);
        assertThat(time.waits()).as("the soak ran on the virtual clock").contains(Duration.ofDays(7));

        RolloutResult resumed = runner.resume(rollout, stopped.rolloutId());

        assertThat(resumed.status()).as(resumed.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(acted.get("db-1/backup")).as("finished targets are not run again").hasValue(1);
        assertThat(acted.get("db-2/backup")).hasValue(1);
        assertThat(acted.get("db-3/backup")).hasValue(1);
        assertThat(time.waits().stream().filter(d -> d.equals(Duration.ofDays(7)))).as("no second soak").hasSize(1);
        assertThat(asked).hasValue(2);
    }

    @Test
    void rollout_throughADecoratedRunner_cancelsTargetsInFlight() throws Exception {
        CountDownLatch inFlight = new CountDownLatch(1);
        Plan waits = Plan.builder("wait").input(Input.required(HOST))
                .step(Step.mutating("drain").run(ctx -> {
                    inFlight.countDown();
                    ctx.sleep(Duration.ofDays(1));
                    act(ctx.get(HOST) + "/drained");
                }))
                .build();
        Rollout rollout = Rollout.builder("drain", waits).inputs(t -> Inputs.of(HOST, t))
                .wave(Wave.builder("all").targets("web-1").build()).build();
        // the real clock: the step's wait must be woken by the cancellation, not by virtual time passing
        RolloutHandle h = audited(new AtomicInteger()).start(rollout);
        inFlight.await();
        h.cancel("operator");

        RolloutResult r = h.await();

        assertThat(r.status()).isEqualTo(RolloutStatus.CANCELLED);
        assertThat(r.wave("all").targets().get(0).status()).isEqualTo(TargetStatus.CANCELLED);
        assertThat(acted).doesNotContainKey("web-1/drained");
    }

    @Test
    void runnerCancellation_throughADecoratedRunner_stopsItsRuns() throws Exception {
        Cancellation stop = Cancellation.create();
        CountDownLatch started = new CountDownLatch(1);
        Plan waits = Plan.builder("wait").step(Step.mutating("drain").run(ctx -> {
            started.countDown();
            ctx.sleep(Duration.ofDays(1));
        })).build();
        RunHandle h = audited(new AtomicInteger()).withCancellation(stop).start(waits, Inputs.empty());
        started.await();
        stop.cancel("change freeze");

        assertThat(h.await().status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(h.await().reason()).contains("change freeze");
    }
}
