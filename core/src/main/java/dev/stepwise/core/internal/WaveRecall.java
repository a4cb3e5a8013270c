package dev.stepwise.core.internal;

import dev.stepwise.core.journal.JournalEntry;
import dev.stepwise.core.journal.RolloutJournal;
import dev.stepwise.core.journal.RunJournal;
import dev.stepwise.core.rollout.Checkpoint;
import dev.stepwise.core.rollout.CheckpointResult;
import dev.stepwise.core.rollout.CheckpointResult.Outcome;
import dev.stepwise.core.rollout.TargetResult;
import dev.stepwise.core.rollout.TargetStatus;
import dev.stepwise.core.rollout.Wave;
import dev.stepwise.core.rollout.WaveResult;
import dev.stepwise.core.rollout.WaveStatus;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Rebuilds what a resumed rollout does not run again from its journals alone: a wave that had ended within its
 * budget (its targets' results from their run journals) and the checkpoints that had passed. Touches nothing but the
 * journal store.
 */
final class WaveRecall {
    private WaveRecall() {
    }

    /**
     * Wave {@code w} as it ended before the rollout stopped; empty when a target's journal is not its own, so the
     * wave must run again (and refuses that target).
     */
    static Optional<WaveResult> recall(RolloutRun r, Wave w, RolloutJournal journal, JournalEntry.WaveEnded ended) {
        List<String> targets = journal.targets(w.name()).orElse(List.of());
        List<TargetResult> results = new ArrayList<>();
        Instant first = null;
        for (String t : targets) {
            Optional<RunJournal> run;
            try {
                run = PlanRuns.journalOf(r.options, RolloutRun.targetRunId(r.id, w, t));
            } catch (dev.stepwise.core.journal.JournalEmptyException e) {
                run = Optional.empty(); // created, nothing recorded: never started
            }
            if (run.isEmpty()) {
                results.add(TargetResult.builder().target(t).status(TargetStatus.NOT_STARTED)
                        .note("not started before the wave ended").build());
                continue;
            }
            if (!run.get().target().filter(t::equals).isPresent()) {
                // not this target's journal: the wave is not recalled but run again, where the target is refused
                return Optional.empty();
            }
            RunResult result = PlanRuns.fromJournal(r.planOf(w), run.get());
            TargetStatus status = result.isSuccess() ? TargetStatus.SUCCEEDED
                    : result.status() == RunStatus.CANCELLED ? TargetStatus.CANCELLED : TargetStatus.FAILED;
            results.add(TargetResult.builder().target(t).status(status).run(result).failure(result.failure())
                    .note("finished before the rollout stopped; not run again").build());
        }
        List<CheckpointResult> cps = new ArrayList<>();
        List<Checkpoint> before = r.rollout.checkpointsBefore(w);
        for (int i = 0; i < before.size(); i++) {
            cps.add(passedBefore(before.get(i), journal.checkpoint(w.name(), i), ended.at()));
        }
        int n = targets.size();
        Instant started = journal.entries().stream()
                .filter(e -> e instanceof JournalEntry.WaveStarted s && s.wave().equals(w.name()))
                .map(JournalEntry::at).findFirst().orElse(first);
        return Optional.of(WaveResult.builder().name(w.name()).status(WaveStatus.valueOf(ended.status()))
                .reason(Objects.requireNonNullElse(ended.reason(), "")).targetSource(w.targets().description())
                .maxConcurrency(w.maxConcurrency())
                .concurrency(n == 0 ? 0 : w.maxConcurrency().concurrencyFor(n)).maxErrors(w.maxErrors())
                .errorBudget(n == 0 ? 0 : w.maxErrors().errorsFor(n)).ramp(w.ramp()).strict(w.strict())
                .rampStages(n == 0 ? List.of() : w.rampStages(n)).checkpoints(cps).start(started).end(ended.at())
                .targets(results).build());
    }

    /** A checkpoint passed before the rollout stopped: as the journal recorded it, or just "passed". */
    static CheckpointResult passedBefore(Checkpoint c, Optional<RolloutJournal.Checkpoint> recorded, Instant fallback) {
        Optional<JournalEntry.CheckpointEnded> ended = recorded.map(RolloutJournal.Checkpoint::ended);
        if (ended.isPresent()) {
            JournalEntry.CheckpointEnded e = ended.get();
            Instant s = recorded.get().started() == null ? e.at() : recorded.get().started().at();
            return CheckpointResult.builder().kind(c.kind()).description(c.description())
                    .outcome(Outcome.valueOf(e.outcome())).start(s).end(e.at())
                    .detail(e.detail() + " (recorded before the rollout stopped; not repeated on resume)")
                    .decision(e.decision()).data(e.data()).build();
        }
        return CheckpointResult.builder().kind(c.kind()).description(c.description()).outcome(Outcome.PASSED)
                .start(fallback).end(fallback).detail("passed before the rollout stopped; not repeated on resume")
                .build();
    }
}
