package dev.stepwise.core.rollout;

import dev.stepwise.core.internal.RolloutRunner;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.TimeSource;

/**
 * Runs rollouts with a {@link Runner}: an immutable bundle of options whose {@code with…} methods return
 * changed copies.
 *
 * <p>Defaults of {@link #create(Runner)}: live or dry as the runner is, the runner's clock (the one given to
 * {@link Runner#withTimeSource}; the system clock otherwise), no listeners. Targets of a wave run on a pool of
 * {@code min(concurrency, targets)} platform threads, shut down when the wave ends; each target's run publishes
 * its {@link dev.stepwise.core.run.RunEvent}s to the runner's listeners from that pool, so those listeners must
 * be thread-safe. A target's run that throws (bad inputs, a bug) counts as that target failing.
 *
 * <p>A dry run resolves every wave's targets and dry-runs the plan for each (READ_ONLY steps for real, MUTATING
 * steps predicted), shows limits, ramp stages and checkpoints without waiting or asking anyone, and goes through
 * every wave even past one where a live run would halt; the result's status says where that would be.
 * Thread-safe.
 *
 * <pre>{@code
 * VirtualTimeSource time = VirtualTimeSource.create();
 * RolloutHandle h = Rollouter.create(Runner.create()).
 *     withTimeSource(time).
 *     withListener(System.out::println).
 *     start(rollout);
 * RolloutResult r = h.await();
 * }</pre>
 */
public interface Rollouter {

    /** A rollouter running each target's plan with {@code runner}. */
    static Rollouter create(Runner runner) {
        return RolloutRunner.create(runner);
    }

    /** A copy that dry-runs. */
    Rollouter dryRun();

    /** Whether this rollouter dry-runs. */
    boolean isDryRun();

    /** A copy that also tells {@code listener} of every rollout event. */
    Rollouter withListener(RolloutListener listener);

    /** A copy whose soaks, approvals and windows, and whose runner, read {@code timeSource}. */
    Rollouter withTimeSource(TimeSource timeSource);

    /** Runs {@code rollout} on the calling thread and returns what happened; halts are reported, not thrown. */
    RolloutResult run(Rollout rollout);

    /**
     * Continues rollout {@code rolloutId} after its process stopped, from its targets' journals (the runner
     * must journal, see {@link Runner#withJournal}): targets whose run finished are not run again (their
     * results come from the journal), targets cut short resume, the rest run; the checkpoints before a wave
     * that had already started are not repeated (no second soak, no second approval). Each target's run id is
     * {@code <rolloutId>-<target>}.
     *
     * @throws dev.stepwise.core.journal.JournalException if the runner does not journal
     */
    RolloutResult resume(Rollout rollout, String rolloutId);

    /**
     * Starts {@code rollout} on a new thread. The thread is not a daemon on purpose: a rollout in progress keeps the
     * JVM alive until it ends or is cancelled.
     */
    RolloutHandle start(Rollout rollout);
}
