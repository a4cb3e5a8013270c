package dev.stepwise.core.internal;

import dev.stepwise.core.journal.RunJournal;
import dev.stepwise.core.plan.Effect;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.OnFailure;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.StepResult;
import dev.stepwise.core.run.StepStatus;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a resumed run does with each row, from the journal of its earlier sessions: a finished step is restored
 * (its output available again), a check or branch keeps its outcome, a step cut short runs again only when that
 * is safe, and otherwise the run stops and says which step needs a human decision. A new run has no journal and
 * every row simply runs. Used by the run's thread.
 */
final class Resumption {
    private final RunJournal journal;
    private final Set<String> rerun;

    private Resumption(RunJournal journal, Set<String> rerun) {
        this.journal = journal;
        this.rerun = Set.copyOf(rerun);
    }

    /** For a new run: nothing to restore. */
    static Resumption none() {
        return new Resumption(null, Set.of());
    }

    /** For a run resumed from {@code journal}, re-running the unfinished steps named in {@code rerun}. */
    static Resumption from(RunJournal journal, Set<String> rerun) {
        return new Resumption(journal, rerun);
    }

    boolean isResume() {
        return journal != null;
    }

    /**
     * Restores a step the journal says finished (its row becomes SUCCEEDED, its output available again), marks an
     * unfinished one for re-running when that is safe, and returns the reason to stop when it is not. Returns null
     * when the step should run (or was restored).
     */
    String restoreOrBlock(RunState run, Step<?> step, int rowIndex) {
        RunJournal.Row jr = journal == null ? null : journal.rows().get(rowIndex);
        if (journal != null && !journal.corruptLines().isEmpty() && step.effect() == Effect.MUTATING
                && (jr == null || jr.unfinished())) {
            return blockOrRerunDespiteMissingEntries(run, step, run.rows.get(rowIndex));
        }
        if (jr == null) {
            return null;
        }
        RunState.Row row = run.rows.get(rowIndex);
        Optional<? extends Key<?>> key = step.output();
        if (jr.succeeded() && !(key.isPresent() && jr.outputRedacted())) {
            if (key.isPresent()) {
                run.record(step, row, key.get().fromPlain(jr.output()));
            }
            row.status = StepStatus.SUCCEEDED;
            row.attempts = jr.attempts();
            row.note = "done before the run stopped (restored from the journal)";
            return null;
        }
        if ("FAILED".equals(jr.status()) && !(step.onFailure() instanceof OnFailure.Abort)) {
            // the plan had already gone on past this failure (to the next step or its on-failure step): running
            // the step again would act twice, so its failure stands, with the exception's recorded details
            row.status = StepStatus.FAILED;
            row.attempts = jr.attempts();
            row.failure = jr.failure();
            row.note = "failed before the run stopped (from the journal)";
            return null;
        }
        if (jr.unfinished() || jr.succeeded()) {
            boolean safe = step.effect() == Effect.READ_ONLY || step.rerunSafety().isPresent() || rerun.contains(step.name());
            if (!safe) {
                row.note = "needs a decision: it started before the run stopped and may have acted";
                return "step \"" + step.name() + "\" started before the run stopped, and the journal cannot say whether "
                        + "it acted" + (jr.succeeded() ? " (its secret output was not journaled)" : "")
                        + "; it does not declare how to find out. Check by hand, then resume with this step in the "
                        + "rerun set to run it again";
            }
            run.rerunning.add(step.name());
            row.note = "run again after the run stopped inside it" + step.rerunSafety().map(h -> " (" + h + ")").orElse("");
        }
        return null;
    }

    /**
     * A MUTATING step whose end the journal does not record, when the journal has corrupt lines: its start (even
     * its end) may be among the lost entries, so whether it acted is unknown, and even a step that can tell does not
     * run again until someone has looked (a corrupt journal is not a crash the step was written for).
     */
    private String blockOrRerunDespiteMissingEntries(RunState run, Step<?> step, RunState.Row row) {
        String lines = "line(s) " + journal.corruptLines().stream().map(String::valueOf).collect(Collectors.joining(", "));
        if (rerun.contains(step.name())) {
            run.rerunning.add(step.name());
            row.note = "run again as asked, although the journal's " + lines + " could not be read";
            return null;
        }
        row.note = "needs a decision: the journal's " + lines + " could not be read, so it may have acted";
        return "step \"" + step.name() + "\" has no recorded end, and the journal of run " + journal.runId() + " has "
                + "unreadable " + lines + " (not a torn last write): entries may be missing, so the step may have "
                + "started and acted. Check by hand, then resume with this step in the rerun set to run it again, or "
                + "close the run";
    }

    /** The outcome the journal recorded for a check or branch, applied to its row; empty when it must be evaluated. */
    Optional<Boolean> decided(RunState.Row row, int rowIndex) {
        RunJournal.Row jr = journal == null ? null : journal.rows().get(rowIndex);
        if (jr == null || jr.outcome().isEmpty()) {
            return Optional.empty();
        }
        boolean held = jr.outcome().equals("held") || jr.outcome().equals("then");
        row.status = row.kind == StepResult.Kind.BRANCH || held ? StepStatus.SUCCEEDED : StepStatus.FAILED;
        row.attempts = 1;
        row.note = (row.kind == StepResult.Kind.BRANCH ? "took " + jr.outcome() + " " : "")
                + "(decided before the run stopped; from the journal)";
        return Optional.of(held);
    }
}
