package dev.stepwise.core.internal;

import dev.stepwise.core.journal.JournalException;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.journal.JournalWriter;
import dev.stepwise.core.journal.RunJournal;
import dev.stepwise.core.plan.Effect;
import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import java.io.IOException;
import java.util.Set;
import dev.stepwise.core.run.RunHandle;
import dev.stepwise.core.run.RunListener;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.StepResult;
import dev.stepwise.core.run.StepStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** The runner: immutable options; each run gets its own {@link RunExecution}. */
public final class DefaultRunner implements Runner {
    private static final DefaultRunner DEFAULT = new DefaultRunner(false, List.of(), TimeSource.system(), null);

    private final boolean dryRun;
    private final List<RunListener> listeners;
    private final TimeSource time;
    private final JournalStore journals;

    private DefaultRunner(boolean dryRun, List<RunListener> listeners, TimeSource time, JournalStore journals) {
        this.dryRun = dryRun;
        this.listeners = List.copyOf(listeners);
        this.time = time;
        this.journals = journals;
    }

    public static Runner create() {
        return DEFAULT;
    }

    @Override
    public Runner dryRun() {
        return new DefaultRunner(true, listeners, time, journals);
    }

    @Override
    public Runner live() {
        return new DefaultRunner(false, listeners, time, journals);
    }

    @Override
    public boolean isDryRun() {
        return dryRun;
    }

    @Override
    public Runner withListener(RunListener listener) {
        List<RunListener> l = new ArrayList<>(listeners);
        l.add(Objects.requireNonNull(listener, "listener"));
        return new DefaultRunner(dryRun, l, time, journals);
    }

    @Override
    public Runner withTimeSource(TimeSource timeSource) {
        return new DefaultRunner(dryRun, listeners, Objects.requireNonNull(timeSource, "timeSource"), journals);
    }

    @Override
    public Runner withJournal(JournalStore store) {
        return new DefaultRunner(dryRun, listeners, time, Objects.requireNonNull(store, "store"));
    }

    @Override
    public RunResult resume(Plan plan, String runId, Inputs secretInputs, Set<String> rerun) {
        return resume(plan, runId, secretInputs, rerun, new Cancellation());
    }

    /** Resumes with an outside cancellation (for rollouts). */
    public RunResult resume(Plan plan, String runId, Inputs secretInputs, Set<String> rerun, Cancellation cancellation) {
        Objects.requireNonNull(plan, "plan");
        if (journals == null) {
            throw new JournalException("This runner has no journal store: call withJournal(store) before resume");
        }
        RunJournal journal;
        try {
            journal = journals.read(runId);
        } catch (IOException e) {
            throw new JournalException("The journal of run " + runId + " could not be read: " + e.getMessage(), e);
        }
        if (!journal.plan().equals(plan.name()) || !journal.fingerprint().equals(plan.fingerprint())) {
            throw new JournalException("Run " + runId + " was made by plan " + journal.plan() + " (fingerprint "
                    + journal.fingerprint() + "), not by this plan " + plan.name() + " (fingerprint " + plan.fingerprint()
                    + "): resuming with a different plan could skip or repeat the wrong steps");
        }
        if (journal.isClosed()) {
            throw new JournalException("Run " + runId + " was closed (" + journal.reason() + ") and cannot be resumed");
        }
        if (journal.status().filter(st -> st.equals("SUCCEEDED") || st.equals("ENDED")).isPresent()) {
            throw new JournalException("Run " + runId + " already finished " + journal.status().get()
                    + "; there is nothing to resume");
        }
        Inputs inputs = secretInputs;
        for (Input<?> in : plan.inputs()) {
            Object v = journal.inputs().get(in.key().name());
            if (v != null) {
                inputs = with(inputs, in.key(), v);
            }
        }
        Inputs resolved = plan.resolve(inputs);
        try (JournalWriter w = journals.open(runId, false)) {
            return new RunExecution(plan, resolved, runId, journal.target().orElse(null), false, listeners, time,
                    cancellation, w, journal, rerun).execute();
        } catch (IOException e) {
            throw new JournalException("The journal of run " + runId + " could not be opened: " + e.getMessage(), e);
        }
    }

    /** The journal of {@code runId}, if this runner journals and one exists. */
    public Optional<RunJournal> journalOf(String runId) {
        if (journals == null) {
            return Optional.empty();
        }
        try {
            if (!journals.exists(runId)) {
                return Optional.empty();
            }
            return Optional.of(journals.read(runId));
        } catch (IOException e) {
            throw new JournalException("The journal of run " + runId + " could not be read: " + e.getMessage(), e);
        }
    }

    /** Whether this runner journals its live runs. */
    public boolean isJournaled() {
        return journals != null && !dryRun;
    }

    /**
     * A result rebuilt from a finished run's journal, for a resumed rollout that does not run the target again:
     * the status, the rows the journal recorded, and the outputs it holds.
     */
    public static RunResult fromJournal(Plan plan, RunJournal j) {
        List<StepResult> rows = new ArrayList<>();
        java.util.Map<String, Object> outputs = new java.util.LinkedHashMap<>();
        for (RunJournal.Row row : j.rows().values()) {
            Optional<Step<?>> step = plan.step(row.name());
            boolean isStep = step.isPresent();
            if (isStep && row.output() != null) {
                step.get().output().ifPresent(k -> outputs.put(k.name(), k.secret() ? "****"
                        : k.type().isInstance(row.output()) ? row.output() : Json.MAPPER.convertValue(row.output(), k.type())));
            }
            rows.add(new StepResult(row.name(), isStep ? StepResult.Kind.STEP : StepResult.Kind.CHECK,
                    isStep ? step.get().effect() : Effect.READ_ONLY,
                    row.succeeded() ? StepStatus.SUCCEEDED : row.status().equals("FAILED") ? StepStatus.FAILED : StepStatus.NOT_REACHED,
                    row.attempts(), null, null, null, null, List.of(),
                    "finished before the rollout stopped (from the journal)"));
        }
        return new RunResult(plan.name(), plan.fingerprint(), j.runId(), j.target().orElse(null), false,
                RunStatus.valueOf(j.status().orElse("FAILED")), j.reason(), null, null, java.util.Map.of(), outputs, null, rows);
    }

    private static <T> Inputs with(Inputs inputs, Key<T> key, Object value) {
        return inputs.with(key, key.type().isInstance(value) ? key.cast(value) : Json.MAPPER.convertValue(value, key.type()));
    }

    @Override
    public void closeRun(String runId, String reason) {
        if (journals == null) {
            throw new JournalException("This runner has no journal store: call withJournal(store) before closeRun");
        }
        try (JournalWriter w = journals.open(runId, false)) {
            var n = Json.MAPPER.createObjectNode().put("type", "run-closed").put("at", time.now().toString())
                    .put("reason", reason == null ? "" : reason);
            w.append(Json.MAPPER.writeValueAsString(n), true);
        } catch (IOException e) {
            throw new JournalException("The journal of run " + runId + " could not be written: " + e.getMessage(), e);
        }
    }

    public TimeSource timeSource() {
        return time;
    }

    @Override
    public RunResult run(Plan plan, Inputs inputs) {
        Objects.requireNonNull(plan, "plan");
        return execute(plan, plan.resolve(inputs), newRunId(), null, new Cancellation());
    }

    /** Runs with resolved inputs, a given id and target, and an outside cancellation (for rollouts). */
    public RunResult execute(Plan plan, Inputs resolved, String runId, String target, Cancellation cancellation) {
        if (journals == null || dryRun) {
            return new RunExecution(plan, resolved, runId, target, dryRun, listeners, time, cancellation).execute();
        }
        try (JournalWriter w = journals.open(runId, true)) {
            return new RunExecution(plan, resolved, runId, target, false, listeners, time, cancellation, w, null, Set.of())
                    .execute();
        } catch (IOException e) {
            throw new JournalException("The journal of run " + runId + " could not be opened: " + e.getMessage(), e);
        }
    }

    @Override
    public RunHandle start(Plan plan, Inputs inputs) {
        Objects.requireNonNull(plan, "plan");
        Inputs resolved = plan.resolve(inputs);
        String runId = newRunId();
        Cancellation cancellation = new Cancellation();
        CompletableFuture<RunResult> future = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                future.complete(execute(plan, resolved, runId, null, cancellation));
            } catch (Throwable e) {
                future.completeExceptionally(e);
            }
        }, "stepwise-run-" + plan.name() + "-" + runId);
        t.start();
        return new Handle(runId, cancellation, future);
    }

    /** A fresh run id: 12 hex digits, random. */
    public static String newRunId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    @Override
    public String toString() {
        return "Runner{" + (dryRun ? "dry run" : "live") + ", " + time + ", " + listeners.size() + " listener(s)"
                + (journals == null ? "" : ", journal " + journals) + "}";
    }

    private record Handle(String runId, Cancellation cancellation, CompletableFuture<RunResult> future) implements RunHandle {
        @Override
        public void cancel(String reason) {
            cancellation.cancel(reason);
        }

        @Override
        public boolean isDone() {
            return future.isDone();
        }

        @Override
        public RunResult await() throws InterruptedException {
            return Futures.await(future, "the run");
        }

        @Override
        public Optional<RunResult> await(Duration timeout) throws InterruptedException {
            return Futures.await(future, timeout, "the run");
        }

        @Override
        public String toString() {
            return "RunHandle{" + runId + (future.isDone() ? ", done" : ", running") + "}";
        }
    }
}
