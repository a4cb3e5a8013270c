package dev.stepwise.temporal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.core.StepwiseJson;
import dev.stepwise.core.plan.Check;
import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.PlanProgram;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.retry.RetryPolicy;
import dev.stepwise.core.journal.JournalEntry;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.journal.JournalWriter;
import dev.stepwise.core.journal.RolloutJournal;
import dev.stepwise.core.notify.Announcement;
import dev.stepwise.core.rollout.ApprovalDecision;
import dev.stepwise.core.notify.Delivery;
import dev.stepwise.core.rollout.Checkpoint;
import dev.stepwise.core.rollout.CheckpointResult;
import dev.stepwise.core.rollout.Wave;
import dev.stepwise.core.rollout.WaveResult;
import dev.stepwise.core.rollout.GateVerdict;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.TargetSource;
import dev.stepwise.core.run.Cancellation;
import dev.stepwise.core.run.Failure;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.StepResult;
import dev.stepwise.core.run.StepStatus;
import dev.stepwise.temporal.TemporalRefusedException.Reason;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs steps and checks as the embedded runner does — a plan of the one step (or check), with the values it may
 * read declared as inputs, run by {@link Runner#create()} — so retries, attempt timeouts, outputs and failures
 * have exactly the embedded meaning. While it runs, the activity heartbeats; a heartbeat that learns the workflow
 * was cancelled cancels the step's run.
 */
final class StepActivitiesImpl implements StepActivities {
    static final ObjectMapper PLAIN = StepwiseJson.newMapper();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StepActivitiesImpl.class);
    /** The failure type of refusals, followed by ':' and the {@link Reason}. */
    static final String REFUSED = TemporalRefusedException.class.getName();

    private final Registry registry;
    private final Duration heartbeatEvery;
    private final JournalStore journal;
    /** Delivers an approver's later answer to its workflow; null in tests that build activities alone. */
    private final io.temporal.client.WorkflowClient client;

    StepActivitiesImpl(Registry registry, Duration heartbeatEvery, JournalStore journal,
            io.temporal.client.WorkflowClient client) {
        this.journal = journal;
        this.client = client;
        this.registry = registry;
        this.heartbeatEvery = heartbeatEvery;
    }

    static ApplicationFailure refusal(TemporalRefusedException e) {
        return ApplicationFailure.newNonRetryableFailure(e.getMessage(), REFUSED + ":" + e.reason().name());
    }

    /**
     * What a workflow throws when its worker refuses it. A new workflow fails with the refusal. A workflow that
     * already ran on another worker (this worker replays its history) cannot fail cleanly: its history holds what
     * the earlier plan did, which the changed plan cannot replay, so failing it would be taken for non-determinism.
     * It throws {@link RefusedOnReplay} instead, which fails the workflow task, not the workflow: Temporal records
     * the refusal in the history (visible in its UI and to {@code status()} queries), runs nothing, and retries the
     * task until a worker with the plan the workflow started with takes it again.
     */
    static RuntimeException refusalInWorkflow(TemporalRefusedException e) {
        if (e.reason() == Reason.CHANGED && io.temporal.workflow.Workflow.isReplaying()) {
            return new RefusedOnReplay(e);
        }
        return refusal(e);
    }

    /** A refusal met while replaying a workflow's history: fails the workflow task (see {@link #refusalInWorkflow}). */
    static final class RefusedOnReplay extends RuntimeException {
        private static final long serialVersionUID = 1L;
        /** Starts the message, so a client can tell the refusal from other failures of a query. */
        static final String MARK = "Stepwise refused to continue (CHANGED): ";

        RefusedOnReplay(TemporalRefusedException e) {
            super(MARK + e.getMessage(), null, false, false);
        }
    }

    /** The refusal a failed query carries, if a worker refused to replay the workflow; else empty. */
    static java.util.Optional<TemporalRefusedException> refusedOnReplay(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = t.getMessage();
            int at = m == null ? -1 : m.indexOf(RefusedOnReplay.MARK);
            if (at >= 0) {
                return java.util.Optional.of(new TemporalRefusedException(Reason.CHANGED,
                        m.substring(at + RefusedOnReplay.MARK.length())));
            }
        }
        return java.util.Optional.empty();
    }

    private Plan plan(String name, String fingerprint) {
        try {
            return registry.plan(name, fingerprint);
        } catch (TemporalRefusedException e) {
            throw refusal(e);
        }
    }

    private Rollout rollout(String name, String fingerprint) {
        try {
            return registry.rollout(name, fingerprint);
        } catch (TemporalRefusedException e) {
            throw refusal(e);
        }
    }

    @Override
    public Wire.StepOutcome runStep(Wire.StepCall call) {
        Plan plan = plan(call.plan(), call.fingerprint());
        Step<?> step = plan.step(call.step()).orElseThrow(() -> refusal(new TemporalRefusedException(Reason.CHANGED,
                "Plan \"" + call.plan() + "\" has no step \"" + call.step() + "\"")));
        Plan.Builder one = Plan.builder(plan.name());
        Inputs values = declare(plan, call.values(), one);
        Step<?> bound = bind(step, call.runId(), call.target(), call.rerun(), call.temporalRetries(), call.rolloutId(),
                checkpoints(call.waveCheckpoints()));
        RunResult r = runWithHeartbeat(one.step(bound).build(), values);
        StepResult row = r.step(step.name()).orElseThrow();
        Object out = step.output().map(k -> r.outputs().get(k.name())).map(v -> PLAIN.convertValue(v, Object.class))
                .orElse(null);
        if (Thread.currentThread().isInterrupted() || (row.failure() != null
                && row.failure().type().equals(InterruptedException.class.getName()))) {
            // the worker is stopping: the attempt is lost, not failed, and the workflow decides what that means
            throw ApplicationFailure.newFailure("the worker stopped while step \"" + step.name() + "\" ran",
                    "dev.stepwise.temporal.WorkerStopped");
        }
        int attempts = row.attempts();
        if (call.temporalRetries()) {
            attempts = Activity.getExecutionContext().getInfo().getAttempt();
            if (row.status() == StepStatus.FAILED && row.failure() != null) {
                Throwable t = row.failure().toException();
                if (attempts < step.retry().maxAttempts() && step.retry().isRetryable(t)) {
                    // Temporal schedules the next attempt with the mapped backoff
                    throw ApplicationFailure.newFailure(row.failure().message(), row.failure().type());
                }
            }
        }
        return new Wire.StepOutcome(row(row, attempts), out);
    }

    @Override
    public Wire.CheckOutcome check(Wire.CheckCall call) {
        Plan plan = plan(call.plan(), call.fingerprint());
        PlanProgram flow = PlanProgram.compile(plan.nodes());
        PlanProgram.RowShape shape = flow.rows().get(call.row());
        Check check = flow.check(call.row());
        Plan.Builder one = Plan.builder(plan.name());
        Inputs values = declare(plan, call.values(), one);
        List<CheckpointResult> waveCheckpoints = checkpoints(call.waveCheckpoints());
        one.branch(shape.name(), ctx -> check.test(new BoundContext(ctx, call.runId(), call.target(), shape.name(), false,
                call.rolloutId(), waveCheckpoints)),
                t -> { }, o -> { });
        RunResult r = runWithHeartbeat(one.build(), values);
        StepResult row = r.steps().get(0);
        boolean branch = shape.kind() == StepResult.Kind.BRANCH;
        if (row.failure() != null || row.status() == StepStatus.FAILED) {
            return new Wire.CheckOutcome(new Wire.RowData(StepStatus.FAILED.name(), 1, row.start(), row.end(), null,
                    failure(row.failure()), "could not be evaluated"), null);
        }
        boolean held = row.note().equals("took then");
        String status = branch || held ? StepStatus.SUCCEEDED.name() : StepStatus.FAILED.name();
        String note = branch ? row.note() : held ? "" : "did not hold";
        return new Wire.CheckOutcome(new Wire.RowData(status, 1, row.start(), row.end(), null, null, note), held);
    }

    /**
     * Resolves a wave's targets and checks them as the embedded runner does (core's {@code WaveTargetsCheck}): none
     * blank, none twice in the wave, none that already ran the same plan in an earlier wave; a source that throws
     * or a list that breaks these rules is the wave's problem, reported in words, not thrown.
     */
    @Override
    public Wire.Targets targets(Wire.TargetsCall call) {
        Rollout rollout = rollout(call.rollout(), call.fingerprint());
        Wave wave = rollout.waves().get(call.wave());
        Plan runs = wave.plan().orElse(rollout.plan());
        TargetSource source = wave.targets();
        while (source instanceof TargetSource.Named n) {
            source = n.source();
        }
        List<String> targets;
        try {
            List<String> resolved = source instanceof TargetSource.FromEarlierWaves f
                    ? f.resolve(Results.rollout(rollout, call.soFar(), null)) : source.resolve();
            if (resolved == null) {
                throw new IllegalStateException("the source returned null instead of a list");
            }
            targets = new ArrayList<>(resolved);
        } catch (Exception | AssertionError e) {
            return new Wire.Targets(List.of(), Map.of(), Map.of(), "targets from " + wave.targets().description()
                    + " could not be resolved: " + Failure.of(e));
        }
        Map<String, String> seen = new HashMap<>();
        for (Wire.WaveRow earlier : call.soFar().waves()) {
            Wave ew = rollout.waves().stream().filter(x -> x.name().equals(earlier.name())).findFirst().orElseThrow();
            String plan = ew.plan().orElse(rollout.plan()).name();
            earlier.targets().forEach(t -> seen.putIfAbsent(plan + "\u0000" + t.target(), earlier.name()));
        }
        List<String> problems = new ArrayList<>();
        Set<String> inWave = new HashSet<>();
        for (String t : targets) {
            if (t == null || t.isBlank()) {
                problems.add("a blank target id");
            } else if (!inWave.add(t)) {
                problems.add("target " + t + " appears twice in this wave");
            } else if (seen.containsKey(runs.name() + "\u0000" + t)) {
                problems.add("target " + t + " already ran plan " + runs.name() + " in wave " + seen.get(runs.name()
                        + "\u0000" + t));
            }
        }
        if (!problems.isEmpty()) {
            int shownProblems = 5;
            String text = String.join("; ", problems.subList(0, Math.min(shownProblems, problems.size())))
                    + (problems.size() > shownProblems ? "; and " + (problems.size() - shownProblems) + " more" : "");
            return new Wire.Targets(List.of(), Map.of(), Map.of(), "targets from " + wave.targets().description()
                    + " are not valid (a target runs at most once per rollout): " + text);
        }
        Map<String, Map<String, Object>> inputs = new LinkedHashMap<>();
        Map<String, Map<String, String>> shown = new LinkedHashMap<>();
        for (String t : targets) {
            Inputs resolved = runs.resolve(rollout.inputsFor(t));
            inputs.put(t, plain(runs.name(), resolved));
            shown.put(t, shown(resolved));
        }
        return new Wire.Targets(List.copyOf(targets), inputs, shown, null);
    }

    /**
     * Appends to the rollout's journal in the worker's store the entries the embedded runner would have written
     * (core's {@code RolloutRecorder}), so what reads a rollout's journal — {@code RolloutJournal.read},
     * {@code Rollouts.status}, a report — reads it from a rollout that ran on
     * Temporal too. The workflow's history stays the record Temporal runs from: this journal is a copy for
     * readers, not something the embedded runner can resume. A retried call may append an entry twice; readers keep
     * the first start and the last end of each checkpoint and wave.
     */
    @Override
    public void journal(Wire.JournalCall call) {
        if (journal == null) {
            return;
        }
        Rollout rollout = rollout(call.rollout(), call.fingerprint());
        String id = RolloutJournal.journalId(call.rolloutId());
        List<JournalEntry> entries = new ArrayList<>();
        for (Wire.JournalLine l : call.lines()) {
            switch (l.event()) {
                case "started" -> entries.add(new JournalEntry.RolloutStarted(l.at(), call.rolloutId(), rollout.name(),
                        rollout.plan().name(), call.fingerprint(), rollout.waves().stream().map(Wave::name).toList(),
                        rollout.parameters()));
                case "checkpoint" -> {
                    entries.add(new JournalEntry.CheckpointStarted(l.at(), l.wave(), l.index(), l.kind(), l.description()));
                    if (l.outcome() != null) {
                        ApprovalDecision d = l.decision() == null ? null : ApprovalDecision.builder()
                                .approved(l.decision().approved()).by(l.decision().by()).comment(l.decision().comment())
                                .at(l.decision().at()).timedOut(l.decision().timedOut()).build();
                        entries.add(new JournalEntry.CheckpointEnded(l.end(), l.wave(), l.index(), l.outcome(),
                                l.detail(), d, l.data() == null ? Map.of() : l.data()));
                    }
                }
                case "targets" -> entries.add(new JournalEntry.WaveTargets(l.at(), l.wave(), l.targets()));
                case "waveStarted" -> entries.add(new JournalEntry.WaveStarted(l.at(), l.wave()));
                case "waveEnded" -> entries.add(new JournalEntry.WaveEnded(l.at(), l.wave(), l.status(), l.reason()));
                case "finished" -> entries.add(new JournalEntry.RolloutFinished(l.at(), l.status(), l.reason()));
                default -> throw new IllegalArgumentException("unknown journal event " + l.event());
            }
        }
        try (JournalWriter w = journal.open(id, !journal.exists(id))) {
            for (JournalEntry e : entries) {
                w.append(e, true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the journal of rollout " + call.rolloutId() + " could not be written to "
                    + journal + ": " + e.getMessage(), e);
        }
    }

    /**
     * Sends an announcement's notice once (the activity runs with a single attempt, so a lost worker never sends it
     * twice) and says what the embedded runner says of it (core's {@code Checkpoints.announce}).
     */
    @Override
    public Wire.AnnounceOutcome announce(Wire.AnnounceCall call) {
        Rollout rollout = rollout(call.rollout(), call.fingerprint());
        Wave w = rollout.waves().get(call.wave());
        Checkpoint c = rollout.checkpointsBefore(w).get(call.checkpoint());
        if (!(c instanceof Checkpoint.Notify n)) {
            throw refusal(new TemporalRefusedException(Reason.CHANGED, "Rollout \"" + call.rollout()
                    + "\" has no announcement at checkpoint " + call.checkpoint() + " before wave \"" + w.name() + "\""));
        }
        Announcement a = n.announcement();
        RolloutResult soFar = Results.rollout(rollout, call.soFar(), null);
        List<String> known = w.targets() instanceof TargetSource.FixedTargets fixed ? fixed.targets() : List.of();
        // the waves before this one, as the embedded runner describes them
        List<WaveResult> done = soFar.waves();
        String before = done.isEmpty() ? "this is the first wave" : String.join("; ", done.stream()
                .map(d -> "wave " + d.name() + " " + d.status() + " (" + d.progress() + ")").toList());
        List<Delivery> deliveries = a.notifications().send(a.notice(rollout.name(), call.rolloutId(),
                w.plan().orElse(rollout.plan()).name(), w.name(), known, w.targets().description(), before, call.at()));
        List<Delivery> failed = deliveries.stream().filter(d -> !d.isSent()).toList();
        String sent = deliveries.stream().filter(Delivery::isSent).map(Delivery::destination).toList().toString();
        if (!failed.isEmpty() && a.isRequired()) {
            return new Wire.AnnounceOutcome(true, "the notice is required before wave " + w.name()
                    + " and could not be sent: " + String.join("; ", failed.stream().map(Delivery::toString).toList()));
        }
        return new Wire.AnnounceOutcome(false, failed.isEmpty() ? "sent via " + sent : "sent via " + sent + "; "
                + String.join("; ", failed.stream().map(Delivery::toString).toList())
                + " (not required, so the rollout goes on)");
    }

    /**
     * Asks the approver as core's {@code ApprovalWait} does — the same {@code ApprovalRequest}, a request that throws
     * or returns null rejects — but without waiting: an answer already given is returned; one given later (a chat
     * handler completing the future) is sent to the workflow as an {@code answer} update from this JVM, and is
     * dropped with a log line if the approval is no longer pending by then (answered, timed out, cancelled).
     */
    @Override
    public Wire.AskOutcome ask(Wire.AskCall call) {
        Rollout rollout = rollout(call.rollout(), call.fingerprint());
        Wave wave = rollout.waves().get(call.wave());
        if (!(rollout.checkpointsBefore(wave).get(call.checkpoint()) instanceof dev.stepwise.core.rollout.Approval a)) {
            throw refusal(new TemporalRefusedException(Reason.CHANGED, "Rollout \"" + call.rollout()
                    + "\" has no approval at checkpoint " + call.checkpoint()));
        }
        dev.stepwise.core.rollout.ApprovalRequest request = dev.stepwise.core.rollout.ApprovalRequest.builder()
                .rollout(rollout.name()).rolloutId(call.rolloutId()).wave(wave.name()).description(a.description())
                .soFar(Results.rollout(rollout, call.soFar(), null)).requestedAt(call.requestedAt())
                .deadline(call.deadline()).build();
        java.util.concurrent.CompletableFuture<ApprovalDecision> answer;
        try {
            java.util.concurrent.CompletionStage<ApprovalDecision> stage = a.approver().request(request);
            if (stage == null) {
                throw new IllegalStateException("the approver returned null instead of a future");
            }
            answer = stage.toCompletableFuture();
        } catch (Exception | AssertionError e) {
            return new Wire.AskOutcome(null, "the approver failed: " + Failure.of(e));
        }
        if (answer.isDone()) {
            try {
                ApprovalDecision d = answer.join();
                if (d == null) {
                    throw new IllegalStateException("the approver answered null");
                }
                return new Wire.AskOutcome(new Wire.ApprovalAnswer(d.approved(), d.by(), d.comment()), null);
            } catch (RuntimeException e) {
                Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                        ? e.getCause() : e;
                return new Wire.AskOutcome(null, "the approver's answer failed: " + Failure.of(cause));
            }
        }
        if (client != null) {
            String id = call.rolloutId();
            answer.whenCompleteAsync((d, ex) -> {
                if (ex != null || d == null) {
                    LOG.warn("The approver of rollout {} answered approval \"{}\" with {}; answer it through the client",
                            id, a.description(), ex != null ? Failure.of(ex) : "null");
                    return;
                }
                try {
                    client.newWorkflowStub(RolloutWorkflow.class, id)
                            .answer(new Wire.ApprovalAnswer(d.approved(), d.by(), d.comment()));
                } catch (RuntimeException e) {
                    LOG.info("The approver of rollout {} answered approval \"{}\" after it stopped waiting: {}", id,
                            a.description(), e.getMessage());
                }
            });
        }
        return new Wire.AskOutcome(null, null);
    }

    @Override
    public Wire.GateOutcome gate(Wire.GateCall call) {
        Rollout rollout = rollout(call.rollout(), call.fingerprint());
        Checkpoint c = rollout.checkpointsBefore(rollout.waves().get(call.wave())).get(call.checkpoint());
        // a gate's verdict, or one watch of a watched soak (core's Checkpoints words both alike)
        java.util.function.Function<dev.stepwise.core.rollout.RolloutResult, GateVerdict> verdict;
        if (c instanceof Checkpoint.Gate g) {
            verdict = g.verdict();
        } else if (c instanceof Checkpoint.WatchedSoak ws) {
            verdict = ws.watch();
        } else {
            throw refusal(new TemporalRefusedException(Reason.CHANGED, "Rollout \"" + call.rollout()
                    + "\" has no gate or watched soak at checkpoint " + call.checkpoint()));
        }
        try {
            GateVerdict v = verdict.apply(Results.rollout(rollout, call.soFar(), null));
            if (v == null) {
                throw new IllegalStateException((c instanceof Checkpoint.Gate ? "the gate" : "the watch")
                        + " returned null instead of a verdict");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> data = PLAIN.convertValue(v.data(), Map.class);
            return new Wire.GateOutcome(v.held(), v.detail(), data, null);
        } catch (RuntimeException | AssertionError e) {
            // as core's Checkpoints.gate words it
            return new Wire.GateOutcome(false, "could not be evaluated: " + Failure.of(e), Map.of(), failure(Failure.of(e)));
        }
    }

    /** The values given to a plan as plain JSON values, refusing secrets, which would land in history. */
    static Map<String, Object> plain(String plan, Inputs resolved) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<String> secrets = new ArrayList<>();
        resolved.asMap().forEach((k, v) -> {
            if (k.secret()) {
                secrets.add(k.name());
            }
            m.put(k.name(), PLAIN.convertValue(v, Object.class));
        });
        if (!secrets.isEmpty()) {
            throw new TemporalRefusedException(Reason.SECRET_IN_HISTORY, "Plan \"" + plan + "\" was given secret input(s) "
                    + String.join(", ", secrets) + ": a workflow's inputs are kept in its history, which must never hold"
                    + " a secret; let the step read it on the worker (for example from a secrets manager) instead");
        }
        return m;
    }

    static Map<String, String> shown(Inputs resolved) {
        Map<String, String> m = new LinkedHashMap<>();
        resolved.asMap().forEach((k, v) -> m.put(k.name(), k.show(v)));
        return m;
    }

    /** Declares each value as an input of {@code one}, and returns the values typed by their keys. */
    private static Inputs declare(Plan plan, Map<String, Object> plain, Plan.Builder one) {
        Map<String, Key<?>> keys = Registry.keys(plan);
        Inputs values = Inputs.empty();
        for (Map.Entry<String, Object> e : plain.entrySet()) {
            Key<?> k = keys.get(e.getKey());
            if (k != null && e.getValue() != null) {
                values = with(values, k, e.getValue());
                one.input(Input.required(k));
            }
        }
        return values;
    }

    private static <T> Inputs with(Inputs in, Key<T> key, Object plain) {
        return in.with(key, key.fromPlain(plain));
    }

    /** The checkpoints a target's wave passed, as the values the embedded runner hands its steps. */
    static List<CheckpointResult> checkpoints(List<Wire.CheckpointRow> rows) {
        return rows == null ? List.of() : rows.stream().map(Results::checkpoint).toList();
    }

    private static <T> Step<T> bind(Step<T> step, String runId, String target, boolean rerun, boolean single,
            String rolloutId, List<CheckpointResult> waveCheckpoints) {
        // the one-step plan the activity runs cannot name other steps: the workflow applies the step's on-failure
        // rule (a go-to or continue) itself, from the registered plan
        Step.Builder<T> b = step.toBuilder().onFailure(dev.stepwise.core.plan.OnFailure.abort());
        if (single) {
            b.retry(RetryPolicy.none());
        }
        return b.action(ctx -> step.action().execute(new BoundContext(ctx, runId, target, step.name(), rerun, rolloutId,
                waveCheckpoints))).build();
    }

    private RunResult runWithHeartbeat(Plan one, Inputs values) {
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        Cancellation cancellation = Cancellation.create();
        ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stepwise-heartbeat-" + ctx.getInfo().getActivityId());
            t.setDaemon(true);
            return t;
        });
        beat.scheduleAtFixedRate(() -> {
            try {
                ctx.heartbeat(null);
            } catch (ActivityCompletionException e) {
                cancellation.cancel("the workflow was cancelled");
            }
        }, 0, heartbeatEvery.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return Runner.create().withCancellation(cancellation).run(one, values);
        } finally {
            beat.shutdownNow();
        }
    }

    static Wire.RowData row(StepResult row, int attempts) {
        return new Wire.RowData(row.status().name(), attempts, row.start(), row.end(), row.output(), failure(row.failure()),
                row.note());
    }

    @SuppressWarnings("unchecked")
    static Wire.FailureData failure(Failure f) {
        if (f == null) {
            return null;
        }
        Map<String, Object> details;
        try {
            details = PLAIN.convertValue(f.details(), Map.class);
        } catch (IllegalArgumentException e) {
            details = Map.of();
        }
        return new Wire.FailureData(f.type(), f.message(), details);
    }

    static Failure failure(Wire.FailureData f) {
        return f == null ? null : Failure.of(f.type(), f.message(), f.details() == null ? Map.of() : f.details());
    }

}
