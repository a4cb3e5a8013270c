package dev.stepwise.core.internal;

import dev.failsafe.Execution;
import dev.stepwise.core.CancelledException;
import dev.stepwise.core.PreconditionFailedException;
import dev.stepwise.core.StepFailedException;
import dev.stepwise.core.StepTimeoutException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.core.journal.JournalException;
import dev.stepwise.core.journal.JournalWriter;
import dev.stepwise.core.journal.RunJournal;
import java.io.IOException;
import java.util.Set;
import dev.stepwise.core.plan.Check;
import dev.stepwise.core.plan.Effect;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.OnFailure;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.PlanNode;
import dev.stepwise.core.plan.Prediction;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.plan.StepContext;
import dev.stepwise.core.run.Failure;
import dev.stepwise.core.run.RunEvent;
import dev.stepwise.core.run.RunEvent.RunRef;
import dev.stepwise.core.run.RunListener;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.StepResult;
import dev.stepwise.core.run.StepStatus;
import dev.stepwise.core.run.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One run of one plan. The plan's tree is compiled into a flat program (steps, checks, branches as
 * conditional jumps, ends), which a program counter walks; on-failure go-tos are forward jumps.
 * Used by one thread.
 */
final class RunExecution {
    private static final Logger log = LoggerFactory.getLogger(RunExecution.class);

    private sealed interface Instr permits StepI, RequireI, BranchI, EndI, JumpI {
    }

    private record StepI(Step<?> step, int row) implements Instr {
    }

    private record RequireI(PlanNode.Require require, int row) implements Instr {
    }

    private record BranchI(PlanNode.Branch branch, int row, int elseTarget, int thenFrom, int thenTo, int elseFrom,
            int elseTo) implements Instr {
    }

    private record EndI(PlanNode.End end, int row) implements Instr {
    }

    private record JumpI(int target) implements Instr {
    }

    /** A key a dry run cannot provide because the step producing it was only predicted. */
    static final class UnavailableInDryRun extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Key<?> key;
        final String producer;

        UnavailableInDryRun(Key<?> key, String producer) {
            super(key.name() + " is produced by \"" + producer + "\", which a dry run only predicts", null, false, false);
            this.key = key;
            this.producer = producer;
        }
    }

    private static final class Row {
        final String name;
        final StepResult.Kind kind;
        final Effect effect;
        StepStatus status = StepStatus.NOT_REACHED;
        int attempts;
        Instant start;
        Instant end;
        String output;
        Failure failure;
        List<Prediction> predictions = List.of();
        String note = "";

        Row(String name, StepResult.Kind kind, Effect effect) {
            this.name = name;
            this.kind = kind;
            this.effect = effect;
        }

        StepResult freeze() {
            return new StepResult(name, kind, effect, status, attempts, start, end, output, failure, predictions, note);
        }
    }

    private final Plan plan;
    private final Inputs inputs;
    private final boolean dryRun;
    private final List<RunListener> listeners;
    private final TimeSource time;
    private final Cancellation cancellation;
    private final RunRef ref;

    private final List<Instr> program = new ArrayList<>();
    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Integer> stepInstr = new HashMap<>();
    private final Map<Key<?>, Object> values = new ConcurrentHashMap<>();
    private final Map<Key<?>, String> unavailable = new ConcurrentHashMap<>();
    private final Map<String, Object> outputs = new LinkedHashMap<>();

    /** Where this run records itself, or null (dry runs, or no journal configured). */
    private final JournalWriter journal;
    /** The journal of the earlier session this run resumes, or null for a new run. */
    private final RunJournal resumed;
    /** Unfinished steps the caller has decided to run again. */
    private final Set<String> rerun;

    RunExecution(Plan plan, Inputs resolvedInputs, String runId, String target, boolean dryRun,
            List<RunListener> listeners, TimeSource time, Cancellation cancellation) {
        this(plan, resolvedInputs, runId, target, dryRun, listeners, time, cancellation, null, null, Set.of());
    }

    RunExecution(Plan plan, Inputs resolvedInputs, String runId, String target, boolean dryRun,
            List<RunListener> listeners, TimeSource time, Cancellation cancellation, JournalWriter journal,
            RunJournal resumed, Set<String> rerun) {
        this.journal = dryRun ? null : journal;
        this.resumed = resumed;
        this.rerun = Set.copyOf(rerun);
        this.plan = plan;
        this.inputs = resolvedInputs;
        this.dryRun = dryRun;
        this.listeners = listeners;
        this.time = time;
        this.cancellation = cancellation;
        this.ref = new RunRef(plan.name(), runId, target);
        values.putAll(resolvedInputs.asMap());
        compile(plan.nodes());
    }

    private void compile(List<PlanNode> nodes) {
        for (PlanNode n : nodes) {
            if (n instanceof PlanNode.StepNode sn) {
                Step<?> s = sn.step();
                stepInstr.put(s.name(), program.size());
                program.add(new StepI(s, addRow(s.name(), StepResult.Kind.STEP, s.effect())));
            } else if (n instanceof PlanNode.Require r) {
                program.add(new RequireI(r, addRow("require: " + r.description(), StepResult.Kind.CHECK, Effect.READ_ONLY)));
            } else if (n instanceof PlanNode.End e) {
                program.add(new EndI(e, addRow("end: " + e.reason(), StepResult.Kind.END, Effect.READ_ONLY)));
            } else if (n instanceof PlanNode.Branch b) {
                int row = addRow("branch: " + b.description(), StepResult.Kind.BRANCH, Effect.READ_ONLY);
                int at = program.size();
                program.add(null);
                int thenFrom = rows.size();
                compile(b.then());
                int thenTo = rows.size();
                int jumpAt = program.size();
                program.add(null);
                int elseTarget = program.size();
                int elseFrom = rows.size();
                compile(b.otherwise());
                int elseTo = rows.size();
                program.set(jumpAt, new JumpI(program.size()));
                program.set(at, new BranchI(b, row, elseTarget, thenFrom, thenTo, elseFrom, elseTo));
            }
        }
    }

    private int addRow(String name, StepResult.Kind kind, Effect effect) {
        rows.add(new Row(name, kind, effect));
        return rows.size() - 1;
    }

    RunResult execute() {
        Map<String, String> previousMdc = MDC.getCopyOfContextMap();
        MDC.put("plan", plan.name());
        MDC.put("runId", ref.runId());
        if (ref.target() != null) {
            MDC.put("target", ref.target());
        }
        Instant start = time.now();
        RunStatus status = null;
        String reason = "";
        Failure failure = null;
        Row goToFailure = null;
        RunResult result;
        try {
            log.info("{} of plan {} started (run {})", dryRun ? "Dry run" : "Run", plan.name(), ref.runId());
            emit(new RunEvent.PlanStarted(ref, start, dryRun));
            writeHeader(start);
            int pc = 0;
            while (pc < program.size() && status == null) {
                Instr ins = program.get(pc);
                if (cancellation.isCancelled() && !(ins instanceof JumpI)) {
                    status = RunStatus.CANCELLED;
                    reason = "cancelled before \"" + rows.get(rowOf(ins)).name + "\": " + cancellation.reason();
                    break;
                }
                if (ins instanceof JumpI j) {
                    pc = j.target();
                } else if (ins instanceof EndI e) {
                    Row row = rows.get(e.row());
                    row.status = StepStatus.SUCCEEDED;
                    row.start = row.end = time.now();
                    status = RunStatus.ENDED;
                    reason = e.end().reason();
                } else if (ins instanceof RequireI r) {
                    Row row = rows.get(r.row());
                    Optional<Boolean> held = decide(r.row(), row, r.require().check());
                    if (held.isEmpty() || held.get()) {
                        pc++;
                    } else {
                        PreconditionFailedException ex = new PreconditionFailedException(r.require().description(),
                                row.failure == null ? "" : row.failure.message());
                        failure = row.failure == null ? Failure.of(ex) : row.failure;
                        status = RunStatus.FAILED;
                        reason = ex.getMessage();
                    }
                } else if (ins instanceof BranchI b) {
                    Row row = rows.get(b.row());
                    Optional<Boolean> taken = decide(b.row(), row, b.branch().condition());
                    if (taken.isEmpty()) {
                        status = row.failure != null ? RunStatus.FAILED : RunStatus.ENDED;
                        failure = row.failure;
                        reason = row.failure != null ? "could not decide branch \"" + b.branch().description() + "\": "
                                + row.failure : row.note;
                    } else if (taken.get()) {
                        skip(b.elseFrom(), b.elseTo(), "branch \"" + b.branch().description() + "\" took then");
                        pc++;
                    } else {
                        skip(b.thenFrom(), b.thenTo(), "branch \"" + b.branch().description() + "\" took otherwise");
                        pc = b.elseTarget();
                    }
                } else if (ins instanceof StepI s) {
                    Row row = rows.get(s.row());
                    String blocked = restoreOrBlock(s);
                    if (blocked != null) {
                        status = RunStatus.FAILED;
                        reason = blocked;
                        break;
                    }
                    if (row.status != StepStatus.SUCCEEDED) {
                        runStep(s.step(), row, s.row());
                    }
                    if (row.status == StepStatus.CANCELLED) {
                        status = RunStatus.CANCELLED;
                        reason = "cancelled during \"" + row.name + "\": " + cancellation.reason();
                    } else if (row.status == StepStatus.FAILED) {
                        OnFailure rule = s.step().onFailure();
                        if (rule instanceof OnFailure.GoTo g) {
                            if (goToFailure == null) {
                                goToFailure = row;
                            }
                            int target = stepInstr.get(g.step());
                            skip(s.row() + 1, rowOf(program.get(target)),
                                    "jumped over: \"" + row.name + "\" failed and goes to \"" + g.step() + "\"");
                            pc = target;
                        } else if (rule instanceof OnFailure.Continue) {
                            pc++;
                        } else {
                            status = RunStatus.FAILED;
                            failure = row.failure;
                            reason = "step \"" + row.name + "\" failed after " + row.attempts
                                    + (row.attempts == 1 ? " attempt: " : " attempts: ") + row.failure;
                        }
                    } else {
                        pc++;
                    }
                }
            }
            if (status == null && goToFailure != null) {
                // a go-to leads to clean-up, not to success: the run still failed
                status = RunStatus.FAILED;
                failure = goToFailure.failure;
                reason = "step \"" + goToFailure.name + "\" failed after " + goToFailure.attempts
                        + (goToFailure.attempts == 1 ? " attempt: " : " attempts: ") + goToFailure.failure
                        + " (the plan went on to its on-failure step)";
            }
            if (status == null) {
                status = RunStatus.SUCCEEDED;
            }
        } finally {
            Instant end = time.now();
            if (status == null) {
                status = RunStatus.FAILED;
                reason = "the run stopped unexpectedly";
            }
            emit(new RunEvent.PlanFinished(ref, end, status));
            writeFinish(end, status, reason);
            log.info("{} of plan {} finished: {}{}", dryRun ? "Dry run" : "Run", plan.name(), status,
                    reason.isEmpty() ? "" : " (" + reason + ")");
            MDC.remove("step");
            MDC.remove("attempt");
            if (previousMdc == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(previousMdc);
            }
            result = new RunResult(plan.name(), plan.fingerprint(), ref.runId(), ref.target(), dryRun, status,
                    reason, start, end, shownInputs(), outputs, failure, rows.stream().map(Row::freeze).toList());
        }
        return result;
    }

    private Map<String, String> shownInputs() {
        Map<String, String> m = new LinkedHashMap<>();
        inputs.asMap().forEach((k, v) -> m.put(k.name(), k.show(v)));
        return m;
    }

    private int rowOf(Instr ins) {
        if (ins instanceof StepI s) {
            return s.row();
        } else if (ins instanceof RequireI r) {
            return r.row();
        } else if (ins instanceof BranchI b) {
            return b.row();
        } else if (ins instanceof EndI e) {
            return e.row();
        }
        throw new IllegalStateException("a jump has no row");
    }

    private void skip(int from, int to, String why) {
        for (int i = from; i < to; i++) {
            Row r = rows.get(i);
            if (r.status == StepStatus.NOT_REACHED) {
                r.status = StepStatus.SKIPPED;
                r.note = why;
                if (r.kind == StepResult.Kind.STEP) {
                    emit(new RunEvent.StepSkipped(ref, time.now(), r.name, why));
                }
            }
        }
    }

    /** Evaluates a precondition or branch condition; empty when a dry run cannot decide it or it threw. */
    private Optional<Boolean> evaluate(Row row, Check check) {
        row.start = time.now();
        row.attempts = 1;
        MDC.put("step", row.name);
        try {
            boolean held = check.test(new Context(row.name, 1, null, false));
            row.status = held ? StepStatus.SUCCEEDED : StepStatus.FAILED;
            String outcome = row.kind == StepResult.Kind.BRANCH ? (held ? "then" : "otherwise") : (held ? "held" : "failed");
            if (row.kind == StepResult.Kind.BRANCH) {
                row.status = StepStatus.SUCCEEDED;
                row.note = "took " + outcome;
            } else if (!held) {
                row.note = "did not hold";
            }
            emit(new RunEvent.CheckEvaluated(ref, time.now(), row.name, outcome));
            return Optional.of(held);
        } catch (UnavailableInDryRun u) {
            row.status = StepStatus.PREDICTED;
            row.note = "a dry run cannot decide this: it needs " + u.key.name() + ", which \"" + u.producer
                    + "\" produces only in a live run";
            if (row.kind == StepResult.Kind.CHECK) {
                return Optional.of(true);
            }
            return Optional.empty();
        } catch (Exception e) {
            row.status = StepStatus.FAILED;
            row.failure = Failure.of(e);
            row.note = "could not be evaluated";
            emit(new RunEvent.CheckEvaluated(ref, time.now(), row.name, "failed"));
            return row.kind == StepResult.Kind.CHECK ? Optional.of(false) : Optional.empty();
        } finally {
            row.end = time.now();
            MDC.remove("step");
        }
    }

    private void runStep(Step<?> step, Row row, int rowIndex) {
        MDC.put("step", step.name());
        row.start = time.now();
        boolean durable = step.effect() == Effect.MUTATING;
        try {
            emit(new RunEvent.StepStarted(ref, row.start, step.name()));
            if (dryRun && step.effect() == Effect.MUTATING) {
                predict(step, row, "");
                return;
            }
            write(entry("step-started", rowIndex, step.name()).put("effect", step.effect().name()), durable);
            try {
                Object out = attempts(step, row, rowIndex);
                record(step, row, out);
                row.status = StepStatus.SUCCEEDED;
                ObjectNode done = entry("step-succeeded", rowIndex, step.name()).put("attempts", row.attempts);
                Optional<? extends Key<?>> key = step.output();
                if (key.isPresent() && key.get().secret()) {
                    done.put("redacted", true);
                } else if (key.isPresent()) {
                    done.set("output", Json.MAPPER.valueToTree(out));
                }
                write(done, durable);
                emit(new RunEvent.StepSucceeded(ref, time.now(), step.name(), row.attempts));
                log.info("Step {} succeeded{}", step.name(), row.attempts > 1 ? " after " + row.attempts + " attempts" : "");
            } catch (UnavailableInDryRun u) {
                predict(step, row, "not run: it needs " + u.key.name() + ", which \"" + u.producer
                        + "\" produces only in a live run");
            } catch (CancelledException c) {
                row.status = StepStatus.CANCELLED;
                row.failure = Failure.of(c);
            } catch (StepFailedException f) {
                row.status = StepStatus.FAILED;
                row.failure = Failure.of(f.getCause());
                write(failure(entry("step-failed", rowIndex, step.name()).put("attempts", row.attempts), row.failure), durable);
                emit(new RunEvent.StepFailed(ref, time.now(), step.name(), row.attempts, row.failure));
                log.warn("Step {} failed after {} attempt(s): {}", step.name(), row.attempts, row.failure);
            }
        } finally {
            row.end = time.now();
            MDC.remove("step");
            MDC.remove("attempt");
        }
    }

    private void predict(Step<?> step, Row row, String note) {
        List<Prediction> predictions;
        String n = note;
        try {
            predictions = step.predict(new Context(step.name(), 0, null, false));
        } catch (UnavailableInDryRun u) {
            predictions = List.of(Prediction.of(step.description().isEmpty() ? "run " + step.name() : step.description()));
            n = n.isEmpty() ? "exact calls depend on " + u.key.name() + ", which \"" + u.producer
                    + "\" produces only in a live run" : n;
        } catch (Exception e) {
            predictions = List.of(Prediction.of("could not predict: " + Failure.of(e)));
        }
        row.status = StepStatus.PREDICTED;
        row.predictions = predictions;
        row.note = n;
        step.output().ifPresent(k -> unavailable.put(k, step.name()));
        emit(new RunEvent.StepPredicted(ref, time.now(), step.name(), predictions));
    }

    private void record(Step<?> step, Row row, Object out) {
        Optional<? extends Key<?>> key = step.output();
        if (key.isPresent()) {
            Key<?> k = key.get();
            values.put(k, out);
            unavailable.remove(k);
            row.output = k.name() + "=" + k.show(out);
            outputs.put(k.name(), k.secret() ? "****" : out);
        }
    }

    /** Runs the attempts the step's retry policy allows; returns the output or throws StepFailedException. */
    private Object attempts(Step<?> step, Row row, int rowIndex) {
        // made on the first failure only: a step that succeeds at once never pays for the retry machinery
        Execution<Object> execution = null;
        Instant stepDeadline = step.timeout().map(t -> time.now().plus(t)).orElse(null);
        while (true) {
            int attempt = ++row.attempts;
            MDC.put("attempt", String.valueOf(attempt));
            Instant deadline = step.retry().attemptTimeout().map(t -> time.now().plus(t))
                    .map(d -> stepDeadline == null || d.isBefore(stepDeadline) ? d : stepDeadline).orElse(stepDeadline);
            Object out;
            try {
                out = attempt(step, attempt, deadline, attempt > 1 || rerunning.contains(step.name()));
                if (step.output().isPresent() && out == null) {
                    throw new IllegalStateException("step \"" + step.name() + "\" declares output "
                            + step.output().get().name() + " but its action returned null");
                }
                return out;
            } catch (CancelledException | UnavailableInDryRun e) {
                throw e;
            } catch (Throwable t) {
                if (t instanceof Error && !(t instanceof AssertionError)) {
                    throw (Error) t;
                }
                Failure f = Failure.of(t);
                emit(new RunEvent.AttemptFailed(ref, time.now(), step.name(), attempt, f));
                write(failure(entry("attempt-failed", rowIndex, step.name()).put("attempt", attempt), f), false);
                if (execution == null) {
                    execution = FailsafeRetry.execution(step.retry());
                }
                execution.recordException(t);
                boolean stepTimedOut = stepDeadline != null && !time.now().isBefore(stepDeadline);
                if (execution.isComplete() || stepTimedOut || cancellation.isCancelled()) {
                    if (cancellation.isCancelled() && !execution.isComplete() && !stepTimedOut) {
                        throw new CancelledException(cancellation.reason());
                    }
                    throw new StepFailedException(step.name(), attempt, stepTimedOut && !(t instanceof StepTimeoutException)
                            ? new StepTimeoutException(step.name(), "the step", step.timeout().orElseThrow()) : t);
                }
                Duration delay = execution.getDelay();
                if (stepDeadline != null && time.now().plus(delay).isAfter(stepDeadline)) {
                    throw new StepFailedException(step.name(), attempt,
                            new StepTimeoutException(step.name(), "the step (its next retry would start after its deadline)",
                                    step.timeout().orElseThrow()));
                }
                log.debug("Attempt {} of step {} failed: {}; retrying in {}", attempt, step.name(), f, delay);
                emit(new RunEvent.RetryScheduled(ref, time.now(), step.name(), attempt + 1, delay));
                sleep(delay, null, step.name());
            }
        }
    }

    private Object attempt(Step<?> step, int attempt, Instant deadline, boolean isRerun) throws Exception {
        Context ctx = new Context(step.name(), attempt, deadline, isRerun);
        if (deadline == null || time.isVirtual()) {
            return step.action().execute(ctx);
        }
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        FutureTask<Object> task = new FutureTask<>(() -> {
            if (mdc != null) {
                MDC.setContextMap(mdc);
            }
            try {
                return step.action().execute(ctx);
            } finally {
                MDC.clear();
            }
        });
        Thread worker = new Thread(task, "stepwise-" + plan.name() + "-" + step.name() + "-" + attempt);
        worker.setDaemon(true);
        worker.start();
        long nanos = Duration.between(time.now(), deadline).toNanos();
        try {
            return task.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new StepTimeoutException(step.name(), "attempt " + attempt,
                    step.retry().attemptTimeout().orElseGet(() -> step.timeout().orElseThrow()));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw (Error) cause;
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new CancelledException("the run's thread was interrupted");
        }
    }

    private void sleep(Duration d, Instant deadline, String what) {
        if (cancellation.isCancelled()) {
            throw new CancelledException(cancellation.reason());
        }
        Duration wait = d;
        boolean timesOut = false;
        if (deadline != null) {
            Duration left = Duration.between(time.now(), deadline);
            if (left.compareTo(wait) < 0) {
                wait = left.isNegative() ? Duration.ZERO : left;
                timesOut = true;
            }
        }
        try {
            if (time.await(cancellation.latch(), wait)) {
                throw new CancelledException(cancellation.reason());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException("the run's thread was interrupted");
        }
        if (timesOut) {
            throw new StepTimeoutException(what, "a wait of " + d + " would pass its timeout");
        }
    }

    /** Steps of a resumed run that were cut short and run again, so their actions look for earlier work. */
    private final Set<String> rerunning = new java.util.HashSet<>();

    /**
     * For a resumed run: restores a step the journal says finished (its row becomes SUCCEEDED, its output
     * available again), marks an unfinished one for re-running when that is safe, and returns the reason to
     * stop when it is not. Returns null when the step should run (or was restored).
     */
    private String restoreOrBlock(StepI s) {
        if (resumed == null) {
            return null;
        }
        RunJournal.Row jr = resumed.rows().get(s.row());
        Step<?> step = s.step();
        Row row = rows.get(s.row());
        if (jr == null) {
            return null;
        }
        Optional<? extends Key<?>> key = step.output();
        if (jr.succeeded() && !(key.isPresent() && jr.outputRedacted())) {
            if (key.isPresent()) {
                Key<?> k = key.get();
                Object value = k.type().isInstance(jr.output()) ? jr.output() : Json.MAPPER.convertValue(jr.output(), k.type());
                record(step, row, value);
            }
            row.status = StepStatus.SUCCEEDED;
            row.attempts = jr.attempts();
            row.note = "done before the run stopped (restored from the journal)";
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
            rerunning.add(step.name());
            row.note = "run again after the run stopped inside it" + step.rerunSafety().map(h -> " (" + h + ")").orElse("");
        }
        return null;
    }

    /** Evaluates a check, or takes its outcome from the journal of the session this run resumes. */
    private Optional<Boolean> decide(int rowIndex, Row row, Check check) {
        RunJournal.Row jr = resumed == null ? null : resumed.rows().get(rowIndex);
        if (jr != null && !jr.outcome().isEmpty()) {
            boolean held = jr.outcome().equals("held") || jr.outcome().equals("then");
            row.status = row.kind == StepResult.Kind.BRANCH || held ? StepStatus.SUCCEEDED : StepStatus.FAILED;
            row.attempts = 1;
            row.note = (row.kind == StepResult.Kind.BRANCH ? "took " + jr.outcome() + " " : "")
                    + "(decided before the run stopped; from the journal)";
            return Optional.of(held);
        }
        Optional<Boolean> out = evaluate(row, check);
        if (out.isPresent() && row.failure == null) {
            String outcome = row.kind == StepResult.Kind.BRANCH ? (out.get() ? "then" : "otherwise") : (out.get() ? "held" : "failed");
            write(entry("check", rowIndex, row.name).put("outcome", outcome), false);
        }
        return out;
    }

    private ObjectNode entry(String type, int row, String name) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("type", type);
        n.put("at", time.now().toString());
        if (row >= 0) {
            n.put("row", row);
            n.put("name", name);
        }
        return n;
    }

    private static ObjectNode failure(ObjectNode n, Failure f) {
        ObjectNode fn = n.putObject("failure");
        fn.put("type", f.type());
        fn.put("message", f.message());
        return n;
    }

    private void writeHeader(Instant start) {
        if (journal == null) {
            return;
        }
        if (resumed != null) {
            write(entry("run-resumed", -1, null), true);
            return;
        }
        ObjectNode n = entry("run-started", -1, null);
        n.put("plan", plan.name());
        n.put("fingerprint", plan.fingerprint());
        n.put("runId", ref.runId());
        n.put("target", ref.target());
        ObjectNode in = n.putObject("inputs");
        var secrets = n.putArray("secretInputs");
        inputs.asMap().forEach((k, v) -> {
            if (k.secret()) {
                secrets.add(k.name());
            } else {
                in.set(k.name(), Json.MAPPER.valueToTree(v));
            }
        });
        write(n, true);
    }

    private void writeFinish(Instant end, RunStatus status, String reason) {
        if (journal != null) {
            try {
                write(entry("run-finished", -1, null).put("status", status.name()).put("reason", reason), true);
            } catch (JournalException e) {
                // a finish that cannot be written leaves the run resumable, which is the safe side
                log.warn("Could not record the end of run {}: {}", ref.runId(), e.getMessage());
            }
        }
    }

    /** Appends to the journal; a journal that cannot be written stops the run, since it could no longer resume. */
    private void write(ObjectNode n, boolean durable) {
        if (journal == null) {
            return;
        }
        try {
            journal.append(Json.MAPPER.writeValueAsString(n), durable);
        } catch (IOException e) {
            throw new JournalException("The journal of run " + ref.runId() + " could not be written (" + e.getMessage()
                    + "); the run stopped, since it could not be resumed from there", e);
        }
    }

    private void emit(RunEvent e) {
        for (RunListener l : listeners) {
            try {
                l.onEvent(e);
            } catch (RuntimeException ex) {
                log.warn("Listener {} failed on {}: {}", l, e.getClass().getSimpleName(), ex.toString());
            }
        }
    }

    /** What a step or check sees. */
    private final class Context implements StepContext {
        private final String name;
        private final int attempt;
        private final Instant deadline;
        private final boolean isRerun;

        Context(String name, int attempt, Instant deadline, boolean isRerun) {
            this.name = name;
            this.attempt = attempt;
            this.deadline = deadline;
            this.isRerun = isRerun;
        }

        @Override
        public boolean isRerun() {
            return isRerun;
        }

        @Override
        public <T> T get(Key<T> key) {
            return find(key).orElseThrow(() -> new IllegalStateException(key.name()
                    + " has no value: no input or earlier step of plan \"" + plan.name() + "\" produced it (read by \""
                    + name + "\")"));
        }

        @Override
        public <T> Optional<T> find(Key<T> key) {
            Object v = values.get(key);
            if (v == null) {
                String producer = unavailable.get(key);
                if (producer != null) {
                    throw new UnavailableInDryRun(key, producer);
                }
                return Optional.empty();
            }
            return Optional.of(key.cast(v));
        }

        @Override
        public String planName() {
            return plan.name();
        }

        @Override
        public String runId() {
            return ref.runId();
        }

        @Override
        public String stepName() {
            return name;
        }

        @Override
        public Optional<String> target() {
            return Optional.ofNullable(ref.target());
        }

        @Override
        public int attempt() {
            return attempt;
        }

        @Override
        public boolean dryRun() {
            return dryRun;
        }

        @Override
        public Instant now() {
            return time.now();
        }

        @Override
        public void sleep(Duration duration) {
            RunExecution.this.sleep(duration, deadline, name);
        }

        @Override
        public void checkCancelled() {
            if (cancellation.isCancelled()) {
                throw new CancelledException(cancellation.reason());
            }
        }

        @Override
        public String toString() {
            return "StepContext{" + ref + ", step=" + name + ", attempt=" + attempt + "}";
        }
    }
}
