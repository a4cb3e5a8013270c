package dev.stepwise.core.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.journal.JournalException;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RolloutResumeTest {
    static final Key<String> HOST = Key.of("host", String.class);
    static final Key<String> PATCHED = Key.of("patched", String.class);

    @TempDir
    Path dir;

    private final Map<String, AtomicInteger> patches = new ConcurrentHashMap<>();

    private Plan plan() {
        return Plan.builder("patch-host").input(Input.required(HOST))
                .step(Step.mutating("patch").output(PATCHED).reads(HOST).action(ctx -> {
                    patches.computeIfAbsent(ctx.get(HOST), h -> new AtomicInteger()).incrementAndGet();
                    return "patched " + ctx.get(HOST);
                }))
                .build();
    }

    private Rollout rollout(AtomicInteger approvals) {
        return Rollout.builder("fleet", plan()).inputs(t -> Inputs.of(HOST, t))
                .wave(Wave.builder("canary").targets("h1", "h2").build())
                .soak(Duration.ofDays(2))
                .approval(Approval.by(Approver.answering(request -> {
                    approvals.incrementAndGet();
                    return ApprovalDecision.approve("alice", "looks good");
                })).timeout(Duration.ofHours(1)))
                .wave(Wave.builder("main").targets("h3", "h4", "h5", "h6").maxConcurrency(1).build())
                .build();
    }

    @Test
    void resume_afterTheRolloutStoppedMidWave_runsNoFinishedTargetAgainAndRepeatsNoCheckpoint() {
        VirtualTimeSource time = VirtualTimeSource.create();
        JournalStore store = JournalStore.directory(dir);
        AtomicInteger approvals = new AtomicInteger();
        AtomicReference<RolloutHandle> handle = new AtomicReference<>();
        Runner first = Runner.create().withTimeSource(time).withJournal(store).withRolloutListener(e -> {
            // the process "dies" once the second target of the main wave has finished
            if (e instanceof RolloutEvent.TargetFinished t && t.target().equals("h4")) {
                handle.get().cancel("the operator's laptop died");
            }
        });
        handle.set(first.start(rollout(approvals)));
        RolloutResult stopped = await(handle.get());
        assertThat(stopped.status()).isEqualTo(RolloutStatus.CANCELLED);
        assertThat(patches).containsOnlyKeys("h1", "h2", "h3", "h4");
        assertThat(approvals).hasValue(1);
        Duration waitedBefore = time.waits().stream().reduce(Duration.ZERO, Duration::plus);

        RolloutResult resumed = Runner.create().withTimeSource(time).withJournal(store)
                .resume(rollout(approvals), stopped.rolloutId());

        assertThat(resumed.status()).as(resumed.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(patches.values()).as("no target patched twice").allSatisfy(n -> assertThat(n).hasValue(1));
        assertThat(patches).containsOnlyKeys("h1", "h2", "h3", "h4", "h5", "h6");
        assertThat(approvals).as("the approval is not asked again").hasValue(1);
        assertThat(time.waits().stream().reduce(Duration.ZERO, Duration::plus)).as("no second soak").isEqualTo(waitedBefore);
        assertThat(resumed.wave("canary").targets()).allSatisfy(t -> assertThat(t.note()).contains("not run again"));
        assertThat(resumed.wave("main").checkpoints()).allSatisfy(c -> assertThat(c.detail()).contains("not repeated on resume"));
        assertThat(resumed.wave("canary").outputs(PATCHED)).containsEntry("h1", "patched h1");
    }

    @Test
    void resume_withoutAJournal_isRefused() {
        assertThatThrownBy(() -> Runner.create().resume(rollout(new AtomicInteger()), "abc"))
                .isInstanceOf(JournalException.class).hasMessageContaining("needs a live runner with a journal");
    }

    private static RolloutResult await(RolloutHandle h) {
        try {
            return h.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
