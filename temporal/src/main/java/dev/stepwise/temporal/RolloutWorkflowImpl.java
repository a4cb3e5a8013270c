package dev.stepwise.temporal;

import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.rollout.Approval;
import dev.stepwise.core.rollout.Checkpoint;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.TargetStatus;
import dev.stepwise.core.rollout.Wave;
import dev.stepwise.core.rollout.WaveStatus;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowCancellationType;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a registered rollout: for each wave, its checkpoints in order — a soak is a durable timer, an approval
 * waits for the {@code answer} update until its timeout and then applies its timeout rule, a gate runs as an
 * activity over the result so far — then its targets, resolved by an activity, each as a child plan workflow, at
 * most {@code maxConcurrency} at once, halting when failures pass {@code maxErrors}. The approver configured on the
 * rollout is not called: on Temporal an approval is answered through the client.
 */
public class RolloutWorkflowImpl implements RolloutWorkflow {
    private final Registry registry;
    private final WorkerSettings settings;
    private final String taskQueue;

    private Rollout rollout;
    private Wire.RolloutRequest req;
    private Instant start;
    private Instant end;
    private String status = "RUNNING";
    private String reason = "";
    private final List<Wire.WaveRow> waves = new ArrayList<>();
    private String waitingFor;
    private Instant resumeAt;
    private Wire.PendingApproval pending;
    private Wire.ApprovalAnswer answer;

    RolloutWorkflowImpl(Registry registry, WorkerSettings settings, String taskQueue) {
        this.registry = registry;
        this.settings = settings;
        this.taskQueue = taskQueue;
    }

    private static Instant now() {
        return Instant.ofEpochMilli(Workflow.currentTimeMillis());
    }

    @Override
    public Wire.RolloutState run(Wire.RolloutRequest request) {
        this.req = request;
        try {
            rollout = registry.rollout(request.rollout(), request.fingerprint());
        } catch (TemporalRefusedException e) {
            throw StepActivitiesImpl.refusal(e);
        }
        start = now();
        for (Wave w : rollout.waves()) {
            waves.add(new Wire.WaveRow(w.name(), WaveStatus.NOT_STARTED.name(), "", w.targets().description(),
                    List.of(), null, null, List.of()));
        }
        try {
            for (int i = 0; i < rollout.waves().size() && "RUNNING".equals(status); i++) {
                wave(i);
            }
        } catch (CanceledFailure c) {
            status = "CANCELLED";
            reason = "the workflow was cancelled";
        }
        if ("RUNNING".equals(status)) {
            status = "SUCCEEDED";
        }
        waitingFor = null;
        resumeAt = null;
        end = now();
        return state(end);
    }

    private Wire.RolloutState state(Instant end) {
        Plan plan = rollout.plan();
        return new Wire.RolloutState(rollout.name(), req.rolloutId(), plan.name(), plan.fingerprint(), status, reason,
                start, end, List.copyOf(waves));
    }

    @Override
    public Wire.Progress progress() {
        return new Wire.Progress(rollout == null ? null : state(end), waitingFor, resumeAt, pending);
    }

    @Override
    public void validateAnswer(Wire.ApprovalAnswer a) {
        if (pending == null) {
            throw new IllegalStateException("Rollout " + (req == null ? "" : req.rolloutId())
                    + " has no approval pending, so there is nothing to approve or reject");
        }
    }

    @Override
    public String answer(Wire.ApprovalAnswer a) {
        this.answer = a;
        return "recorded";
    }

    private void setWave(int i, Wire.WaveRow row) {
        waves.set(i, row);
    }

    private void wave(int i) {
        Wave w = rollout.waves().get(i);
        List<Checkpoint> cps = rollout.checkpointsBefore(w);
        List<Wire.CheckpointRow> done = new ArrayList<>();
        Wire.WaveRow row = waves.get(i);
        for (int c = 0; c < cps.size(); c++) {
            Wire.CheckpointRow cr = checkpoint(i, c, cps.get(c));
            done.add(cr);
            row = new Wire.WaveRow(row.name(), row.status(), row.reason(), row.targetSource(), List.copyOf(done),
                    row.start(), row.end(), row.targets());
            setWave(i, row);
            if (!"PASSED".equals(cr.outcome())) {
                status = "HALTED";
                reason = "checkpoint \"" + cr.description() + "\" before wave \"" + w.name() + "\" "
                        + cr.outcome().toLowerCase(java.util.Locale.ROOT) + (cr.detail().isEmpty() ? "" : ": " + cr.detail());
                setWave(i, new Wire.WaveRow(row.name(), WaveStatus.HALTED.name(), reason, row.targetSource(),
                        row.checkpoints(), null, null, List.of()));
                return;
            }
        }
        Instant waveStart = now();
        StepActivities a = Workflow.newActivityStub(StepActivities.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(settings.stepTimeout()).setHeartbeatTimeout(settings.heartbeatTimeout())
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(settings.lostReadOnlyAttempts()).build())
                .build());
        Wire.Targets targets;
        try {
            targets = a.targets(new Wire.TargetsCall(req.rollout(), req.fingerprint(), i, state(null)));
        } catch (ActivityFailure f) {
            String why = f.getCause() instanceof TemporalFailure tf ? tf.getOriginalMessage() : String.valueOf(f.getCause());
            status = "HALTED";
            reason = why;
            setWave(i, new Wire.WaveRow(row.name(), WaveStatus.HALTED.name(), why, row.targetSource(), row.checkpoints(),
                    waveStart, now(), List.of()));
            return;
        }
        int n = targets.targets().size();
        int concurrency = Math.max(1, w.maxConcurrency().concurrencyFor(n));
        int budget = w.maxErrors().errorsFor(n);
        Map<String, Wire.TargetRow> results = new LinkedHashMap<>();
        targets.targets().forEach(t -> results.put(t, new Wire.TargetRow(t, TargetStatus.NOT_STARTED.name(), null, null,
                null, null, "")));
        Deque<String> queue = new ArrayDeque<>(targets.targets());
        Map<String, Promise<String>> running = new LinkedHashMap<>();
        Map<String, Instant> started = new LinkedHashMap<>();
        int failures = 0;
        boolean halted = false;
        boolean cancelled = false;
        while (!queue.isEmpty() || !running.isEmpty()) {
            while (!halted && !cancelled && running.size() < concurrency && !queue.isEmpty()) {
                String t = queue.poll();
                PlanWorkflow child = Workflow.newChildWorkflowStub(PlanWorkflow.class, ChildWorkflowOptions.newBuilder()
                        .setWorkflowId(req.rolloutId() + "--" + t).setTaskQueue(taskQueue)
                        .setCancellationType(ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED).build());
                Wire.PlanRequest pr = new Wire.PlanRequest(rollout.plan().name(), rollout.plan().fingerprint(),
                        req.rolloutId() + "--" + t, t, targets.inputs().get(t), targets.shownInputs().get(t));
                started.put(t, now());
                running.put(t, Async.function(child::run, pr));
                setWave(i, waveRow(row, WaveStatus.WAITING, "", waveStart, null, results));
            }
            if (running.isEmpty()) {
                break;
            }
            try {
                Promise.anyOf(running.values()).get();
            } catch (CanceledFailure c) {
                cancelled = true;
            } catch (RuntimeException e) {
                // a child that failed; its row is made below
            }
            for (String t : new ArrayList<>(running.keySet())) {
                Promise<String> p = running.get(t);
                if (!p.isCompleted()) {
                    continue;
                }
                running.remove(t);
                Wire.TargetRow tr = target(t, started.get(t), p);
                results.put(t, tr);
                if (TargetStatus.FAILED.name().equals(tr.status())) {
                    failures++;
                    if (failures > budget) {
                        halted = true;
                    }
                }
                if (TargetStatus.CANCELLED.name().equals(tr.status())) {
                    cancelled = true;
                }
            }
            if (cancelled) {
                // a cancelled rollout waits for its children to end (they were cancelled with it)
                for (Map.Entry<String, Promise<String>> e : running.entrySet()) {
                    Wire.TargetRow tr = target(e.getKey(), started.get(e.getKey()), e.getValue());
                    results.put(e.getKey(), tr);
                }
                running.clear();
                queue.clear();
            }
        }
        WaveStatus ws;
        String why = "";
        if (cancelled) {
            ws = WaveStatus.CANCELLED;
            status = "CANCELLED";
            reason = "the workflow was cancelled during wave \"" + w.name() + "\"";
            why = reason;
        } else if (halted) {
            ws = WaveStatus.HALTED;
            why = failures + " of " + n + " targets failed, more than maxErrors " + w.maxErrors() + " (" + budget + ")";
            status = "HALTED";
            reason = "wave \"" + w.name() + "\" halted: " + why;
        } else {
            ws = failures == 0 ? WaveStatus.SUCCEEDED : WaveStatus.SUCCEEDED_WITHIN_BUDGET;
        }
        setWave(i, waveRow(row, ws, why, waveStart, now(), results));
    }

    private static Wire.WaveRow waveRow(Wire.WaveRow row, WaveStatus s, String why, Instant start, Instant end,
            Map<String, Wire.TargetRow> results) {
        return new Wire.WaveRow(row.name(), s.name(), why, row.targetSource(), row.checkpoints(), start, end,
                List.copyOf(results.values()));
    }

    private Wire.TargetRow target(String t, Instant startedAt, Promise<String> p) {
        try {
            String json = p.get();
            RunResult r = RunResult.fromJson(json);
            TargetStatus s = r.isSuccess() ? TargetStatus.SUCCEEDED
                    : r.status() == RunStatus.CANCELLED ? TargetStatus.CANCELLED : TargetStatus.FAILED;
            return new Wire.TargetRow(t, s.name(), startedAt, now(), json,
                    StepActivitiesImpl.failure(r.failure()), r.reason());
        } catch (ChildWorkflowFailure f) {
            Throwable c = f.getCause();
            if (c instanceof CanceledFailure) {
                return new Wire.TargetRow(t, TargetStatus.CANCELLED.name(), startedAt, now(), null, null,
                        "cancelled with the rollout");
            }
            String type = c instanceof ApplicationFailure af ? af.getType() : String.valueOf(c == null ? null : c.getClass().getName());
            String message = c instanceof TemporalFailure tf ? tf.getOriginalMessage() : String.valueOf(c);
            return new Wire.TargetRow(t, TargetStatus.FAILED.name(), startedAt, now(), null,
                    new Wire.FailureData(type, message, Map.of()), message);
        } catch (CanceledFailure c) {
            return new Wire.TargetRow(t, TargetStatus.CANCELLED.name(), startedAt, now(), null, null,
                    "cancelled with the rollout");
        }
    }

    private Wire.CheckpointRow checkpoint(int wave, int index, Checkpoint c) {
        Instant at = now();
        String kind = c.kind().name();
        if (c instanceof Checkpoint.Soak s) {
            waitingFor = "soak of " + s.duration() + " before wave \"" + rollout.waves().get(wave).name() + "\"";
            resumeAt = at.plus(s.duration());
            Workflow.sleep(s.duration());
            waitingFor = null;
            resumeAt = null;
            // the timer fired at exactly start + duration; the task that saw it may run a moment later
            return new Wire.CheckpointRow(kind, c.description(), "PASSED", at, at.plus(s.duration()), "", null, Map.of());
        }
        if (c instanceof Approval ap) {
            Instant deadline = at.plus(ap.timeout());
            pending = new Wire.PendingApproval(rollout.waves().get(wave).name(), c.description(), at, deadline);
            waitingFor = "approval \"" + c.description() + "\" before wave \"" + rollout.waves().get(wave).name() + "\"";
            resumeAt = deadline;
            answer = null;
            boolean answered = Workflow.await(ap.timeout(), () -> answer != null);
            pending = null;
            waitingFor = null;
            resumeAt = null;
            Wire.DecisionData d;
            if (answered) {
                d = new Wire.DecisionData(answer.approved(), answer.by(), answer.comment() == null ? "" : answer.comment(),
                        now(), false);
            } else {
                boolean approve = ap.onTimeout() == Approval.TimeoutRule.APPROVE;
                d = new Wire.DecisionData(approve, "timeout rule", "no answer within " + ap.timeout(), now(), true);
            }
            return new Wire.CheckpointRow(kind, c.description(), d.approved() ? "PASSED" : "REJECTED", at, now(),
                    (d.approved() ? "approved by " : "rejected by ") + d.by() + (d.comment().isEmpty() ? "" : ": " + d.comment()),
                    d, Map.of());
        }
        if (c instanceof Checkpoint.Gate) {
            StepActivities a = Workflow.newActivityStub(StepActivities.class, ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(settings.stepTimeout()).setHeartbeatTimeout(settings.heartbeatTimeout())
                    .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(settings.lostReadOnlyAttempts()).build())
                    .build());
            Wire.GateOutcome g = a.gate(new Wire.GateCall(req.rollout(), req.fingerprint(), wave, index, state(null)));
            return new Wire.CheckpointRow(kind, c.description(), g.held() ? "PASSED" : "REJECTED", at, now(),
                    g.detail() == null ? "" : g.detail(), null, g.data() == null ? Map.of() : g.data());
        }
        throw ApplicationFailure.newNonRetryableFailure("checkpoint " + kind + " does not run on Temporal",
                StepActivitiesImpl.REFUSED + ":UNSUPPORTED");
    }

}
