package dev.stepwise.core.internal;

import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.RolloutHandle;
import dev.stepwise.core.rollout.RolloutListener;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.run.Cancellation;
import dev.stepwise.core.run.RunHandle;
import dev.stepwise.core.run.RunListener;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** The runner: immutable options; runs go through {@link PlanRuns}, rollouts through {@link RolloutRun}. */
public final class DefaultRunner implements Runner {
    private static final DefaultRunner DEFAULT = new DefaultRunner(false, List.of(), List.of(), TimeSource.system(), null,
            null, null);

    private final boolean dryRun;
    private final List<RunListener> listeners;
    private final List<RolloutListener> rolloutListeners;
    private final TimeSource time;
    private final JournalStore journals;
    private final Cancellation cancellation;
    private final Duration park;

    private DefaultRunner(boolean dryRun, List<RunListener> listeners, List<RolloutListener> rolloutListeners,
            TimeSource time, JournalStore journals, Cancellation cancellation, Duration park) {
        this.dryRun = dryRun;
        this.listeners = List.copyOf(listeners);
        this.rolloutListeners = List.copyOf(rolloutListeners);
        this.time = time;
        this.journals = journals;
        this.cancellation = cancellation;
        this.park = park;
    }

    public static Runner create() {
        return DEFAULT;
    }

    @Override
    public Runner dryRun() {
        return new DefaultRunner(true, listeners, rolloutListeners, time, journals, cancellation, park);
    }

    @Override
    public Runner live() {
        return new DefaultRunner(false, listeners, rolloutListeners, time, journals, cancellation, park);
    }

    @Override
    public boolean isDryRun() {
        return dryRun;
    }

    @Override
    public Runner withListener(RunListener listener) {
        List<RunListener> l = new ArrayList<>(listeners);
        l.add(Objects.requireNonNull(listener, "listener"));
        return new DefaultRunner(dryRun, l, rolloutListeners, time, journals, cancellation, park);
    }

    @Override
    public Runner withRolloutListener(RolloutListener listener) {
        List<RolloutListener> l = new ArrayList<>(rolloutListeners);
        l.add(Objects.requireNonNull(listener, "listener"));
        return new DefaultRunner(dryRun, listeners, l, time, journals, cancellation, park);
    }

    @Override
    public Runner withTimeSource(TimeSource timeSource) {
        return new DefaultRunner(dryRun, listeners, rolloutListeners, Objects.requireNonNull(timeSource, "timeSource"),
                journals, cancellation, park);
    }

    @Override
    public Runner withJournal(JournalStore store) {
        return new DefaultRunner(dryRun, listeners, rolloutListeners, time, Objects.requireNonNull(store, "store"),
                cancellation, park);
    }

    @Override
    public Runner withCancellation(Cancellation c) {
        return new DefaultRunner(dryRun, listeners, rolloutListeners, time, journals,
                Objects.requireNonNull(c, "cancellation"), park);
    }

    @Override
    public Runner parkLongerThan(Duration threshold) {
        Objects.requireNonNull(threshold, "threshold");
        if (threshold.isNegative()) {
            throw new dev.stepwise.core.PlanValidationException("Runner", List.of("parkLongerThan " + threshold
                    + " must be zero or more"));
        }
        return new DefaultRunner(dryRun, listeners, rolloutListeners, time, journals, cancellation, threshold);
    }

    @Override
    public Optional<Duration> parkThreshold() {
        return Optional.ofNullable(park);
    }

    @Override
    public TimeSource timeSource() {
        return time;
    }

    @Override
    public Optional<JournalStore> journal() {
        return Optional.ofNullable(journals);
    }

    @Override
    public List<RunListener> listeners() {
        return listeners;
    }

    @Override
    public List<RolloutListener> rolloutListeners() {
        return rolloutListeners;
    }

    @Override
    public Optional<Cancellation> cancellation() {
        return Optional.ofNullable(cancellation);
    }

    @Override
    public RunResult run(Plan plan, Inputs inputs) {
        Objects.requireNonNull(plan, "plan");
        Inputs resolved = plan.resolve(inputs);
        Cancellation own = Cancellation.create();
        return linked(this, own, () -> PlanRuns.execute(this, plan, resolved, PlanRuns.newRunId(), null, own));
    }

    @Override
    public RunHandle start(Plan plan, Inputs inputs) {
        Objects.requireNonNull(plan, "plan");
        Inputs resolved = plan.resolve(inputs);
        String runId = PlanRuns.newRunId();
        Cancellation own = Cancellation.create();
        CompletableFuture<RunResult> future = onNewThread("stepwise-run-" + plan.name() + "-" + runId,
                () -> linked(this, own, () -> PlanRuns.execute(this, plan, resolved, runId, null, own)));
        return new Handles.Run(runId, own, future);
    }

    @Override
    public RunResult resume(Plan plan, String runId, Inputs secretInputs, Set<String> rerun) {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(runId, "runId");
        Cancellation own = Cancellation.create();
        return linked(this, own, () -> PlanRuns.resume(this, plan, runId, secretInputs, rerun, own));
    }

    @Override
    public void closeRun(String runId, String reason) {
        PlanRuns.close(this, Objects.requireNonNull(runId, "runId"), reason);
    }

    @Override
    public RolloutResult run(Rollout rollout) {
        Objects.requireNonNull(rollout, "rollout");
        RolloutRun execution = new RolloutRun(rollout, this, rollout.id().orElseGet(PlanRuns::newRunId), false);
        return linked(this, execution.cancellation(), execution::execute);
    }

    @Override
    public RolloutHandle start(Rollout rollout) {
        Objects.requireNonNull(rollout, "rollout");
        RolloutRun execution = new RolloutRun(rollout, this, rollout.id().orElseGet(PlanRuns::newRunId), false);
        CompletableFuture<RolloutResult> future = onNewThread("stepwise-rollout-" + rollout.name() + "-" + execution.id(),
                () -> linked(this, execution.cancellation(), execution::execute));
        return new Handles.Rollout(execution, future);
    }

    @Override
    public RolloutResult resume(Rollout rollout, String rolloutId) {
        Objects.requireNonNull(rollout, "rollout");
        Objects.requireNonNull(rolloutId, "rolloutId");
        TargetRunIds.checkRolloutId(rolloutId);
        RolloutRun execution = RolloutRun.resuming(rollout, this, rolloutId, null);
        return linked(this, execution.cancellation(), execution::execute);
    }

    @Override
    public RolloutResult resumeChanged(Rollout rollout, String rolloutId, String why) {
        Objects.requireNonNull(rollout, "rollout");
        Objects.requireNonNull(rolloutId, "rolloutId");
        Objects.requireNonNull(why, "why");
        TargetRunIds.checkRolloutId(rolloutId);
        RolloutRun execution = RolloutRun.resuming(rollout, this, rolloutId, why);
        return linked(this, execution.cancellation(), execution::execute);
    }

    /** Runs {@code body} with {@code own} also cancelled when the runner's cancellation is. */
    static <R> R linked(Runner options, Cancellation own, Supplier<R> body) {
        Optional<Cancellation> outer = options.cancellation();
        if (outer.isEmpty()) {
            return body.get();
        }
        AutoCloseable link = outer.get().onCancel(() -> own.cancel(outer.get().reason()));
        try {
            return body.get();
        } finally {
            try {
                link.close();
            } catch (Exception e) {
                // removing a listener from a list cannot fail
            }
        }
    }

    private static <R> CompletableFuture<R> onNewThread(String name, Supplier<R> body) {
        CompletableFuture<R> future = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                future.complete(body.get());
            } catch (Throwable e) {
                future.completeExceptionally(e);
            }
        }, name);
        t.start();
        return future;
    }

    @Override
    public String toString() {
        return "Runner{" + (dryRun ? "dry run" : "live") + ", " + time + ", " + listeners.size() + " listener(s)"
                + (rolloutListeners.isEmpty() ? "" : ", " + rolloutListeners.size() + " rollout listener(s)")
                + (journals == null ? "" : ", journal " + journals) + (cancellation == null ? "" : ", " + cancellation)
                + (park == null ? "" : ", parks waits over " + park)
                + "}";
    }
}
