package dev.stepwise.temporal;

import dev.stepwise.core.rollout.ApprovalDecision;
import dev.stepwise.core.rollout.Checkpoint;
import dev.stepwise.core.rollout.CheckpointResult;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.RolloutProgress;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.rollout.TargetResult;
import dev.stepwise.core.rollout.TargetStatus;
import dev.stepwise.core.rollout.Wave;
import dev.stepwise.core.rollout.WaveResult;
import dev.stepwise.core.rollout.WaveStatus;
import dev.stepwise.core.run.RunResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Turns a rollout workflow's state into the embedded runner's values: {@link RolloutResult} and {@link RolloutProgress}. */
final class Results {
    private Results() {
    }

    static RolloutResult rollout(Rollout rollout, Wire.RolloutState s, Instant resumeAt) {
        List<WaveResult> waves = new ArrayList<>();
        for (Wire.WaveRow w : s.waves()) {
            Wave wave = rollout.waves().stream().filter(x -> x.name().equals(w.name())).findFirst().orElseThrow();
            WaveResult.Builder b = WaveResult.builder().name(w.name()).status(WaveStatus.valueOf(w.status()))
                    .reason(w.reason()).targetSource(w.targetSource()).maxConcurrency(wave.maxConcurrency())
                    .maxErrors(wave.maxErrors()).ramp(wave.ramp()).strict(wave.strict())
                    .checkpoints(w.checkpoints().stream().map(Results::checkpoint).toList())
                    .start(w.start()).end(w.end()).targets(w.targets().stream().map(Results::target).toList());
            if (w.start() != null) {
                // as core's WaveScheduler reports a wave that ran its targets
                int n = w.targets().size();
                b.concurrency(wave.maxConcurrency().concurrencyFor(n)).errorBudget(wave.maxErrors().errorsFor(n))
                        .rampStages(wave.rampStages(n));
            }
            waves.add(b.build());
        }
        return RolloutResult.builder().rollout(s.rollout()).rolloutId(s.rolloutId()).plan(s.plan())
                .fingerprint(s.fingerprint()).status(RolloutStatus.valueOf(s.status())).reason(s.reason())
                .start(s.start()).end(s.end()).waves(waves).resumeAt(resumeAt).build();
    }

    /** A checkpoint's row as the value the embedded runner makes. */
    static CheckpointResult checkpoint(Wire.CheckpointRow c) {
        ApprovalDecision d = c.decision() == null ? null : ApprovalDecision.builder().approved(c.decision().approved())
                .by(c.decision().by()).comment(c.decision().comment()).at(c.decision().at())
                .timedOut(c.decision().timedOut()).build();
        return CheckpointResult.builder().kind(Checkpoint.Kind.valueOf(c.kind())).description(c.description())
                .outcome(CheckpointResult.Outcome.valueOf(c.outcome())).start(c.start()).end(c.end()).detail(c.detail())
                .decision(d).data(c.data()).build();
    }

    static TargetResult target(Wire.TargetRow t) {
        return TargetResult.builder().target(t.target()).status(TargetStatus.valueOf(t.status())).canary(t.canary())
                .start(t.start())
                .end(t.end()).run(t.runJson() == null ? null : RunResult.fromJson(t.runJson()))
                .failure(StepActivitiesImpl.failure(t.failure())).note(t.note() == null ? "" : t.note()).build();
    }

    static RolloutProgress progress(String rolloutId, Wire.Progress p) {
        Wire.RolloutState s = p.state();
        RolloutProgress.Builder b = RolloutProgress.builder().rolloutId(rolloutId);
        if (s == null) {
            return b.state(RolloutProgress.State.RUNNING_OR_STOPPED).build();
        }
        b.rollout(s.rollout()).plan(s.plan());
        RolloutProgress.State state = switch (s.status()) {
            case "SUCCEEDED" -> RolloutProgress.State.SUCCEEDED;
            case "HALTED" -> RolloutProgress.State.HALTED;
            case "CANCELLED" -> RolloutProgress.State.CANCELLED;
            default -> p.waitingFor() != null ? RolloutProgress.State.WAITING : RolloutProgress.State.RUNNING_OR_STOPPED;
        };
        b.state(state).reason(p.waitingFor() != null ? "waiting for " + p.waitingFor() : s.reason()).resumeAt(p.resumeAt());
        for (Wire.WaveRow w : s.waves()) {
            b.addWaves(RolloutProgress.WaveProgressEntry.builder().wave(w.name())
                    .status("WAITING".equals(w.status()) ? "STARTED" : w.status()).reason(w.reason())
                    .targets(w.targets().stream().map(Wire.TargetRow::target).toList()).build());
            for (Wire.CheckpointRow c : w.checkpoints()) {
                if (c.decision() != null) {
                    b.addApprovals(RolloutProgress.Decided.builder().wave(w.name()).approved(c.decision().approved())
                            .by(c.decision().by()).at(c.decision().at()).comment(c.decision().comment()).build());
                }
            }
        }
        if (p.pending() != null) {
            b.pending(RolloutProgress.Pending.builder().wave(p.pending().wave()).description(p.pending().description())
                    .since(p.pending().since()).build());
        }
        return b.build();
    }
}
