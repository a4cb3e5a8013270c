package dev.stepwise.core.internal;

import dev.stepwise.core.CancelledException;
import dev.stepwise.core.PreconditionFailedException;
import dev.stepwise.core.StepFailedException;
import dev.stepwise.core.plan.PlanProgram.BranchI;
import dev.stepwise.core.plan.PlanProgram.EndI;
import dev.stepwise.core.plan.PlanProgram.Instr;
import dev.stepwise.core.plan.PlanProgram.JumpI;
import dev.stepwise.core.plan.PlanProgram.RequireI;
import dev.stepwise.core.plan.PlanProgram.StepI;
import dev.stepwise.core.journal.JournalEntry;
import dev.stepwise.core.journal.JournalException;
import dev.stepwise.core.journal.JournalWriter;
import dev.stepwise.core.plan.Check;
import dev.stepwise.core.plan.Effect;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.OnFailure;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.PlanProgram;
import dev.stepwise.core.plan.Prediction;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.rollout.CheckpointResult;
import dev.stepwise.core.run.Cancellation;
import dev.stepwise.core.run.Failure;
import dev.stepwise.core.run.RunEvent;
import dev.stepwise.core.run.RunListener;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.StepResult;
import dev.stepwise.core.run.StepStatus;
import dev.stepwise.core.run.TimeSource;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One session of one run of one plan: walks the compiled {@link PlanProgram} with a program counter, runs steps through
 * {@link Attempts}, records through {@link RunRecorder}, and asks {@link Resumption} what a resumed row does.
 * Used by one thread.
 */
final class PlanRun {
    private static final Logger log = LoggerFactory.getLogger(PlanRun.class);

    private final RunState run;
    private final RunRecorder recorder;
    private final Resumption resumption;
    private final Attempts attempts;

    // what the walk has decided so far
    private RunStatus status;
    private String reason = "";
    private Failure failure;
    private RunState.Row goToFailure;

    PlanRun(Plan plan, Inputs resolvedInputs, String runId, String target, String rolloutId,
            List<CheckpointResult> waveCheckpoints, boolean dryRun, List<RunListener> listeners, TimeSource time,
            Cancellation cancellation, JournalWriter journal, Resumption resumption) {
        this.run = new RunState(plan, resolvedInputs, runId, target, rolloutId, waveCheckpoints, dryRun, listeners, time,
                cancellation);
        this.recorder = new RunRecorder(journal, run);
        this.resumption = resumption;
        this.attempts = new Attempts(run, recorder);
    }

    RunResult execute() {
        Map<String, String> previousMdc = MDC.getCopyOfContextMap();
        MDC.put("plan", run.plan.name());
        MDC.put("runId", run.ref.runId());
        if (run.ref.target() != null) {
            MDC.put("target", run.ref.target());
        }
        Instant start = run.now();
        String kind = run.dryRun ? "Dry run" : "Run";
        try {
            log.info("{} of plan {} started (run {})", kind, run.plan.name(), run.ref.runId());
            run.emit(new RunEvent.PlanStarted(run.ref, start, run.dryRun));
            recorder.header(resumption.isResume());
            walk();
        } catch (JournalException e) {
            // a journal that cannot be written stopped the run before its next change; the caller gets the
            // exception, listeners and the log get the reason
            status = RunStatus.FAILED;
            reason = "the journal could not be written, so the run stopped before its next change: " + e.getMessage();
            failure = run.scrub(Failure.of(e));
            throw e;
        } finally {
            Instant end = run.now();
            if (status == null) {
                status = RunStatus.FAILED;
                reason = "the run stopped unexpectedly";
            }
            run.emit(new RunEvent.PlanFinished(run.ref, end, status));
            recorder.finish(status, reason, failure);
            log.info("{} of plan {} finished: {}{}", kind, run.plan.name(), status, reason.isEmpty() ? "" : " (" + reason + ")");
            MDC.remove("step");
            MDC.remove("attempt");
            if (previousMdc == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(previousMdc);
            }
        }
        return RunResult.builder().plan(run.plan.name()).fingerprint(run.plan.fingerprint()).runId(run.ref.runId())
                .target(run.ref.target()).dryRun(run.dryRun).status(status).reason(reason).start(start).end(run.now())
                .inputs(run.shownInputs()).outputs(run.outputs).failure(failure)
                .steps(run.rows.stream().map(RunState.Row::freeze).toList()).build();
    }

    private void walk() {
        List<Instr> program = run.program.instrs();
        int pc = 0;
        while (pc < program.size() && status == null) {
            Instr ins = program.get(pc);
            if (run.cancellation.isCancelled() && !(ins instanceof JumpI)) {
                end(RunStatus.CANCELLED, "cancelled before \"" + run.rows.get(PlanProgram.rowOf(ins)).name + "\": "
                        + run.cancellation.reason(), null);
                return;
            }
            if (ins instanceof JumpI j) {
                pc = j.target();
            } else if (ins instanceof EndI e) {
                RunState.Row row = run.rows.get(e.row());
                row.status = StepStatus.SUCCEEDED;
                row.start = row.end = run.now();
                end(RunStatus.ENDED, e.end().reason(), null);
            } else if (ins instanceof RequireI r) {
                pc = require(r, pc);
            } else if (ins instanceof BranchI b) {
                pc = branch(b, pc);
            } else if (ins instanceof StepI s) {
                pc = step(s, pc);
            }
        }
        if (status == null && goToFailure != null) {
            // a go-to leads to clean-up, not to success: the run still failed
            end(RunStatus.FAILED, "step \"" + goToFailure.name + "\" failed after " + attemptsText(goToFailure)
                    + goToFailure.failure + " (the plan went on to its on-failure step)", goToFailure.failure);
        }
        if (status == null) {
            status = RunStatus.SUCCEEDED;
        }
    }

    private void end(RunStatus s, String why, Failure f) {
        status = s;
        reason = why;
        failure = f;
    }

    private static String attemptsText(RunState.Row row) {
        return row.attempts + (row.attempts == 1 ? " attempt: " : " attempts: ");
    }

    private int require(RequireI r, int pc) {
        RunState.Row row = run.rows.get(r.row());
        Optional<Boolean> held = decide(r.row(), row, r.require().check());
        if (held.isEmpty() || held.get()) {
            return pc + 1;
        }
        Throwable cause = row.failure == null ? null : row.failure.toException();
        PreconditionFailedException ex = new PreconditionFailedException(r.require().description(),
                row.failure == null ? "" : row.failure.message(), cause);
        Failure pf = run.scrub(Failure.of(ex));
        end(RunStatus.FAILED, pf.message(), pf);
        return pc;
    }

    private int branch(BranchI b, int pc) {
        RunState.Row row = run.rows.get(b.row());
        Optional<Boolean> taken = decide(b.row(), row, b.branch().condition());
        if (taken.isEmpty()) {
            if (row.failure != null) {
                end(RunStatus.FAILED, "could not decide branch \"" + b.branch().description() + "\": " + row.failure,
                        row.failure);
            } else {
                end(RunStatus.ENDED, row.note, null);
            }
            return pc;
        }
        if (taken.get()) {
            skip(b.elseFrom(), b.elseTo(), "branch \"" + b.branch().description() + "\" took then");
            return pc + 1;
        }
        skip(b.thenFrom(), b.thenTo(), "branch \"" + b.branch().description() + "\" took otherwise");
        return b.elseTarget();
    }

    private int step(StepI s, int pc) {
        RunState.Row row = run.rows.get(s.row());
        String blocked = resumption.restoreOrBlock(run, s.step(), s.row());
        if (blocked != null) {
            end(RunStatus.FAILED, blocked, null);
            return pc;
        }
        if (row.status == StepStatus.NOT_REACHED) {
            runStep(s.step(), row, s.row());
        }
        if (row.status == StepStatus.CANCELLED) {
            // the note names an attempt that still acts, so the result never reads as if everything had stopped
            String why = run.cancellation.isCancelled() ? run.cancellation.reason() : "the run's thread was interrupted";
            end(RunStatus.CANCELLED, "cancelled during \"" + row.name + "\": " + why
                    + (row.note.isEmpty() ? "" : "; " + row.note), null);
            return pc;
        }
        if (row.status != StepStatus.FAILED) {
            return pc + 1;
        }
        OnFailure rule = s.step().onFailure();
        if (rule instanceof OnFailure.GoTo g) {
            if (goToFailure == null) {
                goToFailure = row;
            }
            int target = run.program.stepAt(g.step());
            skip(s.row() + 1, PlanProgram.rowOf(run.program.instrs().get(target)),
                    "jumped over: \"" + row.name + "\" failed and goes to \"" + g.step() + "\"");
            return target;
        }
        if (rule instanceof OnFailure.Continue) {
            return pc + 1;
        }
        end(RunStatus.FAILED, "step \"" + row.name + "\" failed after " + attemptsText(row) + row.failure, row.failure);
        return pc;
    }

    private void skip(int from, int to, String why) {
        for (int i = from; i < to; i++) {
            RunState.Row r = run.rows.get(i);
            if (r.status == StepStatus.NOT_REACHED) {
                r.status = StepStatus.SKIPPED;
                r.note = why;
                if (r.kind == StepResult.Kind.STEP) {
                    run.emit(new RunEvent.StepSkipped(run.ref, run.now(), r.name, why));
                }
            }
        }
    }

    /** Evaluates a check, or takes its outcome from the journal of the session this run resumes. */
    private Optional<Boolean> decide(int rowIndex, RunState.Row row, Check check) {
        Optional<Boolean> recorded = resumption.decided(row, rowIndex);
        if (recorded.isPresent()) {
            return recorded;
        }
        Optional<Boolean> out = evaluate(row, check);
        if (out.isPresent() && row.failure == null) {
            String outcome = row.kind == StepResult.Kind.BRANCH ? (out.get() ? "then" : "otherwise") : (out.get() ? "held" : "failed");
            recorder.append(new JournalEntry.CheckDecided(run.now(), rowIndex, row.name, outcome), false);
        }
        return out;
    }

    /** Evaluates a precondition or branch condition; empty when a dry run cannot decide it or it threw. */
    private Optional<Boolean> evaluate(RunState.Row row, Check check) {
        row.start = run.now();
        row.attempts = 1;
        MDC.put("step", row.name);
        try {
            boolean held = check.test(new StepContextImpl(run, row.name, 1, null, false));
            row.status = held ? StepStatus.SUCCEEDED : StepStatus.FAILED;
            String outcome = row.kind == StepResult.Kind.BRANCH ? (held ? "then" : "otherwise") : (held ? "held" : "failed");
            if (row.kind == StepResult.Kind.BRANCH) {
                row.status = StepStatus.SUCCEEDED;
                row.note = "took " + outcome;
            } else if (!held) {
                row.note = "did not hold";
            }
            run.emit(new RunEvent.CheckEvaluated(run.ref, run.now(), row.name, outcome));
            return Optional.of(held);
        } catch (RunState.UnavailableInDryRun u) {
            row.status = StepStatus.PREDICTED;
            row.note = "a dry run cannot decide this: it needs " + u.key.name() + ", which \"" + u.producer
                    + "\" produces only in a live run";
            return row.kind == StepResult.Kind.CHECK ? Optional.of(true) : Optional.empty();
        } catch (Exception e) {
            row.status = StepStatus.FAILED;
            row.failure = run.scrub(Failure.of(e));
            row.note = "could not be evaluated";
            run.emit(new RunEvent.CheckEvaluated(run.ref, run.now(), row.name, "failed"));
            return row.kind == StepResult.Kind.CHECK ? Optional.of(false) : Optional.empty();
        } finally {
            row.end = run.now();
            MDC.remove("step");
        }
    }

    private void runStep(Step<?> step, RunState.Row row, int rowIndex) {
        MDC.put("step", step.name());
        row.start = run.now();
        boolean durable = step.effect() == Effect.MUTATING;
        try {
            run.emit(new RunEvent.StepStarted(run.ref, row.start, step.name()));
            if (run.dryRun && step.effect() == Effect.MUTATING) {
                predict(step, row, "");
                return;
            }
            recorder.append(new JournalEntry.StepStarted(run.now(), rowIndex, step.name(), step.effect()), durable);
            try {
                Object out = attempts.run(step, row, rowIndex);
                run.record(step, row, out);
                row.status = StepStatus.SUCCEEDED;
                Optional<? extends Key<?>> key = step.output();
                boolean redacted = key.isPresent() && key.get().secret();
                recorder.append(new JournalEntry.StepSucceeded(run.now(), rowIndex, step.name(), row.attempts,
                        key.isPresent() && !redacted ? RunRecorder.plain(out) : null, redacted), durable);
                run.emit(new RunEvent.StepSucceeded(run.ref, run.now(), step.name(), row.attempts));
                log.info("Step {} succeeded{}", step.name(), row.attempts > 1 ? " after " + row.attempts + " attempts" : "");
            } catch (RunState.UnavailableInDryRun u) {
                predict(step, row, "not run: it needs " + u.key.name() + ", which \"" + u.producer
                        + "\" produces only in a live run");
            } catch (CancelledException c) {
                row.status = StepStatus.CANCELLED;
                row.failure = run.scrub(Failure.of(c));
            } catch (StepFailedException f) {
                row.status = StepStatus.FAILED;
                row.failure = run.scrub(Failure.of(f.getCause()));
                recorder.append(new JournalEntry.StepFailed(run.now(), rowIndex, step.name(), row.attempts, row.failure),
                        durable);
                run.emit(new RunEvent.StepFailed(run.ref, run.now(), step.name(), row.attempts, row.failure));
                log.warn("Step {} failed after {} attempt(s): {}", step.name(), row.attempts, row.failure);
            }
        } finally {
            row.end = run.now();
            MDC.remove("step");
            MDC.remove("attempt");
        }
    }

    private void predict(Step<?> step, RunState.Row row, String note) {
        List<Prediction> predictions;
        String n = note;
        try {
            predictions = step.predict(new StepContextImpl(run, step.name(), 0, null, false));
        } catch (RunState.UnavailableInDryRun u) {
            predictions = List.of(Prediction.of(step.description().isEmpty() ? "run " + step.name() : step.description()));
            n = n.isEmpty() ? "exact calls depend on " + u.key.name() + ", which \"" + u.producer
                    + "\" produces only in a live run" : n;
        } catch (Exception e) {
            predictions = List.of(Prediction.of("could not predict: " + run.scrub(Failure.of(e))));
        }
        row.status = StepStatus.PREDICTED;
        row.predictions = predictions;
        row.note = n;
        step.output().ifPresent(k -> run.unavailable.put(k, step.name()));
        run.emit(new RunEvent.StepPredicted(run.ref, run.now(), step.name(), predictions));
    }
}
