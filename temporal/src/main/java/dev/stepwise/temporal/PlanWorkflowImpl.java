package dev.stepwise.temporal;

import dev.stepwise.core.PreconditionFailedException;
import dev.stepwise.core.plan.Effect;
import dev.stepwise.core.plan.OnFailure;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.PlanProgram;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.retry.RetryPolicy;
import dev.stepwise.core.run.Failure;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.StepResult;
import dev.stepwise.core.run.StepStatus;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks a registered plan as the embedded runner does, row by row; every step and check runs as an activity, so
 * its outcome (and each branch's decision) is in the workflow's history and a replay calls nothing outside.
 * MUTATING steps run as one Temporal attempt with Stepwise's retry policy inside; a MUTATING attempt whose worker
 * died or timed out is run again only when the step is re-runnable, otherwise the run waits for a human decision
 * (signal {@code decide}: re-run or skip).
 */
public class PlanWorkflowImpl implements PlanWorkflow {
    /** How often a re-runnable step is run again by itself after its worker was lost, before a human decides. */
    static final int AUTO_RERUNS = 3;

    private final Registry registry;
    private final WorkerSettings settings;

    private String awaiting;
    private String awaitingReason = "";
    private Wire.Decision decision;

    // what the walk has decided so far
    private RunStatus status;
    private String reason = "";
    private Failure failure;
    private Integer goToFailure;

    private PlanProgram flow;
    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Map<String, Object> outputs = new LinkedHashMap<>();
    private Wire.PlanRequest req;
    private Plan plan;
    private Instant start;
    private Instant end;

    PlanWorkflowImpl(Registry registry, WorkerSettings settings) {
        this.registry = registry;
        this.settings = settings;
    }

    private static final class Row {
        final PlanProgram.RowShape shape;
        StepStatus status = StepStatus.NOT_REACHED;
        int attempts;
        Instant start;
        Instant end;
        String output;
        Failure failure;
        String note = "";

        Row(PlanProgram.RowShape shape) {
            this.shape = shape;
        }

        void take(Wire.RowData d) {
            status = StepStatus.valueOf(d.status());
            attempts = d.attempts();
            start = d.start();
            end = d.end();
            output = d.output();
            failure = StepActivitiesImpl.failure(d.failure());
            note = d.note() == null ? "" : d.note();
        }

        StepResult freeze() {
            return StepResult.builder().name(shape.name()).kind(shape.kind()).effect(shape.effect()).status(status)
                    .attempts(attempts).start(start).end(end).output(output).failure(failure).note(note).build();
        }
    }

    @Override
    public String run(Wire.PlanRequest request) {
        this.req = request;
        Plan plan;
        try {
            plan = registry.plan(request.plan(), request.fingerprint());
        } catch (TemporalRefusedException e) {
            throw StepActivitiesImpl.refusalInWorkflow(e);
        }
        flow = PlanProgram.compile(plan.nodes());
        flow.rows().forEach(r -> rows.add(new Row(r)));
        values.putAll(request.inputs());
        this.plan = plan;
        start = now();
        walk();
        if (status == null) {
            status = RunStatus.FAILED;
            reason = "the run stopped unexpectedly";
        }
        end = now();
        return result();
    }

    @Override
    public String result() {
        if (plan == null || status == null) {
            return null;
        }
        return RunResult.builder().plan(plan.name()).fingerprint(plan.fingerprint()).runId(req.runId())
                .target(req.target()).status(status).reason(reason).start(start).end(end)
                .inputs(req.shownInputs()).outputs(outputs).failure(failure)
                .steps(rows.stream().map(Row::freeze).toList()).build().toJson();
    }

    @Override
    public void decide(Wire.Decision d) {
        if (awaiting != null && awaiting.equals(d.step())) {
            this.decision = d;
        }
    }

    @Override
    public Wire.RunView view() {
        return new Wire.RunView(awaiting, awaitingReason);
    }

    private static Instant now() {
        return Instant.ofEpochMilli(Workflow.currentTimeMillis());
    }

    private boolean cancelRequested() {
        return CancellationScope.current().isCancelRequested();
    }

    private void walk() {
        List<PlanProgram.Instr> program = flow.instrs();
        int pc = 0;
        while (pc < program.size() && status == null) {
            PlanProgram.Instr ins = program.get(pc);
            if (cancelRequested() && !(ins instanceof PlanProgram.JumpI)) {
                end(RunStatus.CANCELLED, "cancelled before \"" + rows.get(PlanProgram.rowOf(ins)).shape.name()
                        + "\": the workflow was cancelled", null);
                return;
            }
            try {
                if (ins instanceof PlanProgram.JumpI j) {
                    pc = j.target();
                } else if (ins instanceof PlanProgram.EndI e) {
                    Row row = rows.get(e.row());
                    row.status = StepStatus.SUCCEEDED;
                    row.start = row.end = now();
                    end(RunStatus.ENDED, e.end().reason(), null);
                } else if (ins instanceof PlanProgram.RequireI r) {
                    pc = require(r, pc);
                } else if (ins instanceof PlanProgram.BranchI b) {
                    pc = branch(b, pc);
                } else if (ins instanceof PlanProgram.StepI s) {
                    pc = step(s, pc);
                }
            } catch (CanceledFailure c) {
                Row row = rows.get(PlanProgram.rowOf(ins));
                if (row.status == StepStatus.NOT_REACHED) {
                    row.status = StepStatus.CANCELLED;
                    row.end = now();
                }
                end(RunStatus.CANCELLED, "cancelled during \"" + row.shape.name() + "\": the workflow was cancelled", null);
                return;
            }
        }
        if (status == null && goToFailure != null) {
            Row g = rows.get(goToFailure);
            end(RunStatus.FAILED, "step \"" + g.shape.name() + "\" failed after " + attemptsText(g) + g.failure
                    + " (the plan went on to its on-failure step)", g.failure);
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

    private static String attemptsText(Row row) {
        return row.attempts + (row.attempts == 1 ? " attempt: " : " attempts: ");
    }

    private Wire.CheckOutcome check(int row) {
        StepActivities a = Workflow.newActivityStub(StepActivities.class, readOnlyOptions(null));
        Wire.CheckOutcome out = call(() -> a.check(new Wire.CheckCall(req.plan(), req.fingerprint(), req.runId(),
                req.target(), row, Map.copyOf(values), req.rolloutId(), req.waveCheckpoints())));
        rows.get(row).take(out.row());
        return out;
    }

    private int require(PlanProgram.RequireI r, int pc) {
        Wire.CheckOutcome out = check(r.row());
        if (out.held() != null && out.held()) {
            return pc + 1;
        }
        Row row = rows.get(r.row());
        Throwable cause = row.failure == null ? null : row.failure.toException();
        PreconditionFailedException ex = new PreconditionFailedException(r.require().description(),
                row.failure == null ? "" : row.failure.message(), cause);
        Failure pf = Failure.of(ex);
        end(RunStatus.FAILED, pf.message(), Failure.of(pf.type(), pf.message(), pf.details()));
        return pc;
    }

    private int branch(PlanProgram.BranchI b, int pc) {
        Wire.CheckOutcome out = check(b.row());
        Row row = rows.get(b.row());
        if (out.held() == null) {
            end(RunStatus.FAILED, "could not decide branch \"" + b.branch().description() + "\": " + row.failure,
                    row.failure);
            return pc;
        }
        if (out.held()) {
            skip(b.elseFrom(), b.elseTo(), "branch \"" + b.branch().description() + "\" took then");
            return pc + 1;
        }
        skip(b.thenFrom(), b.thenTo(), "branch \"" + b.branch().description() + "\" took otherwise");
        return b.elseTarget();
    }

    private void skip(int from, int to, String why) {
        for (int i = from; i < to; i++) {
            Row r = rows.get(i);
            if (r.status == StepStatus.NOT_REACHED) {
                r.status = StepStatus.SKIPPED;
                r.note = why;
            }
        }
    }

    private int step(PlanProgram.StepI s, int pc) {
        Row row = rows.get(s.row());
        runStep(s.step(), row);
        if (row.status == StepStatus.SKIPPED) {
            return pc + 1;
        }
        if (row.status == StepStatus.CANCELLED) {
            end(RunStatus.CANCELLED, "cancelled during \"" + row.shape.name() + "\": the workflow was cancelled", null);
            return pc;
        }
        if (row.status != StepStatus.FAILED) {
            return pc + 1;
        }
        OnFailure rule = s.step().onFailure();
        if (rule instanceof OnFailure.GoTo g) {
            if (goToFailure == null) {
                goToFailure = s.row();
            }
            int target = flow.stepAt(g.step());
            skip(s.row() + 1, PlanProgram.rowOf(flow.instrs().get(target)),
                    "jumped over: \"" + row.shape.name() + "\" failed and goes to \"" + g.step() + "\"");
            return target;
        }
        if (rule instanceof OnFailure.Continue) {
            return pc + 1;
        }
        if (row.failure == null) {
            end(RunStatus.FAILED, "step \"" + row.shape.name() + "\" failed: " + row.note, null);
        } else {
            end(RunStatus.FAILED, "step \"" + row.shape.name() + "\" failed after " + attemptsText(row) + row.failure,
                    row.failure);
        }
        return pc;
    }

    private void runStep(Step<?> step, Row row) {
        boolean mutating = step.effect() == Effect.MUTATING;
        boolean temporalRetries = !mutating && RetryMapping.maps(step.retry());
        ActivityOptions options = mutating ? mutatingOptions(step)
                : temporalRetries ? mappedOptions(step) : readOnlyOptions(step);
        StepActivities a = Workflow.newActivityStub(StepActivities.class, options);
        boolean rerun = false;
        int autoReruns = 0;
        while (true) {
            Wire.StepCall call = new Wire.StepCall(req.plan(), req.fingerprint(), req.runId(), req.target(), step.name(),
                    Map.copyOf(values), rerun, temporalRetries, req.rolloutId(), req.waveCheckpoints());
            try {
                Wire.StepOutcome out = call(() -> a.runStep(call));
                row.take(out.row());
                if (row.status == StepStatus.SUCCEEDED && step.output().isPresent()) {
                    values.put(step.output().get().name(), out.output());
                    outputs.put(step.output().get().name(), out.output());
                }
                return;
            } catch (ActivityFailure f) {
                if (!mutating) {
                    row.status = StepStatus.FAILED;
                    row.attempts = Math.max(1, row.attempts);
                    row.failure = lost(f);
                    row.end = now();
                    return;
                }
                // the attempt may have acted and Temporal cannot prove it stopped
                if (step.rerunSafety().isPresent() && autoReruns < AUTO_RERUNS) {
                    autoReruns++;
                    rerun = true;
                    continue;
                }
                awaiting = step.name();
                awaitingReason = "step \"" + step.name() + "\" needs a human decision: its attempt was lost ("
                        + lost(f) + ") and may have acted; " + (step.rerunSafety().isPresent()
                        ? "it was re-run " + AUTO_RERUNS + " times already"
                        : "it does not declare how it tells whether it already acted")
                        + "; signal decide with rerun or skip";
                decision = null;
                Workflow.await(() -> decision != null);
                Wire.Decision d = decision;
                awaiting = null;
                awaitingReason = "";
                if (!d.rerun()) {
                    row.status = StepStatus.SKIPPED;
                    row.note = "skipped by " + d.by() + " after its attempt was lost (" + lost(f) + ")";
                    row.start = row.start == null ? now() : row.start;
                    row.end = now();
                    return;
                }
                rerun = true;
            }
        }
    }

    /** Runs an activity call, turning a refusal (unknown or changed plan) into the workflow's own failure. */
    private static <T> T call(java.util.function.Supplier<T> activity) {
        try {
            return activity.get();
        } catch (ActivityFailure f) {
            if (f.getCause() instanceof ApplicationFailure af && af.getType().startsWith(StepActivitiesImpl.REFUSED)) {
                throw ApplicationFailure.newNonRetryableFailure(af.getOriginalMessage(), af.getType());
            }
            if (f.getCause() instanceof CanceledFailure c) {
                throw c;
            }
            throw f;
        }
    }

    private static Failure lost(ActivityFailure f) {
        Throwable cause = f.getCause();
        if (cause instanceof ApplicationFailure af) {
            return Failure.of(af.getType(), af.getOriginalMessage());
        }
        if (cause instanceof TimeoutFailure t) {
            return Failure.of("io.temporal.failure.TimeoutFailure", "the activity timed out (" + t.getTimeoutType()
                    + "): its worker stopped or lost contact");
        }
        String message = cause instanceof TemporalFailure tf ? tf.getOriginalMessage() : String.valueOf(cause);
        return Failure.of(cause == null ? f.getClass().getName() : cause.getClass().getName(), message);
    }

    private ActivityOptions.Builder base() {
        return ActivityOptions.newBuilder().setHeartbeatTimeout(settings.heartbeatTimeout())
                .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED);
    }

    private Duration stepTimeout(Step<?> step) {
        return step.timeout().map(t -> t.plus(settings.heartbeatTimeout())).orElse(settings.stepTimeout());
    }

    private ActivityOptions mutatingOptions(Step<?> step) {
        return base().setStartToCloseTimeout(stepTimeout(step))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build();
    }

    /** READ_ONLY steps and checks whose retries stay inside: Temporal retries only lost attempts, which are safe. */
    private ActivityOptions readOnlyOptions(Step<?> step) {
        return base().setStartToCloseTimeout(step == null ? settings.stepTimeout() : stepTimeout(step))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(settings.lostReadOnlyAttempts()).build())
                .build();
    }

    private ActivityOptions mappedOptions(Step<?> step) {
        RetryPolicy p = step.retry();
        ActivityOptions.Builder b = base()
                .setStartToCloseTimeout(p.attemptTimeout().map(t -> t.plus(settings.heartbeatTimeout()))
                        .orElse(settings.stepTimeout()))
                .setRetryOptions(RetryMapping.toTemporal(p));
        step.timeout().ifPresent(b::setScheduleToCloseTimeout);
        return b.build();
    }
}
