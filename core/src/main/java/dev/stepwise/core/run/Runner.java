package dev.stepwise.core.run;

import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.RolloutHandle;
import dev.stepwise.core.rollout.RolloutListener;
import dev.stepwise.core.rollout.RolloutResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs plans and rollouts. A runner is an immutable bundle of options — live or dry run, listeners, clock, journal
 * store, cancellation — and the {@code with…} methods return changed copies, so one configured runner can be
 * shared.
 *
 * <p>Defaults of {@link #create()}: live, the system clock, no listeners, no journal, no cancellation of its own.
 * Inputs are checked before the first step: bad ones raise {@link dev.stepwise.core.InvalidInputException} and
 * nothing runs. A dry run executes READ_ONLY steps and checks for real, so branches follow real facts, and only
 * predicts MUTATING steps. Thread-safe: one runner may run many plans and rollouts at once, each independent.
 *
 * <p>The engine reads everything it needs through the accessors ({@link #timeSource()}, {@link #journal()},
 * {@link #listeners()}, {@link #rolloutListeners()}, {@link #cancellation()}, {@link #isDryRun()}) and never
 * looks at the implementing class, so a decorated runner — a wrapper that delegates — keeps virtual time,
 * journaling, resume and cancellation.
 *
 * <p>Timeouts: an attempt ends before the next one starts, and a run is never reported finished while an action
 * it started still acts. Without a timeout, or on a virtual clock, an action runs on the run's thread. With an
 * attempt or step timeout on a real clock it runs on a daemon thread of its own, which is interrupted when the
 * timeout passes and then given a grace period — as long as the timeout, at most 30 s — to end before the next
 * attempt may start. An action that ignores its interrupt for longer fails its step with "attempt still running"
 * (no further attempt), and the run waits for the action to end before it goes on or finishes. Cancelling the
 * run meanwhile ends it {@link RunStatus#CANCELLED} at once, its reason and the step's note naming the action and
 * its thread: it may still act. A timeout too long to represent means no timeout; no duration overflows.
 *
 * <p>Rollouts: the targets of a wave run on a pool of {@code min(concurrency, targets)} platform threads, shut
 * down when the wave ends; each target's run publishes its {@link RunEvent}s to {@link #listeners()} from that
 * pool, so listeners must be thread-safe. A target's run that throws (bad inputs, a bug) counts as that target
 * failing. A rollout dry run resolves every wave's targets and dry-runs the plan for each, shows limits, ramp
 * stages and checkpoints without waiting or asking anyone, and goes through every wave even past one where a live
 * run would halt; the result's status says where that would be.
 *
 * <pre>{@code
 * RunResult dry = Runner.create().dryRun().run(plan, Inputs.of(INSTANCE_ID, "i-0123456789abcdef0"));
 * System.out.println(dry);
 * RunHandle live = Runner.create().withListener(System.out::println).start(plan, inputs);
 * live.cancel("operator asked");
 * RunResult result = live.await();
 * RolloutResult r = Runner.create().withRolloutListener(System.out::println).run(rollout);
 * }</pre>
 */
public interface Runner {

    /** A live runner on the system clock with no listeners and no journal. */
    static Runner create() {
        return Engines.defaultRunner();
    }

    // ---- options ----

    /** A copy that dry-runs. */
    Runner dryRun();

    /** A copy that runs live. */
    Runner live();

    /** Whether this runner dry-runs. */
    boolean isDryRun();

    /** A copy that also tells {@code listener} of every run event (the runs of rollout targets included). */
    Runner withListener(RunListener listener);

    /** A copy that also tells {@code listener} of every rollout event. */
    Runner withRolloutListener(RolloutListener listener);

    /** A copy that reads {@code timeSource} for every wait, backoff, timeout, soak and window. */
    Runner withTimeSource(TimeSource timeSource);

    /**
     * A copy that journals every live run and rollout target in {@code store}: inputs (secret ones redacted), each
     * step's start, attempts, end and output, written durably before and after every MUTATING step, so a run cut
     * short by a crash can be {@linkplain #resume resumed}. Dry runs are not journaled.
     */
    Runner withJournal(JournalStore store);

    /** A copy whose runs and rollouts all stop when {@code cancellation} is set. */
    Runner withCancellation(Cancellation cancellation);

    /**
     * A copy that parks rollouts instead of waiting: when the next thing a rollout would do is a wait longer than
     * {@code threshold} — a soak, an announcement's lead time, a closed maintenance window, a pending approval — the
     * run journals where it stands and returns at once with {@link dev.stepwise.core.rollout.RolloutStatus#WAITING},
     * the reason and {@link dev.stepwise.core.rollout.RolloutResult#resumeAt()}. A scheduled job (cron, a CI
     * schedule, a Kubernetes CronJob, a systemd timer) then calls {@link #resume(Rollout, String)}; a resume before
     * {@code resumeAt} returns {@code WAITING} again having touched nothing but the journal store. Needs a journal
     * ({@link #withJournal}); without this option a rollout waits in the process (still journaled and resumable).
     *
     * @param threshold zero or more; zero parks at every wait
     */
    Runner parkLongerThan(Duration threshold);

    /** The park threshold, if this runner parks rollouts. */
    Optional<Duration> parkThreshold();

    /** The clock every wait reads; {@link TimeSource#system()} unless set. */
    TimeSource timeSource();

    /** The journal store, if this runner journals. */
    Optional<JournalStore> journal();

    /** The run listeners, in the order added. */
    List<RunListener> listeners();

    /** The rollout listeners, in the order added. */
    List<RolloutListener> rolloutListeners();

    /** The cancellation every run and rollout of this runner also watches, if one was given. */
    Optional<Cancellation> cancellation();

    // ---- plans ----

    /**
     * Runs {@code plan} on the calling thread and returns what happened. Step failures are reported in the
     * result, not thrown; call {@link RunResult#orThrow()} to turn a failure into an exception.
     *
     * <p>A journaled run whose journal can no longer be written stops before its next MUTATING step, since it could
     * not be resumed from what it did next, and the failure is thrown rather than reported in a result: the result
     * of such a run would itself be unrecorded. The journal's end entry is attempted; the caller checks by hand what
     * the last step did.
     *
     * @throws dev.stepwise.core.InvalidInputException if the inputs break the plan's declarations (nothing ran)
     * @throws dev.stepwise.core.journal.JournalLostException if the journal was deleted, moved or replaced, or
     *         could not be written; it names where the journal was
     * @throws dev.stepwise.core.journal.JournalException if the journal could not be written otherwise (for
     *         example a DynamoDB lease lost mid-run, a {@link dev.stepwise.core.journal.JournalLockedException})
     */
    RunResult run(Plan plan, Inputs inputs);

    /**
     * Starts {@code plan} on a new thread and returns a handle to cancel it or wait for its result. The thread is
     * not a daemon on purpose: a change in progress keeps the JVM alive until it ends or is cancelled.
     *
     * @throws dev.stepwise.core.InvalidInputException if the inputs break the plan's declarations (nothing ran)
     */
    RunHandle start(Plan plan, Inputs inputs);

    /**
     * Resumes run {@code runId} from its journal, as {@link #resume(Plan, String, Inputs, Set)} with no secret
     * inputs and no steps to re-run.
     */
    default RunResult resume(Plan plan, String runId) {
        return resume(plan, runId, Inputs.empty(), Set.of());
    }

    /**
     * Resumes run {@code runId} from its journal, with the same run id: steps the journal records as done are
     * skipped and their outputs restored; checks and branches keep the outcome they had; a step that started
     * but did not finish runs again only if it is READ_ONLY, declares how it tells whether it already acted
     * ({@link dev.stepwise.core.plan.Step.Builder#rerunnable}), or is named in {@code rerun} — otherwise the run
     * stops and says which step needs a human decision.
     *
     * <p>The resume first takes the journal for writing, then reads it: a run that another runner is running or
     * resuming is refused, and nothing runs. A journal with unreadable lines that a crash cannot explain (see
     * {@link dev.stepwise.core.journal.RunJournal#corruptLines()}) may be missing entries: then every MUTATING step
     * whose end is not recorded needs a human decision (name it in {@code rerun}), and a recorded finish is not
     * trusted. During the resumed session, a journal that can no longer be written stops it as in
     * {@link #run(Plan, Inputs)}.
     *
     * @param secretInputs the values of the secret inputs, which the journal does not hold
     * @param rerun        unfinished steps the caller has checked and wants run again
     * @throws dev.stepwise.core.journal.JournalLockedException if another runner holds the run's journal; its
     *         {@code holder()} says who (for the directory store: process id, host and since when)
     * @throws dev.stepwise.core.journal.JournalException if there is no journal, the plan differs from the
     *         journal's (fingerprint mismatch), or the run already finished or was closed
     */
    RunResult resume(Plan plan, String runId, Inputs secretInputs, Set<String> rerun);

    /**
     * Marks run {@code runId} closed in its journal, so it can no longer be resumed; {@code reason} is recorded.
     *
     * @throws dev.stepwise.core.journal.JournalLockedException if the run is live: another runner holds its journal
     *         (nothing is written; close it once that runner has finished)
     */
    void closeRun(String runId, String reason);

    // ---- rollouts ----

    /** Runs {@code rollout} on the calling thread (live or dry, per this runner); halts are reported, not thrown. */
    RolloutResult run(Rollout rollout);

    /**
     * Starts {@code rollout} on a new thread. The thread is not a daemon on purpose: a rollout in progress keeps
     * the JVM alive until it ends or is cancelled.
     */
    RolloutHandle start(Rollout rollout);

    /**
     * Continues rollout {@code rolloutId} after its process stopped, from its targets' journals (this runner must
     * journal, see {@link #withJournal}): targets whose run finished are not run again (their results come from
     * the journal), targets cut short resume, the rest run; the checkpoints before a wave that had already
     * started are not repeated (no second soak, no second approval). Each target's run id is derived from the
     * rollout id and the target — {@code <rolloutId>-<readable part of the target>-<32 hex digits of SHA-256>} — so
     * no two targets share a journal; a target whose journal records another target fails instead of being resumed
     * or reported done from it.
     *
     * <p>With a rollout journal (every live rollout of a journaling runner keeps one), a resume continues, never
     * repeats: a soak waits only what remains of it from its recorded start; a decided approval is not asked again
     * and a pending one is answered by an outside decision if one was given; a sent announcement is not sent again
     * and its lead time counts from when it was sent; a recorded gate verdict stands; each wave's targets are the
     * ones frozen at their first resolution; a wave that ended within its budget is not run again.
     *
     * @throws dev.stepwise.core.journal.JournalException if this runner does not journal or dry-runs, if the store
     *         holds no rollout {@code rolloutId} (an id outside {@code [A-Za-z0-9_.-]{1,64}} never names one), or if
     *         the rollout's fingerprint (its structure: the plan's steps,
     *         effects, order and branches, the waves and their checkpoints; not descriptions) changed since it
     *         started — see {@link #resumeChanged}
     */
    RolloutResult resume(Rollout rollout, String rolloutId);

    /**
     * Resumes rollout {@code rolloutId} although its structure changed since it started (a library upgrade that
     * reorders a plan, a wave added): the change and {@code why} are recorded in its journal. Use it only after
     * checking that what already ran is still right for the changed rollout.
     */
    RolloutResult resumeChanged(Rollout rollout, String rolloutId, String why);
}
