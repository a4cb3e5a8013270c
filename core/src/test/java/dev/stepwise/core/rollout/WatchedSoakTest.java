package dev.stepwise.core.rollout;

import static dev.stepwise.core.rollout.RolloutFixtures.INSTANCE_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.journal.CrashingJournalStore;
import dev.stepwise.core.journal.JournalEntry;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.journal.RolloutJournal;
import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A soak that watches health while it lasts ({@link Checkpoint.WatchedSoak}), on a virtual clock: an alarm that fires
 * on day 2 and clears on day 4 of a 7-day soak halts it; each verdict is journaled and recalled on resume, never
 * evaluated again; a parked run resumes at the next watch time.
 */
class WatchedSoakTest {
    @TempDir
    Path dir;

    private final VirtualTimeSource time = VirtualTimeSource.create();
    private final Instant start = time.now();
    private final Map<String, AtomicInteger> patched = new ConcurrentHashMap<>();
    /** When the watch was asked, on the virtual clock. */
    private final List<Instant> asked = new CopyOnWriteArrayList<>();

    private Plan plan() {
        return Plan.builder("patch-host").input(Input.required(INSTANCE_ID))
                .step(Step.mutating("patch").reads(INSTANCE_ID)
                        .run(ctx -> patched.computeIfAbsent(ctx.get(INSTANCE_ID), k -> new AtomicInteger()).incrementAndGet()))
                .build();
    }

    /** The alarm is in ALARM from day 2 (inclusive) to day 4 (exclusive) after the soak started. */
    private GateVerdict alarm(RolloutResult soFar) {
        Instant now = time.now();
        asked.add(now);
        boolean firing = !now.isBefore(start.plus(Duration.ofDays(2))) && now.isBefore(start.plus(Duration.ofDays(4)));
        return firing ? GateVerdict.fail("db-latency is in ALARM", Map.of("db-latency", "ALARM"))
                : GateVerdict.pass("db-latency is OK", Map.of("db-latency", "OK"));
    }

    private Rollout rollout(Duration every, java.util.function.Function<RolloutResult, GateVerdict> watch) {
        return Rollout.builder("monthly", plan()).inputs(t -> Inputs.of(INSTANCE_ID, t))
                .wave(Wave.builder("non-production").targets("dev-1").build())
                .soak(Duration.ofDays(7), every, "no health alarm is in ALARM", watch)
                .wave(Wave.builder("production").targets("prod-1").build()).build();
    }

    private Runner blocking() {
        return Runner.create().withTimeSource(time).withJournal(JournalStore.directory(dir));
    }

    private Runner parking() {
        return blocking().parkLongerThan(Duration.ofHours(1));
    }

    @Test
    void anAlarmThatFiresOnDayTwoAndClearsOnDayFour_haltsBeforeProduction_namingWhen() {
        RolloutResult r = blocking().run(rollout(Duration.ofDays(1), this::alarm));

        assertThat(r.status()).as(r.toString()).isEqualTo(RolloutStatus.HALTED);
        assertThat(patched).containsOnlyKeys("dev-1");
        assertThat(asked).as("watched on day 1, then day 2, where it failed").containsExactly(
                start.plus(Duration.ofDays(1)), start.plus(Duration.ofDays(2)));
        CheckpointResult soak = r.wave("production").checkpoints().get(0);
        assertThat(soak.outcome()).isEqualTo(CheckpointResult.Outcome.REJECTED);
        assertThat(soak.detail()).contains("db-latency is in ALARM").contains(start.plus(Duration.ofDays(2)).toString())
                .contains("after 2 d 00 h");
        assertThat(soak.data()).containsEntry("db-latency", "ALARM");
        assertThat(r.wave("production").reason()).contains("db-latency is in ALARM");
    }

    @Test
    void aHealthySoak_watchesAtEachIntervalAndAtItsEnd_thenGoesOn() {
        RolloutResult r = blocking().run(rollout(Duration.ofDays(3), s -> {
            asked.add(time.now());
            return GateVerdict.pass("fine", Map.of());
        }));

        assertThat(r.status()).as(r.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(asked).containsExactly(start.plus(Duration.ofDays(3)), start.plus(Duration.ofDays(6)),
                start.plus(Duration.ofDays(7)));
        assertThat(r.wave("production").checkpoints().get(0).detail()).contains("3 watch(es)");
        assertThat(patched).containsOnlyKeys("dev-1", "prod-1");
    }

    @Test
    void aWatchThatThrows_countsAsFailing() {
        RolloutResult r = blocking().run(rollout(Duration.ofDays(1), s -> {
            throw new IllegalStateException("CloudWatch unreachable");
        }));

        assertThat(r.status()).isEqualTo(RolloutStatus.HALTED);
        assertThat(r.wave("production").checkpoints().get(0).detail()).contains("CloudWatch unreachable");
        assertThat(patched).doesNotContainKey("prod-1");
    }

    @Test
    void parked_resumesAtTheNextWatchTime_andNeverReasksAPastWatch() {
        Rollout rollout = rollout(Duration.ofDays(1), this::alarm);

        RolloutResult first = parking().run(rollout);
        assertThat(first.status()).isEqualTo(RolloutStatus.WAITING);
        assertThat(first.resumeAt()).isEqualTo(start.plus(Duration.ofDays(1)));

        time.advance(Duration.ofDays(1));
        RolloutResult second = parking().resume(rollout, first.rolloutId());
        assertThat(second.status()).isEqualTo(RolloutStatus.WAITING);
        assertThat(second.resumeAt()).as("the next watch time").isEqualTo(start.plus(Duration.ofDays(2)));
        assertThat(asked).hasSize(1);

        // resumed early: nothing is due, nothing is asked
        assertThat(parking().resume(rollout, first.rolloutId()).resumeAt()).isEqualTo(start.plus(Duration.ofDays(2)));
        assertThat(asked).hasSize(1);

        time.advance(Duration.ofDays(1));
        RolloutResult third = parking().resume(rollout, first.rolloutId());
        assertThat(third.status()).as(third.toString()).isEqualTo(RolloutStatus.HALTED);
        assertThat(asked).hasSize(2);
        assertThat(RolloutJournal.read(JournalStore.directory(dir), first.rolloutId()).watches("production", 0))
                .extracting(JournalEntry.SoakWatched::held).containsExactly(true, false);

        RolloutResult again = parking().resume(rollout, first.rolloutId());
        assertThat(again.status()).isEqualTo(RolloutStatus.HALTED);
        assertThat(asked).as("a decided soak is recalled, not watched again").hasSize(2);
    }

    @Test
    void resumedLate_watchesOnceNow_andGoesOnFromTheNextWatchTime() {
        Rollout rollout = rollout(Duration.ofDays(1), s -> {
            asked.add(time.now());
            return GateVerdict.pass("fine", Map.of());
        });
        RolloutResult first = parking().run(rollout);

        time.advance(Duration.ofHours(60)); // day 2.5: the watches of day 1 and 2 were missed
        RolloutResult late = parking().resume(rollout, first.rolloutId());

        assertThat(asked).as("missed watch times are not evaluated in retrospect").hasSize(1);
        assertThat(late.resumeAt()).isEqualTo(start.plus(Duration.ofDays(3)));
    }

    @Test
    void aFailingVerdictJournaledBeforeACrash_standsOnResume_withoutAskingAgain() {
        Rollout rollout = rollout(Duration.ofDays(1), this::alarm);
        JournalStore crashing = CrashingJournalStore.after(JournalStore.directory(dir),
                e -> e instanceof JournalEntry.SoakWatched w && !w.held());
        String id = blocking().withJournal(crashing).run(rollout).rolloutId();
        assertThat(asked).hasSize(2);

        RolloutResult resumed = blocking().resume(rollout, id);

        assertThat(resumed.status()).as(resumed.toString()).isEqualTo(RolloutStatus.HALTED);
        assertThat(resumed.wave("production").checkpoints().get(0).detail()).contains("db-latency is in ALARM")
                .contains("journaled before the rollout stopped");
        assertThat(asked).hasSize(2);
        assertThat(patched).doesNotContainKey("prod-1");
    }

    @Test
    void dryRun_describesTheWatches_andEvaluatesNone() {
        RolloutResult r = Runner.create().withTimeSource(time).dryRun().run(rollout(Duration.ofDays(1), this::alarm));

        assertThat(asked).isEmpty();
        assertThat(r.wave("production").checkpoints().get(0).detail()).contains("every 1 d 00 h").contains("7 watch(es)");
    }

    @Test
    void badWatchSettings_areRefusedWhenBuilt_namingEach() {
        assertThatThrownBy(() -> new Checkpoint.WatchedSoak(Duration.ofDays(1), Duration.ZERO, "x", r -> GateVerdict.pass("", Map.of())))
                .isInstanceOf(PlanValidationException.class).hasMessageContaining("every PT0S must be more than zero");
        assertThatThrownBy(() -> new Checkpoint.WatchedSoak(Duration.ofDays(1), Duration.ofDays(2), "x", r -> GateVerdict.pass("", Map.of())))
                .isInstanceOf(PlanValidationException.class).hasMessageContaining("at most the soak's");
        assertThatThrownBy(() -> new Checkpoint.WatchedSoak(Duration.ofDays(7), Duration.ofSeconds(1), "x",
                r -> GateVerdict.pass("", Map.of()))).isInstanceOf(PlanValidationException.class).hasMessageContaining("watch less often");
        assertThatThrownBy(() -> Rollout.builder("r", plan()).inputs(t -> Inputs.of(INSTANCE_ID, t))
                .wave(Wave.builder("a").targets("x").build())
                .soak(Duration.ofDays(1), Duration.ofHours(1), " ", r -> GateVerdict.pass("", Map.of()))
                .wave(Wave.builder("b").targets("y").build()).build())
                .isInstanceOf(PlanValidationException.class).hasMessageContaining("must not be blank");
    }

    @Test
    void withoutAJournal_watchesTheSame() {
        RolloutResult r = Runner.create().withTimeSource(time).run(rollout(Duration.ofDays(1), this::alarm));

        assertThat(r.status()).isEqualTo(RolloutStatus.HALTED);
        assertThat(asked).hasSize(2);
    }

    @Test
    void cancelledMidSoak_endsCancelled_andAResumeGoesOnFromTheWatchesJournaled() {
        Rollout rollout = rollout(Duration.ofDays(1), s -> {
            asked.add(time.now());
            return GateVerdict.pass("fine", Map.of());
        });
        dev.stepwise.core.run.Cancellation stop = dev.stepwise.core.run.Cancellation.create();
        // the third watch cancels the rollout: it ends CANCELLED mid-soak, with three verdicts journaled
        RolloutResult cancelled = blocking().withCancellation(stop).run(Rollout.builder("monthly", plan())
                .inputs(t -> Inputs.of(INSTANCE_ID, t)).wave(Wave.builder("non-production").targets("dev-1").build())
                .soak(Duration.ofDays(7), Duration.ofDays(1), "no health alarm is in ALARM", s -> {
                    asked.add(time.now());
                    if (asked.size() == 3) {
                        stop.cancel("the operator stopped it");
                    }
                    return GateVerdict.pass("fine", Map.of());
                }).wave(Wave.builder("production").targets("prod-1").build()).build());

        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(RolloutStatus.CANCELLED);
        assertThat(patched).doesNotContainKey("prod-1");
        assertThat(asked).hasSize(3);

        RolloutResult resumed = blocking().resume(rollout, cancelled.rolloutId());

        assertThat(resumed.status()).as(resumed.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(asked).as("days 4 to 7 only").hasSize(7);
        assertThat(asked.get(6)).isEqualTo(start.plus(Duration.ofDays(7)));
    }
}
