package dev.stepwise.core.internal;

import dev.stepwise.core.journal.JournalEntry;
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
import dev.stepwise.core.rollout.CheckpointResult;
import dev.stepwise.core.run.Cancellation;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.StepResult;
import dev.stepwise.core.run.StepStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starting, resuming and closing one plan's runs with the options a {@link Runner} exposes (clock, journal store,
 * listeners, cancellation, dry run); plan runs and rollout targets both come through here. Stateless.
 */
final class PlanRuns {
    private static final Logger log = LoggerFactory.getLogger(PlanRuns.class);

    private PlanRuns() {
    }

    /** A fresh run id: 12 hex digits, random. */
    static String newRunId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** A new run with resolved inputs, journaled when the runner journals and runs live. */
    static RunResult execute(Runner options, Plan plan, Inputs resolved, String runId, String target,
            Cancellation cancellation) {
        return execute(options, plan, resolved, runId, target, null, List.of(), cancellation, false);
    }

    /**
     * A fresh run; for a rollout's target, {@code rolloutId} and the checkpoints passed before its wave
     * ({@code waveCheckpoints}, empty otherwise); {@code intoEmptyJournal}: its journal exists but holds no entry (see
     * {@link dev.stepwise.core.journal.JournalEmptyException}), so the run records into it instead of creating one.
     */
    static RunResult execute(Runner options, Plan plan, Inputs resolved, String runId, String target,
            String rolloutId, List<CheckpointResult> waveCheckpoints, Cancellation cancellation,
            boolean intoEmptyJournal) {
        Optional<JournalStore> store = options.journal();
        if (store.isEmpty() || options.isDryRun()) {
            return new PlanRun(plan, resolved, runId, target, rolloutId, waveCheckpoints, options.isDryRun(),
                    options.listeners(), options.timeSource(), cancellation, null, Resumption.none()).execute();
        }
        try (JournalWriter w = store.get().open(runId, !intoEmptyJournal)) {
            return new PlanRun(plan, resolved, runId, target, rolloutId, waveCheckpoints, false, options.listeners(),
                    options.timeSource(), cancellation, w, Resumption.none()).execute();
        } catch (IOException e) {
            throw new JournalException("The journal of run " + runId + " could not be opened: " + e.getMessage(), e);
        }
    }

    /**
     * Continues run {@code runId} from its journal (see {@link Runner#resume(Plan, String, Inputs, Set)}). The journal
     * is opened for writing first and read after: a store refuses a second writer, so the reading that decides what
     * to skip and what to run again is the one no other runner can extend meanwhile.
     */
    static RunResult resume(Runner options, Plan plan, String runId, Inputs secretInputs, Set<String> rerun,
            Cancellation cancellation) {
        return resume(options, plan, runId, null, List.of(), secretInputs, rerun, cancellation);
    }

    /**
     * {@link #resume(Runner, Plan, String, Inputs, Set, Cancellation)} of a target's run in rollout {@code rolloutId},
     * whose wave passed {@code waveCheckpoints} (as the rollout journal recorded them).
     */
    static RunResult resume(Runner options, Plan plan, String runId, String rolloutId,
            List<CheckpointResult> waveCheckpoints, Inputs secretInputs, Set<String> rerun, Cancellation cancellation) {
        JournalStore store = journaling(options, "resume run " + runId);
        try (JournalWriter w = store.open(runId, false)) {
            RunJournal journal = read(store, runId);
            if (!journal.plan().equals(plan.name()) || !journal.fingerprint().equals(plan.fingerprint())) {
                throw new JournalException("Run " + runId + " was made by plan " + journal.plan() + " (fingerprint "
                        + journal.fingerprint() + "), not by this plan " + plan.name() + " (fingerprint "
                        + plan.fingerprint() + "): resuming with a different plan could skip or repeat the wrong steps");
            }
            if (journal.isClosed()) {
                throw new JournalException("Run " + runId + " was closed (" + journal.reason() + ") and cannot be resumed");
            }
            if (finished(journal)) {
                throw new JournalException("Run " + runId + " already finished " + journal.status().get()
                        + "; there is nothing to resume");
            }
            if (journal.tornLines() > 0) {
                log.info("The journal of run {} has {} torn write(s) (lines a crash cut short), skipped", runId,
                        journal.tornLines());
            }
            if (!journal.corruptLines().isEmpty()) {
                log.warn("The journal of run {} has unreadable line(s) {}: entries may be missing, so no unfinished "
                        + "MUTATING step runs again without a decision", runId, journal.corruptLines());
            }
            Inputs inputs = secretInputs;
            for (Input<?> in : plan.inputs()) {
                Object v = journal.inputs().get(in.key().name());
                if (v != null) {
                    inputs = with(inputs, in.key(), v);
                }
            }
            Inputs resolved = plan.resolve(inputs);
            return new PlanRun(plan, resolved, runId, journal.target().orElse(null), rolloutId, waveCheckpoints, false,
                    options.listeners(), options.timeSource(), cancellation, w, Resumption.from(journal, rerun)).execute();
        } catch (IOException e) {
            throw new JournalException("The journal of run " + runId + " could not be opened: " + e.getMessage(), e);
        }
    }

    /** Appends a close entry to run {@code runId}'s journal; refused while another runner holds the journal. */
    static void close(Runner options, String runId, String reason) {
        JournalStore store = journaling(options, "close run " + runId);
        try (JournalWriter w = store.open(runId, false)) {
            w.append(new JournalEntry.RunClosed(options.timeSource().now(), reason), true);
        } catch (IOException e) {
            throw new JournalException("The journal of run " + runId + " could not be written: " + e.getMessage(), e);
        }
    }

    /**
     * Whether the journal says the run finished as the plan intended (so there is nothing to resume). A journal with
     * corrupt lines never does: a later session's entries may be among the lost ones, so its recorded finish may not
     * be the last word, and a target must not look done on its say-so.
     */
    static boolean finished(RunJournal j) {
        return j.corruptLines().isEmpty() && j.status().filter(st -> st.equals("SUCCEEDED") || st.equals("ENDED")).isPresent();
    }

    /** The journal of {@code runId}, if the runner journals and one exists. */
    static Optional<RunJournal> journalOf(Runner options, String runId) {
        Optional<JournalStore> store = options.journal();
        if (store.isEmpty()) {
            return Optional.empty();
        }
        try {
            if (!store.get().exists(runId)) {
                return Optional.empty();
            }
        } catch (IOException e) {
            throw new JournalException("The journal store could not say whether run " + runId + " exists: "
                    + e.getMessage(), e);
        }
        return Optional.of(read(store.get(), runId));
    }

    private static RunJournal read(JournalStore store, String runId) {
        try {
            return store.read(runId);
        } catch (IOException e) {
            throw new JournalException("The journal of run " + runId + " could not be read: " + e.getMessage(), e);
        }
    }

    private static JournalStore journaling(Runner options, String what) {
        return options.journal().orElseThrow(() -> new JournalException("This runner has no journal store, so it cannot "
                + what + ": use Runner.create().withJournal(store)"));
    }

    /**
     * A result rebuilt from a finished run's journal, for a resumed rollout that does not run the target again:
     * the status, the rows the journal recorded, the outputs and the failure it holds.
     */
    static RunResult fromJournal(Plan plan, RunJournal j) {
        List<StepResult> rows = new ArrayList<>();
        Map<String, Object> outputs = new LinkedHashMap<>();
        for (RunJournal.Row row : j.rows().values()) {
            Optional<Step<?>> step = plan.step(row.name());
            boolean isStep = step.isPresent();
            if (isStep && row.output() != null) {
                step.get().output().ifPresent(k -> outputs.put(k.name(), k.secret() ? "****" : k.fromPlain(row.output())));
            }
            StepStatus status = row.succeeded() ? StepStatus.SUCCEEDED
                    : row.status().equals("FAILED") ? StepStatus.FAILED : StepStatus.NOT_REACHED;
            rows.add(StepResult.builder().name(row.name()).kind(isStep ? StepResult.Kind.STEP : StepResult.Kind.CHECK)
                    .effect(isStep ? step.get().effect() : Effect.READ_ONLY).status(status).attempts(row.attempts())
                    .failure(row.failure()).note("finished before the rollout stopped (from the journal)").build());
        }
        return RunResult.builder().plan(plan.name()).fingerprint(plan.fingerprint()).runId(j.runId())
                .target(j.target().orElse(null)).status(RunStatus.valueOf(j.status().orElse("FAILED")))
                .reason(Objects.requireNonNullElse(j.reason(), "")).outputs(outputs).failure(j.failure().orElse(null))
                .steps(rows).build();
    }

    private static <T> Inputs with(Inputs inputs, Key<T> key, Object value) {
        return inputs.with(key, key.fromPlain(value));
    }
}
