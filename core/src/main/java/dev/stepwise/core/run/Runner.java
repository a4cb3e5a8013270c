package dev.stepwise.core.run;

import dev.stepwise.core.internal.DefaultRunner;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;

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
     * Runs {@code plan} on the calling thread and returns what happened. Step failures are reported in the
     * result, not thrown; call {@link RunResult#orThrow()} to turn a failure into an exception.
     *
     * @throws dev.stepwise.core.InvalidInputException if the inputs break the plan's declarations (nothing ran)
     */
    RunResult run(Plan plan, Inputs inputs);

    /**
     * Starts {@code plan} on a new thread and returns a handle to cancel it or wait for its result.
     *
     * @throws dev.stepwise.core.InvalidInputException if the inputs break the plan's declarations (nothing ran)
     */
    RunHandle start(Plan plan, Inputs inputs);
}
