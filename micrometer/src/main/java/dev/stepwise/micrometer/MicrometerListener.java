package dev.stepwise.micrometer;

import dev.stepwise.core.rollout.RolloutEvent;
import dev.stepwise.core.rollout.RolloutListener;
import dev.stepwise.core.run.RunEvent;
import dev.stepwise.core.run.RunListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Turns a runner's run and rollout events into Micrometer metrics and, given a {@link Tracer}, spans: register it
 * as both listeners and every run and rollout of that runner is counted, timed and traced.
 *
 * <pre>{@code
 * MeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * MicrometerListener observe = MicrometerListener.of(registry, tracer);
 * Runner runner = Runner.create().withListener(observe).withRolloutListener(observe);
 * }</pre>
 *
 * <p><b>Metrics</b> (names with the default prefix {@code stepwise}; every tag is low-cardinality — plan, step,
 * check, rollout and wave names, statuses, checkpoint kinds — and never an instance id, a target, a run id or a
 * value):
 * <ul>
 * <li>{@code stepwise.runs} (counter; plan, status, dry_run) and {@code stepwise.run.duration} (timer; plan, status)</li>
 * <li>{@code stepwise.steps} (counter; plan, step, status: succeeded, failed, skipped, predicted) and
 *     {@code stepwise.step.duration} (timer; plan, step, status)</li>
 * <li>{@code stepwise.step.attempts.failed} and {@code stepwise.step.retries} (counters; plan, step)</li>
 * <li>{@code stepwise.checks} (counter; plan, check, outcome)</li>
 * <li>{@code stepwise.rollouts} (counter; rollout, status) and {@code stepwise.rollout.duration} (timer)</li>
 * <li>{@code stepwise.waves} (counter; rollout, wave, status) and {@code stepwise.wave.duration} (timer)</li>
 * <li>{@code stepwise.targets} (counter; rollout, wave, status: the target outcome)</li>
 * <li>{@code stepwise.checkpoints} (counter; rollout, wave, kind, outcome) and {@code stepwise.checkpoint.duration}
 *     (timer; a soak's or an approval's wait)</li>
 * </ul>
 * Durations come from the events' own times, so they are exact on the runner's clock, virtual or real.
 *
 * <p><b>Spans</b>: one trace per run — a span {@code stepwise.run} with a child {@code stepwise.step} per step,
 * events for each failed attempt and scheduled retry; one trace per rollout — a span {@code stepwise.rollout} with
 * a child {@code stepwise.wave} per wave and a grandchild {@code stepwise.target} per target, and an event for each
 * checkpoint's start and outcome. Ids that would swell metrics (run id, target, rollout id) are span attributes.
 * A failure shows as its type ({@code error.type}); its message, inputs, outputs and any secret never reach a tag,
 * an attribute or an event.
 *
 * <p>Thread-safe: a rollout's targets report from several threads at once. Spans of runs that never finish (a
 * killed process) are never ended; a parked rollout ends its span with status {@code WAITING}, and its resume
 * starts a new trace.
 */
public final class MicrometerListener implements RunListener, RolloutListener {
    private final MeterRegistry registry;
    private final Tracer tracer;
    private final String prefix;

    private final Map<String, Instant> runStarts = new ConcurrentHashMap<>();
    private final Map<String, Boolean> runDry = new ConcurrentHashMap<>();
    private final Map<String, Instant> stepStarts = new ConcurrentHashMap<>();
    private final Map<String, Span> runSpans = new ConcurrentHashMap<>();
    private final Map<String, Span> stepSpans = new ConcurrentHashMap<>();
    private final Map<String, Instant> rolloutStarts = new ConcurrentHashMap<>();
    private final Map<String, Instant> waveStarts = new ConcurrentHashMap<>();
    private final Map<String, Instant> checkpointStarts = new ConcurrentHashMap<>();
    private final Map<String, Span> rolloutSpans = new ConcurrentHashMap<>();
    private final Map<String, Span> waveSpans = new ConcurrentHashMap<>();
    private final Map<String, Span> targetSpans = new ConcurrentHashMap<>();

    private MicrometerListener(Builder b) {
        this.registry = b.registry;
        this.tracer = b.tracer;
        this.prefix = b.prefix;
    }

    /** Metrics only, into {@code registry}. */
    public static MicrometerListener of(MeterRegistry registry) {
        return builder(registry).build();
    }

    /** Metrics into {@code registry} and spans through {@code tracer} (an OpenTelemetry or Brave bridge). */
    public static MicrometerListener of(MeterRegistry registry, Tracer tracer) {
        return builder(registry).tracer(tracer).build();
    }

    /** Starts a listener writing to {@code registry}; defaults: no tracer, prefix {@code stepwise}. */
    public static Builder builder(MeterRegistry registry) {
        return new Builder(registry);
    }

    // ---- runs ----

    @Override
    public void onEvent(RunEvent e) {
        String run = e.run().runId();
        String plan = e.run().plan();
        if (e instanceof RunEvent.PlanStarted s) {
            runStarts.put(run, s.at());
            runDry.put(run, s.dryRun());
            if (tracer != null) {
                Span.Builder b = tracer.spanBuilder().name(prefix + ".run").setNoParent()
                        .startTimestamp(s.at().toEpochMilli(), TimeUnit.MILLISECONDS)
                        .tag("stepwise.plan", plan).tag("stepwise.run_id", run).tag("stepwise.dry_run", s.dryRun());
                if (e.run().target() != null) {
                    b.tag("stepwise.target", e.run().target());
                }
                runSpans.put(run, b.start());
            }
        } else if (e instanceof RunEvent.StepStarted s) {
            stepStarts.put(run + '\n' + s.step(), s.at());
            Span parent = runSpans.get(run);
            if (parent != null) {
                stepSpans.put(run + '\n' + s.step(), tracer.spanBuilder().name(prefix + ".step").setParent(parent.context())
                        .startTimestamp(s.at().toEpochMilli(), TimeUnit.MILLISECONDS)
                        .tag("stepwise.plan", plan).tag("stepwise.step", s.step()).start());
            }
        } else if (e instanceof RunEvent.AttemptFailed a) {
            registry.counter(prefix + ".step.attempts.failed", "plan", plan, "step", a.step()).increment();
            event(stepSpans.get(run + '\n' + a.step()), "attempt " + a.attempt() + " failed: " + a.failure().simpleType(), a.at());
        } else if (e instanceof RunEvent.RetryScheduled r) {
            registry.counter(prefix + ".step.retries", "plan", plan, "step", r.step()).increment();
            event(stepSpans.get(run + '\n' + r.step()), "retry: attempt " + r.nextAttempt() + " in " + r.delay(), r.at());
        } else if (e instanceof RunEvent.StepSucceeded s) {
            stepEnded(run, plan, s.step(), "succeeded", s.at(), null, s.attempts());
        } else if (e instanceof RunEvent.StepFailed f) {
            stepEnded(run, plan, f.step(), "failed", f.at(), f.failure().type(), f.attempts());
        } else if (e instanceof RunEvent.StepSkipped s) {
            stepEnded(run, plan, s.step(), "skipped", s.at(), null, 0);
        } else if (e instanceof RunEvent.StepPredicted p) {
            stepEnded(run, plan, p.step(), "predicted", p.at(), null, 0);
        } else if (e instanceof RunEvent.CheckEvaluated c) {
            registry.counter(prefix + ".checks", "plan", plan, "check", c.check(), "outcome", c.outcome()).increment();
            event(runSpans.get(run), "check " + c.check() + ": " + c.outcome(), c.at());
        } else if (e instanceof RunEvent.PlanFinished f) {
            String status = lower(f.status().name());
            Instant start = runStarts.remove(run);
            boolean dry = Boolean.TRUE.equals(runDry.remove(run));
            registry.counter(prefix + ".runs", "plan", plan, "status", status, "dry_run", String.valueOf(dry)).increment();
            if (start != null) {
                registry.timer(prefix + ".run.duration", "plan", plan, "status", status).record(Duration.between(start, f.at()));
            }
            Span span = runSpans.remove(run);
            if (span != null) {
                span.tag("stepwise.status", status).end(f.at().toEpochMilli(), TimeUnit.MILLISECONDS);
            }
            // steps cut short by the run's end (a cancel) are closed with it
            stepStarts.keySet().removeIf(k -> k.startsWith(run + '\n'));
            stepSpans.entrySet().removeIf(en -> {
                if (en.getKey().startsWith(run + '\n')) {
                    en.getValue().tag("stepwise.status", "unfinished").end(f.at().toEpochMilli(), TimeUnit.MILLISECONDS);
                    return true;
                }
                return false;
            });
        }
    }

    private void stepEnded(String run, String plan, String step, String status, Instant at, String errorType, int attempts) {
        registry.counter(prefix + ".steps", "plan", plan, "step", step, "status", status).increment();
        Instant start = stepStarts.remove(run + '\n' + step);
        if (start != null) {
            registry.timer(prefix + ".step.duration", "plan", plan, "step", step, "status", status)
                    .record(Duration.between(start, at));
        }
        Span span = stepSpans.remove(run + '\n' + step);
        Span runSpan = runSpans.get(run);
        if (span == null && runSpan != null) {
            // skipped and predicted steps have no start event: a span of no length still shows them in the trace
            span = tracer.spanBuilder().name(prefix + ".step").setParent(runSpan.context())
                    .startTimestamp(at.toEpochMilli(), TimeUnit.MILLISECONDS)
                    .tag("stepwise.plan", plan).tag("stepwise.step", step).start();
        }
        if (span != null) {
            span.tag("stepwise.status", status);
            if (attempts > 0) {
                span.tag("stepwise.attempts", attempts);
            }
            if (errorType != null) {
                span.tag("error.type", errorType);
            }
            span.end(at.toEpochMilli(), TimeUnit.MILLISECONDS);
        }
    }

    // ---- rollouts ----

    @Override
    public void onEvent(RolloutEvent e) {
        String id = e.rolloutId();
        String rollout = e.rollout();
        if (e instanceof RolloutEvent.RolloutStarted s) {
            rolloutStarts.put(id, s.at());
            if (tracer != null) {
                rolloutSpans.put(id, tracer.spanBuilder().name(prefix + ".rollout").setNoParent()
                        .startTimestamp(s.at().toEpochMilli(), TimeUnit.MILLISECONDS).tag("stepwise.rollout", rollout)
                        .tag("stepwise.rollout_id", id).tag("stepwise.dry_run", s.dryRun()).start());
            }
        } else if (e instanceof RolloutEvent.CheckpointStarted c) {
            checkpointStarts.put(id + '\n' + c.wave() + '\n' + c.kind(), c.at());
            event(rolloutSpans.get(id), "checkpoint before " + c.wave() + ": " + lower(c.kind().name()) + " started", c.at());
        } else if (e instanceof RolloutEvent.CheckpointFinished c) {
            String kind = lower(c.result().kind().name());
            String outcome = lower(c.result().outcome().name());
            registry.counter(prefix + ".checkpoints", "rollout", rollout, "wave", c.wave(), "kind", kind, "outcome", outcome)
                    .increment();
            Instant start = checkpointStarts.remove(id + '\n' + c.wave() + '\n' + c.result().kind());
            if (start != null) {
                registry.timer(prefix + ".checkpoint.duration", "rollout", rollout, "wave", c.wave(), "kind", kind,
                        "outcome", outcome).record(Duration.between(start, c.at()));
            }
            event(rolloutSpans.get(id), "checkpoint before " + c.wave() + ": " + kind + " " + outcome, c.at());
        } else if (e instanceof RolloutEvent.WaveStarted w) {
            waveStarts.put(id + '\n' + w.wave(), w.at());
            Span parent = rolloutSpans.get(id);
            if (parent != null) {
                waveSpans.put(id + '\n' + w.wave(), tracer.spanBuilder().name(prefix + ".wave").setParent(parent.context())
                        .startTimestamp(w.at().toEpochMilli(), TimeUnit.MILLISECONDS).tag("stepwise.rollout", rollout)
                        .tag("stepwise.wave", w.wave()).tag("stepwise.targets", w.total())
                        .tag("stepwise.concurrency", w.concurrency()).tag("stepwise.error_budget", w.errorBudget()).start());
            }
        } else if (e instanceof RolloutEvent.TargetStarted t) {
            Span parent = waveSpans.get(id + '\n' + t.wave());
            if (parent != null) {
                targetSpans.put(id + '\n' + t.wave() + '\n' + t.target(), tracer.spanBuilder().name(prefix + ".target")
                        .setParent(parent.context()).startTimestamp(t.at().toEpochMilli(), TimeUnit.MILLISECONDS)
                        .tag("stepwise.wave", t.wave()).tag("stepwise.target", t.target()).start());
            }
        } else if (e instanceof RolloutEvent.TargetFinished t) {
            String status = lower(t.status().name());
            registry.counter(prefix + ".targets", "rollout", rollout, "wave", t.wave(), "status", status).increment();
            Span span = targetSpans.remove(id + '\n' + t.wave() + '\n' + t.target());
            if (span != null) {
                span.tag("stepwise.status", status).end(t.at().toEpochMilli(), TimeUnit.MILLISECONDS);
            }
        } else if (e instanceof RolloutEvent.WaveFinished w) {
            String status = lower(w.status().name());
            registry.counter(prefix + ".waves", "rollout", rollout, "wave", w.wave(), "status", status).increment();
            Instant start = waveStarts.remove(id + '\n' + w.wave());
            if (start != null) {
                registry.timer(prefix + ".wave.duration", "rollout", rollout, "wave", w.wave(), "status", status)
                        .record(Duration.between(start, w.at()));
            }
            Span span = waveSpans.remove(id + '\n' + w.wave());
            if (span != null) {
                span.tag("stepwise.status", status).tag("stepwise.failed", w.progress().failed())
                        .end(w.at().toEpochMilli(), TimeUnit.MILLISECONDS);
            }
        } else if (e instanceof RolloutEvent.RolloutFinished f) {
            String status = lower(f.status().name());
            registry.counter(prefix + ".rollouts", "rollout", rollout, "status", status).increment();
            Instant start = rolloutStarts.remove(id);
            if (start != null) {
                registry.timer(prefix + ".rollout.duration", "rollout", rollout, "status", status)
                        .record(Duration.between(start, f.at()));
            }
            Span span = rolloutSpans.remove(id);
            if (span != null) {
                span.tag("stepwise.status", status).end(f.at().toEpochMilli(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private static void event(Span span, String name, Instant at) {
        if (span != null) {
            span.event(name, at.toEpochMilli(), TimeUnit.MILLISECONDS);
        }
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "MicrometerListener{" + prefix + ".*, " + (tracer == null ? "metrics only" : "metrics and spans") + "}";
    }

    /** Builds a {@link MicrometerListener}. Not thread-safe; the listener it builds is. */
    public static final class Builder {
        private final MeterRegistry registry;
        private Tracer tracer;
        private String prefix = "stepwise";

        private Builder(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /** Also records spans through {@code tracer}. */
        public Builder tracer(Tracer tracer) {
            this.tracer = Objects.requireNonNull(tracer, "tracer");
            return this;
        }

        /**
         * The first part of every meter and span name; default {@code stepwise}.
         *
         * @throws dev.stepwise.core.PlanValidationException if it is not a dotted lower-case name
         */
        public Builder prefix(String prefix) {
            Objects.requireNonNull(prefix, "prefix");
            if (!prefix.matches("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*")) {
                throw new dev.stepwise.core.PlanValidationException("MicrometerListener: prefix \"" + prefix
                        + "\" must be a dotted lower-case name such as stepwise or ops.stepwise");
            }
            this.prefix = prefix;
            return this;
        }

        /** The listener. */
        public MicrometerListener build() {
            return new MicrometerListener(this);
        }
    }
}
