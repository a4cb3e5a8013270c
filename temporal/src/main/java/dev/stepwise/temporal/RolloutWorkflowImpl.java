package dev.stepwise.temporal;

import dev.stepwise.core.Durations;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.rollout.Approval;
import dev.stepwise.core.rollout.Checkpoint;
import dev.stepwise.core.rollout.MaintenanceWindow;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a registered rollout as the embedded runner does (core's {@code RolloutRun}, {@code Checkpoints},
 * {@code WaveScheduler}), with the same rows and reasons in its {@code RolloutResult}: for each wave, its checkpoints
 * in order — a soak is a durable timer, an approval waits for the {@code answer} update until its timeout and then
 * applies its timeout rule, a gate runs as an activity over the waves before, a maintenance window halts or waits
 * on a durable timer until it opens, an announcement is sent by a single-attempt activity and its lead time is a
 * durable timer — then its targets, resolved and checked by an activity, each as a child plan workflow running the
 * wave's plan (its own or the rollout's): the ramp's stages first, then at most {@code maxConcurrency} at once,
 * halting when failures pass {@code maxErrors} or the window closes. An approval asks the rollout's
 * configured approver once, in an activity: an answer it gives at once decides; one it gives later in the worker's
 * JVM arrives as an {@code answer} update, as a person's answer through the client does.
 */
public class RolloutWorkflowImpl implements RolloutWorkflow {
    private final Registry registry;
    private final WorkerSettings settings;
    private final String taskQueue;

    /** Why a cancelled rollout stopped, as its result says. */
    static final String CANCELLED_BY = "the workflow was cancelled";

    private Rollout rollout;
    private Wire.RolloutRequest req;
    private Instant start;
    private Instant end;
    private String status = "RUNNING";
    private String reason = "";
    /** The wave the rollout halted or was cancelled in, if any. */
    private Integer stoppedIn;
    private final List<Wire.WaveRow> waves = new ArrayList<>();
    private String waitingFor;
    /** Watches of the watched soak in progress that held so far (for the detail of one cut short by cancellation). */
    private int watchesHeld;
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
            rollout = registry.rollout(request.rollout(), request.fingerprint(), request.planFingerprint());
        } catch (TemporalRefusedException e) {
            throw StepActivitiesImpl.refusalInWorkflow(e);
        }
        start = now();
        for (Wave w : rollout.waves()) {
            waves.add(new Wire.WaveRow(w.name(), WaveStatus.NOT_STARTED.name(), "", w.targets().description(),
                    List.of(), null, null, List.of()));
        }
        journal(line("started", start));
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
        notStartedAfterStop();
        waitingFor = null;
        resumeAt = null;
        end = now();
        journal(new Wire.JournalLine("finished", end, null, null, 0, null, null, null, null, null, null, null, status,
                reason));
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

    /** The rollout so far as gates, computed targets and announcements see it: the waves before wave {@code i}. */
    private Wire.RolloutState soFar(int i) {
        Plan plan = rollout.plan();
        return new Wire.RolloutState(rollout.name(), req.rolloutId(), plan.name(), plan.fingerprint(), "RUNNING", "",
                start, null, List.copyOf(waves.subList(0, i)));
    }

    private ActivityOptions readOnly() {
        return ActivityOptions.newBuilder().setStartToCloseTimeout(settings.stepTimeout())
                .setHeartbeatTimeout(settings.heartbeatTimeout())
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(settings.lostReadOnlyAttempts()).build())
                .build();
    }

    private static Wire.JournalLine line(String event, Instant at) {
        return new Wire.JournalLine(event, at, null, null, 0, null, null, null, null, null, null, null, null, null);
    }

    /**
     * Records entries in the rollout's journal through the journal activity (which does nothing on a worker without
     * a journal store), in a scope of its own so that a cancelled rollout still records how it ended.
     */
    private void journal(Wire.JournalLine... lines) {
        StepActivities a = Workflow.newActivityStub(StepActivities.class, readOnly());
        Wire.JournalCall call = new Wire.JournalCall(req.rollout(), req.fingerprint(), req.rolloutId(), List.of(lines));
        Workflow.newDetachedCancellationScope(() -> a.journal(call)).run();
    }

    /** How the embedded runner words a halted or cancelled wave: it becomes the rollout's reason. */
    private void stop(int i, String rolloutStatus, String waveReason) {
        if ("RUNNING".equals(status)) {
            status = rolloutStatus;
            reason = "wave " + rollout.waves().get(i).name() + ": " + waveReason;
            stoppedIn = i;
        }
    }

    /** Waves after the one the rollout stopped in, as the embedded runner reports them. */
    private void notStartedAfterStop() {
        if (stoppedIn == null) {
            return;
        }
        for (int i = stoppedIn + 1; i < waves.size(); i++) {
            Wire.WaveRow w = waves.get(i);
            if (WaveStatus.NOT_STARTED.name().equals(w.status())) {
                setWave(i, new Wire.WaveRow(w.name(), w.status(), "not started: the rollout "
                        + ("CANCELLED".equals(status) ? "was cancelled" : "halted") + " in wave "
                        + rollout.waves().get(stoppedIn).name(), w.targetSource(), w.checkpoints(), null, null,
                        List.of()));
            }
        }
    }

    private void wave(int i) {
        Wave w = rollout.waves().get(i);
        Plan runs = w.plan().orElse(rollout.plan());
        List<Checkpoint> cps = rollout.checkpointsBefore(w);
        List<Wire.CheckpointRow> done = new ArrayList<>();
        Wire.WaveRow row = waves.get(i);
        MaintenanceWindow window = null;
        for (int c = 0; c < cps.size(); c++) {
            if (cps.get(c) instanceof Checkpoint.Window win) {
                window = win.window();
            }
            Instant cpStart = now();
            Wire.CheckpointRow cr;
            try {
                cr = checkpoint(i, c, cps.get(c));
            } catch (CanceledFailure cancelled) {
                waitingFor = null;
                resumeAt = null;
                pending = null;
                Checkpoint cp = cps.get(c);
                String what = cp.kind().name().toLowerCase(Locale.ROOT) + " \"" + cp.description() + "\"";
                Instant e = now();
                // worded as core's Checkpoints words a checkpoint cut short by cancellation
                String detail = cp instanceof Checkpoint.Soak ? "cancelled after " + Durations.human(Duration.between(cpStart, e))
                        + " of soak: " + CANCELLED_BY : cp instanceof Checkpoint.WatchedSoak
                        ? "cancelled after " + Durations.human(Duration.between(cpStart, e)) + " of soak ("
                        + watchesHeld + " watch(es) held): " + CANCELLED_BY : cp instanceof Checkpoint.Window
                        ? "cancelled while waiting for the window: " + CANCELLED_BY : cp instanceof Approval
                        ? "cancelled while waiting for approval: " + CANCELLED_BY : "cancelled: " + CANCELLED_BY;
                done.add(new Wire.CheckpointRow(cp.kind().name(), cp.description(), "CANCELLED", cpStart, e, detail, null,
                        Map.of()));
                String why = "cancelled before the wave started, at " + what + ": " + CANCELLED_BY;
                setWave(i, new Wire.WaveRow(row.name(), WaveStatus.CANCELLED.name(), why, row.targetSource(),
                        List.copyOf(done), null, null, List.of()));
                stop(i, "CANCELLED", why);
                return;
            }
            journal(new Wire.JournalLine("checkpoint", cr.start(), cr.end(), w.name(), c, cr.kind(), cr.description(),
                    cr.outcome(), cr.detail(), cr.decision(), cr.data(), null, null, null));
            done.add(cr);
            row = new Wire.WaveRow(row.name(), row.status(), row.reason(), row.targetSource(), List.copyOf(done),
                    row.start(), row.end(), row.targets());
            setWave(i, row);
            if (!"PASSED".equals(cr.outcome())) {
                String why = cr.kind().toLowerCase(Locale.ROOT) + " \"" + cr.description() + "\" said no: " + cr.detail();
                setWave(i, new Wire.WaveRow(row.name(), WaveStatus.HALTED.name(), why, row.targetSource(),
                        row.checkpoints(), null, null, List.of()));
                stop(i, "HALTED", why);
                return;
            }
        }
        StepActivities a = Workflow.newActivityStub(StepActivities.class, readOnly());
        Wire.Targets targets;
        try {
            targets = a.targets(new Wire.TargetsCall(req.rollout(), req.fingerprint(), i, soFar(i)));
        } catch (ActivityFailure f) {
            String why = "targets from " + w.targets().description() + " could not be resolved: "
                    + (f.getCause() instanceof TemporalFailure tf ? tf.getOriginalMessage() : String.valueOf(f.getCause()));
            setWave(i, new Wire.WaveRow(row.name(), WaveStatus.HALTED.name(), why, row.targetSource(), row.checkpoints(),
                    null, null, List.of()));
            stop(i, "HALTED", why);
            return;
        }
        if (targets.problem() != null) {
            setWave(i, new Wire.WaveRow(row.name(), WaveStatus.HALTED.name(), targets.problem(), row.targetSource(),
                    row.checkpoints(), null, null, List.of()));
            stop(i, "HALTED", targets.problem());
            return;
        }
        journal(new Wire.JournalLine("targets", now(), null, w.name(), 0, null, null, null, null, null, null,
                targets.targets(), null, null));
        if (targets.targets().isEmpty()) {
            if (w.allowEmpty()) {
                journal(new Wire.JournalLine("waveEnded", now(), null, w.name(), 0, null, null, null, null, null, null,
                        null, WaveStatus.SUCCEEDED.name(), "no targets (allowed)"));
                setWave(i, new Wire.WaveRow(row.name(), WaveStatus.SUCCEEDED.name(), "no targets (allowed)",
                        row.targetSource(), row.checkpoints(), null, null, List.of()));
                return;
            }
            String why = "targets from " + w.targets().description()
                    + " resolved to nothing; call allowEmpty() on the wave if that is expected";
            setWave(i, new Wire.WaveRow(row.name(), WaveStatus.HALTED.name(), why, row.targetSource(), row.checkpoints(),
                    null, null, List.of()));
            stop(i, "HALTED", why);
            return;
        }
        new Scheduler(i, w, runs, row, targets, window).run();
    }

    /**
     * Runs one wave's targets as child workflows, as core's {@code WaveScheduler} does on the embedded runner: the
     * ramp's stages first (the canary alone; the wave halts if it fails), then the rest at the concurrency limit;
     * a strict wave starts no more targets than its error budget could still absorb; no new target starts once the
     * error budget is spent or the wave's maintenance window has closed (targets in flight finish).
     */
    private final class Scheduler {
        private final int index;
        private final Wave w;
        private final Plan runs;
        private final Wire.WaveRow row;
        private final Wire.Targets targets;
        private final MaintenanceWindow window;
        private final List<String> ids;
        private final int n;
        private final int limit;
        private final int budget;
        private final List<Integer> stages;
        private final Wire.TargetRow[] results;
        private final Map<Integer, Promise<String>> running = new LinkedHashMap<>();
        private final Map<Integer, Instant> started = new LinkedHashMap<>();
        private final Map<Integer, Boolean> canaries = new LinkedHashMap<>();
        private final Instant waveStart = now();
        private int failed;
        private int cancelledTargets;
        private boolean cancelled;
        private String haltReason;

        Scheduler(int index, Wave w, Plan runs, Wire.WaveRow row, Wire.Targets targets, MaintenanceWindow window) {
            this.index = index;
            this.w = w;
            this.runs = runs;
            this.row = row;
            this.targets = targets;
            this.window = window;
            this.ids = targets.targets();
            this.n = ids.size();
            this.limit = Math.max(1, w.maxConcurrency().concurrencyFor(n));
            this.budget = w.maxErrors().errorsFor(n);
            this.stages = w.rampStages(n);
            this.results = new Wire.TargetRow[n];
        }

        void run() {
            journal(new Wire.JournalLine("waveStarted", waveStart, null, w.name(), 0, null, null, null, null, null, null,
                    null, null, null));
            publish(WaveStatus.WAITING, "", null);
            int next = 0;
            for (int s = 0; s < stages.size() && next < n; s++) {
                int end = next + stages.get(s);
                while (next < end && awaitSlot(stages.get(s))) {
                    start(next++, s == 0 && w.ramp());
                }
                awaitAllDone();
                if (s == 0 && results[0] != null && TargetStatus.FAILED.name().equals(results[0].status())
                        && haltReason == null) {
                    haltReason = "canary " + ids.get(0) + " failed: " + Results.target(results[0]).reason();
                }
                if (stopping()) {
                    break;
                }
            }
            while (next < n && awaitSlot(limit)) {
                start(next++, false);
            }
            awaitAllDone();
            finish();
        }

        private boolean stopping() {
            if (cancelled || CancellationScope.current().isCancelRequested()) {
                cancelled = true;
                return true;
            }
            if (haltReason == null && window != null && !window.isOpen(now())) {
                haltReason = "the maintenance window " + window.description() + " was closed at " + now()
                        + "; no new target started after that";
            }
            return haltReason != null;
        }

        private boolean awaitSlot(int cap) {
            while (true) {
                if (stopping()) {
                    return false;
                }
                int allowed = w.strict() ? Math.min(cap, budget + 1 - failed) : cap;
                if (running.size() < allowed) {
                    return true;
                }
                awaitOne();
            }
        }

        private void awaitAllDone() {
            while (!running.isEmpty()) {
                awaitOne();
            }
        }

        private void start(int i, boolean canary) {
            String t = ids.get(i);
            String runId = req.rolloutId() + "--" + (w.plan().isPresent() ? w.name() + "--" : "") + t;
            PlanWorkflow child = Workflow.newChildWorkflowStub(PlanWorkflow.class, ChildWorkflowOptions.newBuilder()
                    .setWorkflowId(runId).setTaskQueue(taskQueue)
                    .setCancellationType(ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED).build());
            Wire.PlanRequest pr = new Wire.PlanRequest(runs.name(), runs.fingerprint(), runId, t,
                    targets.inputs().get(t), targets.shownInputs().get(t), req.rolloutId(), row.checkpoints());
            started.put(i, now());
            canaries.put(i, canary);
            running.put(i, Async.function(child::run, pr));
            publish(WaveStatus.WAITING, "", null);
        }

        private void awaitOne() {
            try {
                Promise.anyOf(running.values()).get();
            } catch (CanceledFailure c) {
                cancelled = true;
            } catch (RuntimeException e) {
                // a child that failed; its row is made below
            }
            for (Integer i : new ArrayList<>(running.keySet())) {
                Promise<String> p = running.get(i);
                if (!p.isCompleted()) {
                    continue;
                }
                running.remove(i);
                Wire.TargetRow tr = target(ids.get(i), started.get(i), p, canaries.get(i));
                results[i] = tr;
                if (TargetStatus.FAILED.name().equals(tr.status())) {
                    failed++;
                    if (failed > budget && haltReason == null) {
                        haltReason = failed + " target(s) failed, more than maxErrors " + budgetText()
                                + "; no new target started after " + ids.get(i) + " failed";
                    }
                } else if (TargetStatus.CANCELLED.name().equals(tr.status())) {
                    cancelledTargets++;
                    cancelled = true;
                }
            }
            publish(WaveStatus.WAITING, "", null);
        }

        private String budgetText() {
            return w.maxErrors().isPercentage() ? w.maxErrors() + " of " + n + " targets = " + budget + " (rounded down)"
                    : String.valueOf(budget);
        }

        private void publish(WaveStatus s, String why, Instant end) {
            List<Wire.TargetRow> rows = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                rows.add(results[i] != null ? results[i] : new Wire.TargetRow(ids.get(i), TargetStatus.NOT_STARTED.name(),
                        null, null, null, null, s == WaveStatus.WAITING ? "" : cancelled
                        ? "not started: the rollout was cancelled: the workflow was cancelled"
                        : "not started: the wave halted", false));
            }
            setWave(index, new Wire.WaveRow(row.name(), s.name(), why, row.targetSource(), row.checkpoints(), waveStart,
                    end, rows));
        }

        private void finish() {
            int notStarted = 0;
            for (Wire.TargetRow r : results) {
                if (r == null) {
                    notStarted++;
                }
            }
            WaveStatus s;
            String why = "";
            if (cancelled && (notStarted > 0 || cancelledTargets > 0)) {
                s = WaveStatus.CANCELLED;
                why = "cancelled: the workflow was cancelled (" + cancelledTargets + " target(s) stopped in flight, "
                        + notStarted + " not started)";
                stop(index, "CANCELLED", why);
            } else if (haltReason != null) {
                s = WaveStatus.HALTED;
                why = haltReason;
                stop(index, "HALTED", why);
            } else if (failed > 0) {
                s = WaveStatus.SUCCEEDED_WITHIN_BUDGET;
                why = failed + " target(s) failed, within maxErrors " + budgetText();
            } else {
                s = WaveStatus.SUCCEEDED;
            }
            publish(s, why, now());
            journal(new Wire.JournalLine("waveEnded", now(), null, w.name(), 0, null, null, null, null, null, null,
                    null, s.name(), why));
        }
    }

    private Wire.TargetRow target(String t, Instant startedAt, Promise<String> p, boolean canary) {
        try {
            String json = p.get();
            RunResult r = RunResult.fromJson(json);
            TargetStatus s = r.isSuccess() ? TargetStatus.SUCCEEDED
                    : r.status() == RunStatus.CANCELLED ? TargetStatus.CANCELLED : TargetStatus.FAILED;
            // as on the embedded runner, a run that returned carries its own reason and failure
            return new Wire.TargetRow(t, s.name(), startedAt, now(), json, null, "", canary);
        } catch (ChildWorkflowFailure f) {
            Throwable c = f.getCause();
            if (c instanceof CanceledFailure) {
                return new Wire.TargetRow(t, TargetStatus.CANCELLED.name(), startedAt, now(), null, null,
                        "cancelled with the rollout", canary);
            }
            String type = c instanceof ApplicationFailure af ? af.getType() : String.valueOf(c == null ? null : c.getClass().getName());
            String message = c instanceof TemporalFailure tf ? tf.getOriginalMessage() : String.valueOf(c);
            return new Wire.TargetRow(t, TargetStatus.FAILED.name(), startedAt, now(), null,
                    new Wire.FailureData(type, message, Map.of()), "its run failed instead of returning a result", canary);
        } catch (CanceledFailure c) {
            return new Wire.TargetRow(t, TargetStatus.CANCELLED.name(), startedAt, now(), null, null,
                    "cancelled with the rollout", canary);
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
            return new Wire.CheckpointRow(kind, c.description(), "PASSED", at, at.plus(s.duration()),
                    "soaked " + Durations.human(s.duration()), null, Map.of());
        }
        if (c instanceof Checkpoint.WatchedSoak ws) {
            return watchedSoak(wave, index, ws, at);
        }
        if (c instanceof Approval ap) {
            Instant deadline = at.plus(ap.timeout());
            pending = new Wire.PendingApproval(rollout.waves().get(wave).name(), c.description(), at, deadline);
            waitingFor = "approval \"" + c.description() + "\" before wave \"" + rollout.waves().get(wave).name() + "\"";
            resumeAt = deadline;
            answer = null;
            // the configured approver is asked once (a single attempt: a lost one is not asked again); it may answer
            // at once, later through an update from the worker's JVM, or a person answers through the client
            StepActivities asker = Workflow.newActivityStub(StepActivities.class, ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(settings.stepTimeout()).setHeartbeatTimeout(settings.heartbeatTimeout())
                    .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build());
            Wire.AskOutcome asked;
            try {
                asked = asker.ask(new Wire.AskCall(req.rollout(), req.fingerprint(), req.rolloutId(), wave, index, at,
                        deadline, soFar(wave)));
            } catch (ActivityFailure f) {
                String why = f.getCause() instanceof TemporalFailure tf ? tf.getOriginalMessage() : String.valueOf(f.getCause());
                asked = new Wire.AskOutcome(null, "the approver failed: " + why);
            }
            if (asked.failure() != null && answer == null) {
                pending = null;
                waitingFor = null;
                resumeAt = null;
                return new Wire.CheckpointRow(kind, c.description(), "REJECTED", at, now(), asked.failure(), null, Map.of());
            }
            if (asked.answer() != null && answer == null) {
                Wire.ApprovalAnswer given = asked.answer();
                pending = null;
                waitingFor = null;
                resumeAt = null;
                Instant e = now();
                String comment = given.comment() == null ? "" : given.comment();
                Wire.DecisionData d = new Wire.DecisionData(given.approved(), given.by(), comment, e, false);
                // worded as core's ApprovalWait words an approver's answer (ApprovalDecision.toString)
                return new Wire.CheckpointRow(kind, c.description(), given.approved() ? "PASSED" : "REJECTED", at, e,
                        (given.approved() ? "approved" : "rejected") + " by " + given.by() + " at " + e
                                + (comment.isEmpty() ? "" : ": " + comment), d, Map.of());
            }
            Duration left = Duration.between(now(), deadline);
            boolean answered = Workflow.await(left.isNegative() ? Duration.ZERO : left, () -> answer != null);
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
        if (c instanceof Checkpoint.Window win) {
            return window(wave, win, at);
        }
        if (c instanceof Checkpoint.Notify notify) {
            return announce(wave, index, notify, at);
        }
        if (c instanceof Checkpoint.Gate) {
            StepActivities a = Workflow.newActivityStub(StepActivities.class, readOnly());
            Wire.GateOutcome g = a.gate(new Wire.GateCall(req.rollout(), req.fingerprint(), wave, index, soFar(wave)));
            return new Wire.CheckpointRow(kind, c.description(), g.held() ? "PASSED" : "REJECTED", at, now(),
                    g.detail() == null ? "" : g.detail(), null, g.data() == null ? Map.of() : g.data());
        }
        throw ApplicationFailure.newNonRetryableFailure("checkpoint " + kind + " does not run on Temporal",
                StepActivitiesImpl.REFUSED + ":UNSUPPORTED");
    }

    /**
     * A watched soak, as core's {@code Checkpoints.watchedSoak} passes it: a durable timer to each watch time
     * ({@link Checkpoint.WatchedSoak#nextWatch}), where the watch runs as an activity over the waves before (its
     * verdict is in the history, so a replay or a new worker never evaluates a past watch again); the first verdict
     * that does not hold ends the soak REJECTED with its detail and data.
     */
    private Wire.CheckpointRow watchedSoak(int wave, int index, Checkpoint.WatchedSoak soak, Instant s) {
        String kind = soak.kind().name();
        Instant until = s.plus(soak.duration());
        StepActivities a = Workflow.newActivityStub(StepActivities.class, readOnly());
        watchesHeld = 0;
        Instant last = s;
        while (true) {
            Instant next = soak.nextWatch(s, last);
            if (watchesHeld > 0 && !last.isBefore(until)) {
                return new Wire.CheckpointRow(kind, soak.description(), "PASSED", s, last, "soaked "
                        + Durations.human(Duration.between(s, last)) + "; " + watchesHeld + " watch(es) that "
                        + soak.watched() + " held", null, Map.of());
            }
            waitingFor = "soak of " + soak.duration() + " before wave \"" + rollout.waves().get(wave).name()
                    + "\"; the next watch that " + soak.watched() + " is at " + next;
            resumeAt = next;
            Duration wait = Duration.between(now(), next);
            if (!wait.isNegative() && !wait.isZero()) {
                Workflow.sleep(wait);
            }
            waitingFor = null;
            resumeAt = null;
            // the timer fired at exactly the watch time; the task that saw it may run a moment later
            Instant at = next;
            Wire.GateOutcome g = a.gate(new Wire.GateCall(req.rollout(), req.fingerprint(), wave, index, soFar(wave)));
            if (!g.held()) {
                String detail = g.detail() == null ? "" : g.detail();
                return new Wire.CheckpointRow(kind, soak.description(), "REJECTED", s, at, "the watch that "
                        + soak.watched() + " failed at " + at + ", after " + Durations.human(Duration.between(s, at))
                        + " of the soak's " + Durations.human(soak.duration()) + ": " + detail, null,
                        g.data() == null ? Map.of() : g.data());
            }
            watchesHeld++;
            last = at;
        }
    }

    /**
     * A maintenance window before a wave, as core's {@code Checkpoints.window} passes it: open now, it passes;
     * closed with rule HALT, the rollout halts; closed with rule WAIT, a durable timer waits until it next opens
     * (checked again when the timer fires). The window's {@code isOpen} and {@code nextOpening} run in the workflow,
     * on the workflow's clock: they must depend on the instant alone, as {@link MaintenanceWindow} asks.
     */
    private Wire.CheckpointRow window(int wave, Checkpoint.Window win, Instant s) {
        MaintenanceWindow mw = win.window();
        String kind = win.kind().name();
        Instant now = s;
        Optional<Instant> next = mw.nextOpening(now);
        if (!mw.isOpen(now) && win.rule() == Checkpoint.WindowRule.HALT) {
            return new Wire.CheckpointRow(kind, win.description(), "REJECTED", s, now, "closed at " + now
                    + next.map(n -> "; it opens next at " + n).orElse("; it never opens again"), null, Map.of());
        }
        while (!mw.isOpen(now)) {
            if (next.isEmpty()) {
                return new Wire.CheckpointRow(kind, win.description(), "REJECTED", s, now,
                        "closed at " + now + " and it never opens again", null, Map.of());
            }
            Instant opens = next.get().equals(now) ? now.plusMillis(1) : next.get();
            waitingFor = "the maintenance window " + mw.description() + " to open before wave \""
                    + rollout.waves().get(wave).name() + "\"";
            resumeAt = opens;
            Workflow.sleep(Duration.between(now, opens));
            waitingFor = null;
            resumeAt = null;
            // the timer fired at the opening; the task that saw it may run a moment later
            now = mw.isOpen(opens) ? opens : now();
            next = mw.nextOpening(now);
        }
        String detail = now.equals(s) ? "open at " + s : "waited " + Durations.human(Duration.between(s, now))
                + " for the window to open at " + now;
        return new Wire.CheckpointRow(kind, win.description(), "PASSED", s, now, detail, null, Map.of());
    }

    /**
     * An announcement before a wave, as core's {@code Checkpoints.announce} makes it: the notice is sent by an
     * activity with a single attempt (its result is in the history, so a replay or a new worker never sends it
     * again, and a lost attempt is not retried), then the lead time is a durable timer from the moment it was sent.
     */
    private Wire.CheckpointRow announce(int wave, int index, Checkpoint.Notify n, Instant s) {
        String kind = n.kind().name();
        Duration lead = n.announcement().leadTime();
        StepActivities a = Workflow.newActivityStub(StepActivities.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(settings.stepTimeout()).setHeartbeatTimeout(settings.heartbeatTimeout())
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build());
        Instant sentAt = now();
        String detail;
        try {
            Wire.AnnounceOutcome o = a.announce(new Wire.AnnounceCall(req.rollout(), req.fingerprint(), req.rolloutId(),
                    wave, index, sentAt, soFar(wave)));
            if (o.rejected()) {
                return new Wire.CheckpointRow(kind, n.description(), "REJECTED", s, now(), o.detail(), null, Map.of());
            }
            detail = o.detail();
        } catch (ActivityFailure f) {
            String why = f.getCause() instanceof TemporalFailure tf ? tf.getOriginalMessage() : String.valueOf(f.getCause());
            if (n.announcement().isRequired()) {
                return new Wire.CheckpointRow(kind, n.description(), "REJECTED", s, now(), "the notice is required "
                        + "before wave " + rollout.waves().get(wave).name() + " and its sending was lost (" + why
                        + "); it may or may not have gone out, and it is not sent twice", null, Map.of());
            }
            detail = "its sending was lost (" + why + "); it may or may not have gone out, and it is not sent twice"
                    + " (not required, so the rollout goes on)";
        }
        if (!lead.isZero()) {
            Instant until = sentAt.plus(lead);
            waitingFor = "the lead time of an announcement sent at " + sentAt + " before wave \""
                    + rollout.waves().get(wave).name() + "\"";
            resumeAt = until;
            Workflow.sleep(Duration.between(now(), until));
            waitingFor = null;
            resumeAt = null;
            detail += "; waited the lead time of " + Durations.human(lead) + " from " + sentAt;
            return new Wire.CheckpointRow(kind, n.description(), "PASSED", s, until, detail, null, Map.of());
        }
        return new Wire.CheckpointRow(kind, n.description(), "PASSED", s, now(), detail, null, Map.of());
    }
}
