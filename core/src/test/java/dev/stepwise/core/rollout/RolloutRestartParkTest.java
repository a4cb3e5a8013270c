package dev.stepwise.core.rollout;

import static dev.stepwise.core.rollout.RolloutFixtures.INSTANCE_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.journal.JournalEntry;
import dev.stepwise.core.journal.JournalException;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.journal.RolloutJournal;
import dev.stepwise.core.notify.Announcement;
import dev.stepwise.core.notify.Notice;
import dev.stepwise.core.notify.Notifications;
import dev.stepwise.core.notify.Notifier;
import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.Cancellation;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollouts that outlive their process, on a virtual clock: parked at long waits and resumed by a scheduled job,
 * or cut short mid-wait and resumed; nothing is done twice and every wait counts from its recorded start.
 */
class RolloutRestartParkTest {
    @TempDir
    Path dir;

    private final VirtualTimeSource time = VirtualTimeSource.create();
    private final Map<String, AtomicInteger> patched = new ConcurrentHashMap<>();
    private final AtomicInteger resolutions = new AtomicInteger();
    private final AtomicInteger asked = new AtomicInteger();
    private final List<Notice> sent = new CopyOnWriteArrayList<>();

    private JournalStore store() {
        return JournalStore.directory(dir);
    }

    private Plan plan() {
        return Plan.builder("patch-host").input(Input.required(INSTANCE_ID))
                .step(Step.mutating("patch").reads(INSTANCE_ID)
                        .run(ctx -> patched.computeIfAbsent(ctx.get(INSTANCE_ID), k -> new AtomicInteger()).incrementAndGet()))
                .build();
    }

    /** Production's targets come from an inventory lookup, counted, so a resume that resolves again shows. */
    private TargetSource inventory(String... ids) {
        return TargetSource.named("inventory query", () -> {
            resolutions.incrementAndGet();
            return List.of(ids);
        });
    }

    private Rollout.Builder staged() {
        return Rollout.builder("monthly", plan()).inputs(t -> Inputs.of(INSTANCE_ID, t))
                .wave(Wave.builder("non-production").targets("dev-1", "dev-2").build());
    }

    private Runner parking() {
        return Runner.create().withTimeSource(time).withJournal(store()).parkLongerThan(Duration.ofHours(1));
    }

    private Runner blocking() {
        return Runner.create().withTimeSource(time).withJournal(store());
    }

    @Test
    void resume_sixDaysIntoASevenDaySoak_returnsWaitingWithResumeAtOneDayLater() {
        Rollout rollout = staged().soak(Duration.ofDays(7))
                .wave(Wave.builder("production").targets(inventory("prod-1")).build()).build();
        Instant soakStart = time.now();

        RolloutResult first = parking().run(rollout);

        assertThat(first.status()).as(first.toString()).isEqualTo(RolloutStatus.WAITING);
        assertThat(first.resumeAt()).isEqualTo(soakStart.plus(Duration.ofDays(7)));
        assertThat(first.wave("production").status()).isEqualTo(WaveStatus.WAITING);
        assertThat(patched).containsOnlyKeys("dev-1", "dev-2");

        time.advance(Duration.ofDays(6));
        RolloutResult early = parking().resume(rollout, first.rolloutId());

        assertThat(early.status()).isEqualTo(RolloutStatus.WAITING);
        assertThat(early.resumeAt()).isEqualTo(time.now().plus(Duration.ofDays(1)));
        assertThat(resolutions).as("a resume before resumeAt resolves no targets").hasValue(0);
        assertThat(patched.values()).allSatisfy(n -> assertThat(n).hasValue(1));
        assertThat(time.waits()).as("parking never waits in the process").isEmpty();

        time.advance(Duration.ofDays(1));
        RolloutResult done = parking().resume(rollout, first.rolloutId());

        assertThat(done.status()).as(done.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(patched).containsOnlyKeys("dev-1", "dev-2", "prod-1");
        assertThat(patched.values()).as("no target acted twice").allSatisfy(n -> assertThat(n).hasValue(1));
        assertThat(done.wave("non-production").targets()).allSatisfy(t -> assertThat(t.note()).contains("not run again"));
        assertThat(done.wave("production").checkpoints().get(0).duration()).isEqualTo(Duration.ofDays(7));
        assertThat(resolutions).hasValue(1);
    }

    @Test
    void resume_afterTheProcessStoppedMidSoak_waitsOnlyWhatRemains() {
        Rollout rollout = staged().soak(Duration.ofDays(7))
                .wave(Wave.builder("production").targets("prod-1").build()).build();
        Cancellation laptopClosed = Cancellation.create();
        Instant soakStart = time.now();
        // the process "dies" as soon as the soak has started: nothing after that point is journaled
        RolloutResult stopped = blocking().withCancellation(laptopClosed).withRolloutListener(e -> {
            if (e instanceof RolloutEvent.CheckpointStarted c && c.kind() == Checkpoint.Kind.SOAK) {
                laptopClosed.cancel("the laptop was closed");
            }
        }).run(rollout);
        assertThat(stopped.status()).isEqualTo(RolloutStatus.CANCELLED);

        time.advance(Duration.ofDays(6));
        int waitsBefore = time.waits().size();
        RolloutResult resumed = blocking().resume(rollout, stopped.rolloutId());

        assertThat(resumed.status()).as(resumed.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(time.waits().subList(waitsBefore, time.waits().size())).as("only what remains of the soak")
                .containsExactly(Duration.ofDays(1));
        assertThat(resumed.wave("production").checkpoints().get(0).start()).isEqualTo(soakStart);
        assertThat(patched.values()).allSatisfy(n -> assertThat(n).hasValue(1));
    }

    @Test
    void approve_fromOutside_answersAParkedApprovalAtTheNextResume() {
        Approver viaChat = request -> {
            asked.incrementAndGet();
            return new java.util.concurrent.CompletableFuture<>();
        };
        Rollout rollout = staged().approval(Approval.by(viaChat).timeout(Duration.ofDays(3))
                        .onTimeout(Approval.TimeoutRule.REJECT))
                .wave(Wave.builder("production").targets("prod-1").build()).build();

        RolloutResult first = parking().run(rollout);
        assertThat(first.status()).isEqualTo(RolloutStatus.WAITING);
        assertThat(Rollouts.status(store(), first.rolloutId()).pendingApproval()).isPresent();

        time.advance(Duration.ofHours(5));
        assertThat(parking().resume(rollout, first.rolloutId()).status()).as("still undecided").isEqualTo(RolloutStatus.WAITING);
        Rollouts.decide(store(), first.rolloutId(), true, "alice", "dashboards are green", time.now());
        RolloutResult done = parking().resume(rollout, first.rolloutId());

        assertThat(done.status()).as(done.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        CheckpointResult approval = done.wave("production").checkpoints().get(0);
        assertThat(approval.decision().by()).isEqualTo("alice");
        assertThat(asked).as("the approver is asked once, not at every resume").hasValue(1);
        assertThat(RolloutJournal.read(store(), first.rolloutId()).entries())
                .anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(JournalEntry.CheckpointEnded.class,
                        c -> assertThat(c.decision().by()).isEqualTo("alice")));
        assertThat(Rollouts.status(store(), first.rolloutId()).approvals()).singleElement()
                .satisfies(d -> assertThat(d.by()).isEqualTo("alice"));
    }

    @Test
    void resume_afterStoppingBeforeTheApproverWasAsked_asksItThenParks() {
        Approver viaChat = request -> {
            asked.incrementAndGet();
            return new java.util.concurrent.CompletableFuture<>();
        };
        Rollout rollout = staged().approval(Approval.by(viaChat).timeout(Duration.ofDays(3))
                        .onTimeout(Approval.TimeoutRule.REJECT))
                .wave(Wave.builder("production").targets("prod-1").build()).build();
        // the process dies right after journaling that the approval was reached, before its approver is asked
        String id = Runner.create().withTimeSource(time).parkLongerThan(Duration.ofHours(1))
                .withJournal(dev.stepwise.core.journal.CrashingJournalStore.after(store(),
                        e -> e instanceof JournalEntry.CheckpointStarted c && c.kind().equals("APPROVAL")))
                .run(rollout).rolloutId();
        assertThat(RolloutJournal.read(store(), id).checkpoint("production", 0).orElseThrow().requested()).isNull();
        int before = asked.get();

        RolloutResult resumed = parking().resume(rollout, id);

        assertThat(resumed.status()).isEqualTo(RolloutStatus.WAITING);
        assertThat(asked.get()).as("the approver is asked on resume: an approval is never left unasked")
                .isEqualTo(before + 1);
        assertThat(RolloutJournal.read(store(), id).checkpoint("production", 0).orElseThrow().requested()).isNotNull();
        assertThat(parking().resume(rollout, id).status()).isEqualTo(RolloutStatus.WAITING);
        assertThat(asked.get()).as("and not again once the request is journaled").isEqualTo(before + 1);
    }

    @Test
    void approve_whenNoApprovalIsPending_isRefusedNamingTheRolloutAndWritesNothing() {
        Rollout rollout = staged().soak(Duration.ofDays(7)).wave(Wave.builder("production").targets("prod-1").build())
                .build();
        String id = parking().run(rollout).rolloutId();

        assertThatThrownBy(() -> Rollouts.approve(store(), id, "alice", ""))
                .isInstanceOf(JournalException.class).hasMessageContaining("Rollout " + id + " has no approval pending");
        assertThat(dir.resolve(RolloutJournal.decisionsId(id) + ".jsonl")).doesNotExist();
        assertThatThrownBy(() -> Rollouts.approve(store(), "nosuchrollout", "alice", ""))
                .isInstanceOf(JournalException.class).hasMessageContaining("No rollout nosuchrollout");
    }

    @Test
    void resume_afterAnAnnouncementWasSent_sendsItNotAgainAndCountsTheLeadTimeFromWhenItWasSent() {
        Notifier chat = Notifier.of("chat", sent::add);
        Rollout rollout = staged().announce(Announcement.to(Notifications.builder(chat).audience("owners").build())
                        .leadTime(Duration.ofHours(24)))
                .wave(Wave.builder("production").targets("prod-1").build()).build();
        Instant sentAt = time.now();

        RolloutResult first = parking().run(rollout);
        assertThat(first.status()).isEqualTo(RolloutStatus.WAITING);
        assertThat(first.resumeAt()).isEqualTo(sentAt.plus(Duration.ofHours(24)));
        time.advance(Duration.ofHours(30));
        RolloutResult done = parking().resume(rollout, first.rolloutId());

        assertThat(done.status()).as(done.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(sent).as("one notice, not one per resume").hasSize(1);
        assertThat(done.wave("production").checkpoints().get(0).detail()).contains("not sent again");
    }

    @Test
    void resume_afterStoppingBeforeTheNoticeWasSent_datesItWhenSentAndCountsTheWaveStartFromThen() {
        // regression: the notice was made at the checkpoint's recorded start, so after a restart it was dated hours
        // back and named a wave start earlier than the one the lead time then waited for
        Notifier chat = Notifier.of("chat", sent::add);
        Rollout rollout = staged().announce(Announcement.to(Notifications.builder(chat).audience("owners").build())
                        .leadTime(Duration.ofHours(24)))
                .wave(Wave.builder("production").targets("prod-1").build()).build();
        Cancellation died = Cancellation.create();
        RolloutResult stopped = blocking().withCancellation(died).withRolloutListener(e -> {
            if (e instanceof RolloutEvent.CheckpointStarted c && c.kind() == Checkpoint.Kind.NOTIFY) {
                died.cancel("the process died before the notice went out");
            }
        }).run(rollout);
        assertThat(sent).isEmpty();
        time.advance(Duration.ofHours(3));
        Instant sentAt = time.now();

        RolloutResult done = blocking().resume(rollout, stopped.rolloutId());

        assertThat(done.status()).as(done.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(sent).singleElement().satisfies(n -> {
            assertThat(n.at()).isEqualTo(sentAt);
            assertThat(n.subject()).contains("starts at " + sentAt.plus(Duration.ofHours(24)));
        });
        assertThat(done.wave("production").start()).isEqualTo(sentAt.plus(Duration.ofHours(24)));
    }

    @Test
    void resume_atAClosedWindow_parksUntilItOpens() {
        Instant start = time.now();
        MaintenanceWindow nightly = MaintenanceWindow.daily(LocalTime.of(2, 0), Duration.ofHours(2), ZoneOffset.UTC);
        Rollout rollout = staged().window(nightly, Checkpoint.WindowRule.WAIT)
                .wave(Wave.builder("production").targets("prod-1").build()).build();
        time.advance(Duration.ofHours(5));

        RolloutResult first = parking().run(rollout);

        assertThat(first.status()).isEqualTo(RolloutStatus.WAITING);
        assertThat(first.resumeAt()).isEqualTo(start.plus(Duration.ofDays(1)).plus(Duration.ofHours(2)));
        time.advance(Duration.between(time.now(), first.resumeAt()));
        assertThat(parking().resume(rollout, first.rolloutId()).status()).isEqualTo(RolloutStatus.SUCCEEDED);
    }

    @Test
    void resume_ofAnUnknownRolloutOrAChangedOne_isRefusedBeforeAnythingRuns() {
        Rollout rollout = staged().soak(Duration.ofDays(7)).wave(Wave.builder("production").targets("prod-1").build())
                .build();
        String id = parking().run(rollout).rolloutId();
        Rollout changed = staged().soak(Duration.ofDays(7)).approval(Approval.by(Approver.autoApprove("bot")))
                .wave(Wave.builder("production").targets("prod-1").build()).build();
        List<JournalEntry> before = RolloutJournal.read(store(), id).entries();

        assertThatThrownBy(() -> parking().resume(rollout, "nosuchrollout")).isInstanceOf(JournalException.class)
                .hasMessageContaining("No rollout nosuchrollout");
        assertThatThrownBy(() -> parking().resume(changed, id)).isInstanceOf(JournalException.class)
                .hasMessageContaining("Rollout " + id + " was started from a rollout whose structure had fingerprint")
                .hasMessageContaining("resumeChanged");
        assertThat(RolloutJournal.read(store(), id).entries()).as("a refused resume writes nothing").isEqualTo(before);

        time.advance(Duration.ofDays(7));
        RolloutResult accepted = parking().resumeChanged(changed, id, "added an approval after review");
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(RolloutJournal.read(store(), id).entries()).anySatisfy(e -> assertThat(e)
                .isInstanceOfSatisfying(JournalEntry.RolloutResumed.class,
                        r -> assertThat(r.override()).contains("added an approval after review")));
    }

    @Test
    void status_readsOnlyTheJournal_andSaysWhatComesNextAndWhen() {
        Rollout rollout = staged().soak(Duration.ofDays(7)).wave(Wave.builder("production").targets("prod-1").build())
                .build();
        RolloutResult first = parking().run(rollout);

        RolloutProgress p = Rollouts.status(store(), first.rolloutId());

        assertThat(p.state()).isEqualTo(RolloutProgress.State.WAITING);
        assertThat(p.resumeAt()).isEqualTo(first.resumeAt());
        assertThat(p.waves()).extracting(RolloutProgress.WaveProgressEntry::status)
                .containsExactly("SUCCEEDED", "NOT_STARTED");
        assertThat(p.toString()).contains("WAITING", "resume at or after " + first.resumeAt(), "wave non-production: SUCCEEDED");
    }

    @Test
    void park_withoutAJournal_isRefusedBeforeAnythingRuns() {
        Rollout rollout = staged().soak(Duration.ofDays(7)).wave(Wave.builder("production").targets("prod-1").build())
                .build();
        assertThatThrownBy(() -> Runner.create().withTimeSource(time).parkLongerThan(Duration.ofHours(1)).run(rollout))
                .isInstanceOf(JournalException.class).hasMessageContaining("cannot park without a journal");
        assertThat(patched).isEmpty();
    }
}
