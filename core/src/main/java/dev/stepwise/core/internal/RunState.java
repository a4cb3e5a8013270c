package dev.stepwise.core.internal;

import dev.stepwise.core.Secrets;
import dev.stepwise.core.plan.Effect;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.PlanProgram;
import dev.stepwise.core.plan.Prediction;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.rollout.CheckpointResult;
import dev.stepwise.core.run.Cancellation;
import dev.stepwise.core.run.Failure;
import dev.stepwise.core.run.RunEvent;
import dev.stepwise.core.run.RunEvent.RunRef;
import dev.stepwise.core.run.RunListener;
import dev.stepwise.core.run.StepResult;
import dev.stepwise.core.run.StepStatus;
import dev.stepwise.core.run.TimeSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one run knows while it runs: its settings, the values of inputs and outputs by key, and one mutable row per
 * step, check, branch and end. Shared by the pieces of one run ({@link PlanRun}, {@link Attempts},
 * {@link Resumption}, {@link StepContextImpl}); values are read from attempt threads, rows only by the run's thread.
 */
final class RunState {
    private static final Logger log = LoggerFactory.getLogger(RunState.class);

    /** One row of the result while the run goes on. */
    static final class Row {
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

        Row(PlanProgram.RowShape shape) {
            this.name = shape.name();
            this.kind = shape.kind();
            this.effect = shape.effect();
        }

        StepResult freeze() {
            return StepResult.builder().name(name).kind(kind).effect(effect).status(status).attempts(attempts)
                    .start(start).end(end).output(output).failure(failure).predictions(predictions).note(note).build();
        }
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

    final Plan plan;
    final Inputs inputs;
    final boolean dryRun;
    final TimeSource time;
    final Cancellation cancellation;
    final RunRef ref;
    /** The rollout this run is a target's run of; null for a plan run. */
    final String rolloutId;
    /** The checkpoints before the wave of the rollout target this run serves, as passed; empty for a plan run. */
    final List<CheckpointResult> waveCheckpoints;
    final PlanProgram program;
    final List<Row> rows = new ArrayList<>();
    final Map<Key<?>, Object> values = new ConcurrentHashMap<>();
    final Map<Key<?>, String> unavailable = new ConcurrentHashMap<>();
    final Map<String, Object> outputs = new LinkedHashMap<>();
    /** Steps of a resumed run that were cut short and run again, so their actions look for earlier work. */
    final Set<String> rerunning = new HashSet<>();
    private final List<RunListener> listeners;

    RunState(Plan plan, Inputs resolvedInputs, String runId, String target, String rolloutId,
            List<CheckpointResult> waveCheckpoints, boolean dryRun, List<RunListener> listeners, TimeSource time,
            Cancellation cancellation) {
        this.plan = plan;
        this.rolloutId = rolloutId;
        this.waveCheckpoints = List.copyOf(waveCheckpoints);
        this.inputs = resolvedInputs;
        this.dryRun = dryRun;
        this.listeners = List.copyOf(listeners);
        this.time = time;
        this.cancellation = cancellation;
        this.ref = new RunRef(plan.name(), runId, target);
        this.program = PlanProgram.compile(plan.nodes());
        program.rows().forEach(r -> rows.add(new Row(r)));
        values.putAll(resolvedInputs.asMap());
    }

    Instant now() {
        return time.now();
    }

    /** Makes {@code out} available under the step's output key and shows it on its row. */
    void record(Step<?> step, Row row, Object out) {
        Optional<? extends Key<?>> key = step.output();
        if (key.isPresent()) {
            Key<?> k = key.get();
            values.put(k, out);
            unavailable.remove(k);
            row.output = k.name() + "=" + k.show(out);
            outputs.put(k.name(), k.secret() ? "****" : out);
        }
    }

    /**
     * {@code f} with every secret this run knows (secret inputs and secret outputs) masked in its message, in every
     * encoded form, before it reaches a result, an event, a log line or the journal.
     */
    Failure scrub(Failure f) {
        List<String> secrets = new ArrayList<>();
        values.forEach((k, v) -> {
            if (k.secret() && v != null && !String.valueOf(v).isBlank()) {
                secrets.add(v instanceof char[] c ? new String(c) : String.valueOf(v));
            }
        });
        if (secrets.isEmpty() || f.message().isEmpty()) {
            return f;
        }
        String masked = Secrets.mask(f.message(), secrets);
        return masked.equals(f.message()) ? f : f.withMessage(masked);
    }

    /** The inputs as shown to people. */
    Map<String, String> shownInputs() {
        Map<String, String> m = new LinkedHashMap<>();
        inputs.asMap().forEach((k, v) -> m.put(k.name(), k.show(v)));
        return m;
    }

    void emit(RunEvent e) {
        for (RunListener l : listeners) {
            try {
                l.onEvent(e);
            } catch (RuntimeException ex) {
                log.warn("Listener {} failed on {}: {}", l, e.getClass().getSimpleName(), ex.toString());
            }
        }
    }
}
