package dev.stepwise.core.run;

import dev.stepwise.core.internal.DefaultRunner;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import java.util.Set;

/**
 * Runs plans. A runner is an immutable bundle of options — live or dry run, listeners, clock — and the
 * {@code with…} methods return changed copies, so one configured runner can be shared.
 *
 * <p>Defaults of {@link #create()}: live, the system clock, no listeners. Inputs are checked before the first
 * step: bad ones raise {@link dev.stepwise.core.InvalidInputException} and nothing runs. A dry run executes
 * READ_ONLY steps and checks for real, so branches follow real facts, and only predicts MUTATING steps.
 * Thread-safe: one runner may run many plans at once, each run independent.
 *
 * <pre>{@code
 * RunResult dry = Runner.create().dryRun().run(plan, Inputs.of(INSTANCE_ID, "i-0123456789abcdef0"));
 * System.out.println(dry);
 * RunHandle live = Runner.create().withListener(System.out::println).start(plan, inputs);
 * live.cancel("operator asked");
 * RunResult result = live.await();
 * }</pre>
 */
public interface Runner {

    /** A live runner on the system clock with no listeners. */
    static Runner create() {
        return DefaultRunner.create();
    }

    /** A copy that dry-runs. */
    Runner dryRun();

    /** A copy that runs live. */
    Runner live();

    /** Whether this runner dry-runs. */
    boolean isDryRun();

    /** A copy that also tells {@code listener} of every event. */
    Runner withListener(RunListener listener);

    /** A copy that reads {@code timeSource} for every wait, backoff and timeout. */
    Runner withTimeSource(TimeSource timeSource);

    /**
     * A copy that journals every live run in {@code store}: inputs (secret ones redacted), each step's start,
     * attempts, end and output, written durably before and after every MUTATING step, so a run cut short by a
     * crash can be {@linkplain #resume resumed}. Dry runs are not journaled.
     */
    Runner withJournal(JournalStore store);

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
     * @param secretInputs the values of the secret inputs, which the journal does not hold
     * @param rerun        unfinished steps the caller has checked and wants run again
     * @throws dev.stepwise.core.journal.JournalException if there is no journal, the plan differs from the
     *         journal's (fingerprint mismatch), or the run already finished or was closed
     */
    RunResult resume(Plan plan, String runId, Inputs secretInputs, Set<String> rerun);

    /** Marks run {@code runId} closed in its journal, so it can no longer be resumed; {@code reason} is recorded. */
    void closeRun(String runId, String reason);

    /**
     * Runs {@code plan} on the calling thread and returns what happened. Step failures are reported in the
     * result, not thrown; call {@link RunResult#orThrow()} to turn a failure into an exception.
     *
     * @throws dev.stepwise.core.InvalidInputException if the inputs break the plan's declarations (nothing ran)
     */
    RunResult run(Plan plan, Inputs inputs);

    /**
     * Starts {@code plan} on a new thread and returns a handle to cancel it or wait for its result. The thread is
     * not a daemon on purpose: a change in progress keeps the JVM alive until it ends or is cancelled.
     *
     * @throws dev.stepwise.core.InvalidInputException if the inputs break the plan's declarations (nothing ran)
     */
    RunHandle start(Plan plan, Inputs inputs);
}
