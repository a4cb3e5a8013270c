package dev.stepwise.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.retry.RetryPolicy;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.rollout.Wave;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The listener against Micrometer's {@link SimpleMeterRegistry} and the in-memory {@link SimpleTracer}. */
class MicrometerListenerTest {
    private static final Key<String> HOST = Key.of("host", String.class);
    private static final Key<String> TOKEN = Key.secret("apiToken", String.class);
    private static final String SECRET = "s3cr3t-Tok3n-value";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SimpleTracer tracer = new SimpleTracer();
    private final MicrometerListener listener = MicrometerListener.of(registry, tracer);

    private Runner runner() {
        return Runner.create().withTimeSource(VirtualTimeSource.create()).withListener(listener).withRolloutListener(listener);
    }

    /** Reads the host, installs (the first attempt of each host fails, the retry waits 5 s), then reports. */
    private static Plan patchHost() {
        Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();
        return Plan.builder("patch-host").input(HOST).input(dev.stepwise.core.plan.Input.optional(TOKEN, SECRET))
                .step(Step.readOnly("describe").output(Key.of("os", String.class)).reads(HOST)
                        .action(ctx -> {
                            ctx.sleep(Duration.ofSeconds(2));
                            return "windows";
                        }))
                .step(Step.mutating("install").reads(HOST)
                        .retry(RetryPolicy.builder().maxAttempts(3).delay(Duration.ofSeconds(5)).build())
                        .run(ctx -> {
                            if (tries.computeIfAbsent(ctx.get(HOST), h -> new AtomicInteger()).incrementAndGet() == 1) {
                                // a message that carries the secret: it must never reach a tag, attribute or event
                                throw new IllegalStateException("install refused token " + ctx.get(TOKEN));
                            }
                            ctx.sleep(Duration.ofSeconds(30));
                        }))
                .step(Step.readOnly("report").output(Key.of("summary", String.class)).action(ctx -> "done"))
                .build();
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    @Test
    void run_withARetry_recordsRunStepAttemptAndRetryMetrics() {
        RunResult result = runner().run(patchHost(), Inputs.of(HOST, "db-1"));
        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);

        assertThat(count("stepwise.runs", "plan", "patch-host", "status", "succeeded", "dry_run", "false")).isEqualTo(1);
        assertThat(count("stepwise.steps", "plan", "patch-host", "step", "describe", "status", "succeeded")).isEqualTo(1);
        assertThat(count("stepwise.steps", "plan", "patch-host", "step", "install", "status", "succeeded")).isEqualTo(1);
        assertThat(count("stepwise.step.attempts.failed", "plan", "patch-host", "step", "install")).isEqualTo(1);
        assertThat(count("stepwise.step.retries", "plan", "patch-host", "step", "install")).isEqualTo(1);
        assertThat(registry.get("stepwise.run.duration").tags("plan", "patch-host").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo((double) result.duration().toMillis()).isPositive();
        // on the virtual clock: 5 s of backoff and 30 s of work
        assertThat(registry.get("stepwise.step.duration").tags("step", "install").timer().totalTime(TimeUnit.SECONDS))
                .isEqualTo(35.0);
    }

    @Test
    void run_withARetry_makesOneTraceWithASpanPerStepAndRetryEvents() {
        runner().run(patchHost(), Inputs.of(HOST, "db-1"));

        List<SimpleSpan> spans = new ArrayList<>(tracer.getSpans());
        SimpleSpan run = only(spans, "stepwise.run");
        List<SimpleSpan> steps = spans.stream().filter(s -> s.getName().equals("stepwise.step")).toList();
        assertThat(run.getParentId()).isNullOrEmpty();
        assertThat(run.getTags()).containsEntry("stepwise.plan", "patch-host").containsEntry("stepwise.status", "succeeded")
                .containsKey("stepwise.run_id");
        assertThat(steps).extracting(s -> s.getTags().get("stepwise.step")).containsExactly("describe", "install", "report");
        assertThat(steps).allSatisfy(s -> {
            assertThat(s.getTraceId()).isEqualTo(run.getTraceId());
            assertThat(s.getParentId()).isEqualTo(run.getSpanId());
            assertThat(s.getEndTimestamp()).isAfterOrEqualTo(s.getStartTimestamp());
        });
        SimpleSpan install = steps.get(1);
        assertThat(install.getEvents()).extracting(Map.Entry::getValue)
                .containsExactly("attempt 1 failed: IllegalStateException", "retry: attempt 2 in PT5S");
        assertThat(install.getTags()).containsEntry("stepwise.attempts", "2");
    }

    @Test
    void rollout_withASoak_recordsWavesTargetsAndCheckpointAndTracesThem() {
        Rollout rollout = Rollout.builder("patch-fleet", patchHost()).inputs(t -> Inputs.of(HOST, t))
                .wave(Wave.builder("non-production").targets("dev-1").build())
                .soak(Duration.ofHours(2))
                .wave(Wave.builder("production").targets("prod-1", "prod-2").maxConcurrency(2).build())
                .build();

        RolloutResult result = runner().run(rollout);
        assertThat(result.status()).isEqualTo(RolloutStatus.SUCCEEDED);

        assertThat(count("stepwise.rollouts", "rollout", "patch-fleet", "status", "succeeded")).isEqualTo(1);
        assertThat(count("stepwise.waves", "rollout", "patch-fleet", "wave", "non-production", "status", "succeeded")).isEqualTo(1);
        assertThat(count("stepwise.waves", "rollout", "patch-fleet", "wave", "production", "status", "succeeded")).isEqualTo(1);
        assertThat(count("stepwise.targets", "wave", "production", "status", "succeeded")).isEqualTo(2);
        assertThat(count("stepwise.checkpoints", "wave", "production", "kind", "soak", "outcome", "passed")).isEqualTo(1);
        assertThat(registry.get("stepwise.checkpoint.duration").tags("kind", "soak").timer().totalTime(TimeUnit.HOURS))
                .isEqualTo(2.0);
        assertThat(count("stepwise.runs", "plan", "patch-host", "status", "succeeded")).isEqualTo(3);
        // targets are span attributes, never metric tags
        for (Meter m : registry.getMeters()) {
            assertThat(m.getId().getTags()).extracting(Tag::getValue).doesNotContain("dev-1", "prod-1", "prod-2")
                    .doesNotContain(result.rolloutId());
        }

        List<SimpleSpan> spans = new ArrayList<>(tracer.getSpans());
        SimpleSpan root = only(spans, "stepwise.rollout");
        assertThat(root.getParentId()).isNullOrEmpty();
        assertThat(root.getEvents()).extracting(Map.Entry::getValue)
                .containsExactly("checkpoint before production: soak started", "checkpoint before production: soak passed");
        List<SimpleSpan> waves = spans.stream().filter(s -> s.getName().equals("stepwise.wave")).toList();
        assertThat(waves).extracting(s -> s.getTags().get("stepwise.wave")).containsExactly("non-production", "production");
        assertThat(waves).allSatisfy(w -> assertThat(w.getParentId()).isEqualTo(root.getSpanId()));
        List<SimpleSpan> targets = spans.stream().filter(s -> s.getName().equals("stepwise.target")).toList();
        assertThat(targets).extracting(s -> s.getTags().get("stepwise.target")).containsExactlyInAnyOrder("dev-1", "prod-1", "prod-2");
        assertThat(targets).allSatisfy(t -> assertThat(t.getTraceId()).isEqualTo(root.getTraceId()));
        // each target's run is a trace of its own, named by its target
        assertThat(spans.stream().filter(s -> s.getName().equals("stepwise.run")).map(s -> s.getTags().get("stepwise.target")))
                .containsExactlyInAnyOrder("dev-1", "prod-1", "prod-2");
    }

    @Test
    void noSecretEverReachesATagAnAttributeOrAnEvent() {
        runner().run(patchHost(), Inputs.of(HOST, "db-1").with(TOKEN, SECRET));

        List<String> seen = new ArrayList<>();
        registry.getMeters().forEach(m -> {
            seen.add(m.getId().getName());
            m.getId().getTags().forEach(t -> seen.add(t.getKey() + "=" + t.getValue()));
        });
        tracer.getSpans().forEach(s -> {
            seen.add(s.getName());
            s.getTags().forEach((k, v) -> seen.add(k + "=" + v));
            s.getEvents().forEach(ev -> seen.add(ev.getValue()));
        });
        assertThat(seen).isNotEmpty().noneMatch(t -> t.contains(SECRET)).noneMatch(t -> t.contains("refused token"));
    }

    @Test
    void withoutTracer_recordsMetricsOnly() {
        MicrometerListener metricsOnly = MicrometerListener.of(registry);
        Runner.create().withTimeSource(VirtualTimeSource.create()).withListener(metricsOnly)
                .run(patchHost(), Inputs.of(HOST, "db-1"));

        assertThat(count("stepwise.runs", "plan", "patch-host")).isEqualTo(1);
        assertThat(tracer.getSpans()).isEmpty();
        assertThat(metricsOnly).hasToString("MicrometerListener{stepwise.*, metrics only}");
    }

    @Test
    void builder_whenPrefixMalformed_namesIt() {
        assertThatThrownBy(() -> MicrometerListener.builder(registry).prefix("Ops Metrics"))
                .isInstanceOf(PlanValidationException.class).hasMessageContaining("prefix \"Ops Metrics\"");
        MicrometerListener ops = MicrometerListener.builder(registry).prefix("ops.stepwise").build();
        Runner.create().withTimeSource(VirtualTimeSource.create()).withListener(ops).run(patchHost(), Inputs.of(HOST, "db-2"));
        assertThat(registry.get("ops.stepwise.runs").counter().count()).isEqualTo(1);
    }

    private static SimpleSpan only(List<SimpleSpan> spans, String name) {
        List<SimpleSpan> found = spans.stream().filter(s -> s.getName().equals(name)).toList();
        assertThat(found).as("spans named %s", name).hasSize(1);
        return found.get(0);
    }
}
