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
            Optional<RunJournal> run = PlanRuns.journalOf(r.options, RolloutRun.targetRunId(r.id, w, t));
            if (run.isEmpty()) {
                results.add(new TargetResult(t, TargetStatus.NOT_STARTED, false, null, null, null, null,
                        "not started before the wave ended"));
                continue;
            }
            if (!run.get().target().filter(t::equals).isPresent()) {
                // not this target's journal: the wave is not recalled but run again, where the target is refused
                return Optional.empty();
            }
            RunResult result = PlanRuns.fromJournal(r.planOf(w), run.get());
            TargetStatus status = result.isSuccess() ? TargetStatus.SUCCEEDED
                    : result.status() == RunStatus.CANCELLED ? TargetStatus.CANCELLED : TargetStatus.FAILED;
            results.add(new TargetResult(t, status, false, null, null, result, result.failure(),
                    "finished before the rollout stopped; not run again"));
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
        return Optional.of(new WaveResult(w.name(), WaveStatus.valueOf(ended.status()), ended.reason(), w.targets().description(),
                w.maxConcurrency(), n == 0 ? 0 : w.maxConcurrency().concurrencyFor(n), w.maxErrors(),
                n == 0 ? 0 : w.maxErrors().errorsFor(n), w.ramp(), w.strict(), n == 0 ? List.of() : w.rampStages(n), cps,
                started, ended.at(), results));
    }

    /** A checkpoint passed before the rollout stopped: as the journal recorded it, or just "passed". */
    static CheckpointResult passedBefore(Checkpoint c, Optional<RolloutJournal.Checkpoint> recorded, Instant fallback) {
        Optional<JournalEntry.CheckpointEnded> ended = recorded.map(RolloutJournal.Checkpoint::ended);
        if (ended.isPresent()) {
            JournalEntry.CheckpointEnded e = ended.get();
            Instant s = recorded.get().started() == null ? e.at() : recorded.get().started().at();
            return new CheckpointResult(c.kind(), c.description(), Outcome.valueOf(e.outcome()), s, e.at(),
                    e.detail() + " (recorded before the rollout stopped; not repeated on resume)", e.decision());
        }
        return new CheckpointResult(c.kind(), c.description(), Outcome.PASSED, fallback, fallback,
                "passed before the rollout stopped; not repeated on resume", null);
    }
}
