package dev.stepwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.retry.RetryPolicy;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.Wave;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private static final Key<String> HOST = Key.of("host", String.class);

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static Plan flaky() {
        AtomicInteger tries = new AtomicInteger();
        return Plan.builder("flaky").input(HOST)
                .step(Step.mutating("touch").reads(HOST).retry(RetryPolicy.builder().maxAttempts(3)
                        .delay(Duration.ofSeconds(1)).build())
                        .run(ctx -> {
                            if (tries.incrementAndGet() == 1) {
                                throw new IllegalStateException("first try fails");
                            }
                        }))
                .build();
    }

    @Test
    void auto_withoutATerminal_printsOnePlainLinePerEvent() {
        try (Progress p = Progress.of(Progress.Mode.auto, false, new PrintStream(err, true, StandardCharsets.UTF_8))) {
            assertThat(p.showsBars()).isFalse();
            Runner.create().withTimeSource(VirtualTimeSource.create()).withListener(p).run(flaky(), Inputs.of(HOST, "db-1"));
        }

        assertThat(err().lines()).containsExactly(
                "run of flaky started (" + err().lines().findFirst().orElseThrow().replaceAll(".*\\((.*)\\)", "$1") + ")",
                "  touch ...",
                "  touch: attempt 1 failed, retry in PT1S",
                "  touch succeeded after 2 attempts",
                "run of flaky finished: SUCCEEDED");
        assertThat(err()).doesNotContain("\r").doesNotContain("%");
    }

    @Test
    void auto_onATerminal_drawsABarForEachWave() {
        Rollout rollout = Rollout.builder("fleet", Plan.builder("noop").input(HOST)
                        .step(Step.readOnly("look").output(Key.of("seen", String.class)).action(ctx -> "ok")).build())
                .inputs(t -> Inputs.of(HOST, t))
                .wave(Wave.builder("canary").targets("a").build())
                .wave(Wave.builder("rest").targets("b", "c", "d").build())
                .build();

        try (Progress p = Progress.of(Progress.Mode.auto, true, new PrintStream(err, true, StandardCharsets.UTF_8))) {
            assertThat(p.showsBars()).isTrue();
            Runner.create().withTimeSource(VirtualTimeSource.create()).withListener(p).withRolloutListener(p).run(rollout);
        }

        assertThat(err()).contains("wave canary").contains("wave rest").contains("\r").contains("3/3")
                .contains("rollout fleet SUCCEEDED");
        // the bars replace the per-event lines: no target's step is printed on a line of its own
        assertThat(err()).doesNotContain("look ...");
    }

    @Test
    void none_printsNothing() {
        try (Progress p = Progress.of(Progress.Mode.none, true, new PrintStream(err, true, StandardCharsets.UTF_8))) {
            Runner.create().withTimeSource(VirtualTimeSource.create()).withListener(p).run(flaky(), Inputs.of(HOST, "db-1"));
        }

        assertThat(err()).isEmpty();
    }
}
