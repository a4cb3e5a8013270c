package dev.stepwise.core.rollout;

import static dev.stepwise.core.rollout.RolloutFixtures.ids;
import static dev.stepwise.core.rollout.RolloutFixtures.plan;
import static dev.stepwise.core.rollout.RolloutFixtures.rollout;
import static dev.stepwise.core.rollout.RolloutFixtures.runner;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.core.StepwiseJson;
import dev.stepwise.core.run.VirtualTimeSource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutRenderingTest {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = StepwiseJson.newMapper();

    private static Rollout sample() {
        return rollout(plan((t, ctx) -> {
            if (t.equals("p-2")) {
                throw new IllegalStateException("reboot timed out");
            }
        }))
                .wave(Wave.builder("non-production").targets("n-1", "n-2"))
                .soak(Duration.ofDays(7))
                .approval(Approval.by(Approver.autoApprove("alice")))
                .wave(Wave.builder("production").targets(TargetSource.of(ids("p", 4))).maxErrors("25%"))
                .build();
    }

    @Test
    void events_whenTargetsFinish_carryProgressAProgressBarCanFollow() {
        RolloutFixtures.Recorder recorder = new RolloutFixtures.Recorder();

        runner(VirtualTimeSource.create()).withRolloutListener(recorder).run(sample());

        List<RolloutEvent.TargetFinished> prod = recorder.of(RolloutEvent.TargetFinished.class).stream()
                .filter(f -> f.wave().equals("production")).toList();
        assertThat(prod).extracting(f -> f.progress().done()).containsExactly(1, 2, 3, 4);
        assertThat(prod).allSatisfy(f -> assertThat(f.progress().total()).isEqualTo(4));
        assertThat(prod.get(3).progress()).isEqualTo(WaveProgress.builder().total(4).succeeded(3).failed(1).build());
        assertThat(recorder.events.get(0)).isInstanceOf(RolloutEvent.RolloutStarted.class);
        assertThat(recorder.events.get(recorder.events.size() - 1)).isInstanceOf(RolloutEvent.RolloutFinished.class);
        assertThat(recorder.of(RolloutEvent.WaveFinished.class)).extracting(RolloutEvent.WaveFinished::status)
                .containsExactly(WaveStatus.SUCCEEDED, WaveStatus.SUCCEEDED_WITHIN_BUDGET);
        assertThat(recorder.of(RolloutEvent.CheckpointFinished.class)).hasSize(2);
    }

    @Test
    void toJson_usesTheDocumentedFieldNames() throws Exception {
        RolloutResult r = runner(VirtualTimeSource.create()).run(sample());

        JsonNode n = JSON.readTree(r.toJson());

        assertThat(n.fieldNames()).toIterable().containsExactly("rollout", "rolloutId", "plan", "fingerprint", "dryRun",
                "status", "reason", "start", "end", "durationMillis", "resumeAt", "waves");
        JsonNode prod = n.path("waves").get(1);
        assertThat(prod.fieldNames()).toIterable().containsExactly("name", "status", "reason", "targetSource",
                "maxConcurrency", "concurrency", "maxErrors", "errorBudget", "ramp", "strict", "rampStages", "start", "end",
                "durationMillis", "counts", "checkpoints", "targets");
        assertThat(prod.path("maxErrors").asText()).isEqualTo("25%");
        assertThat(prod.path("errorBudget").asInt()).isEqualTo(1);
        assertThat(prod.path("counts").path("failed").asInt()).isEqualTo(1);
        JsonNode approval = prod.path("checkpoints").get(1);
        assertThat(approval.path("kind").asText()).isEqualTo("APPROVAL");
        assertThat(approval.path("decision").path("by").asText()).isEqualTo("alice");
        assertThat(approval.path("decision").path("at").asText()).isEqualTo("2026-01-08T00:00:00Z");
        JsonNode p2 = prod.path("targets").get(1);
        assertThat(p2.fieldNames()).toIterable().containsExactly("target", "status", "canary", "start", "end",
                "durationMillis", "note", "failure", "run");
        assertThat(p2.path("status").asText()).isEqualTo("FAILED");
        assertThat(p2.path("run").path("target").asText()).isEqualTo("p-2");
        assertThat(p2.path("run").path("steps").get(0).path("failure").path("message").asText()).isEqualTo("reboot timed out");
    }

    @Test
    void toStringAndTimeline_readForPeople() {
        RolloutResult r = runner(VirtualTimeSource.create()).run(sample());

        assertThat(r.toString()).contains("Rollout fleet of plan patch-host (rollout " + r.rolloutId() + "): SUCCEEDED in 7 d 00 h",
                "2. wave production: SUCCEEDED_WITHIN_BUDGET in 0 ms: 4/4 done, 1 failed, 0 in flight",
                "1 target(s) failed, within maxErrors 25% of 4 targets = 1 (rounded down)",
                "before wave production: approval \"manual approval (timeout 1 d 00 h, then reject)\": PASSED (approved by alice",
                "p-2", "step \"patch\" failed after 1 attempt: IllegalStateException: reboot timed out");
        assertThat(r.timeline()).contains("+0 ms        wave non-production started: 2 target(s), concurrency 1, error budget 0",
                "+0 ms        soak \"7 d 00 h\": PASSED (soaked 7 d 00 h), took 7 d 00 h",
                "+7 d 00 h    approval", "+7 d 00 h    rollout SUCCEEDED");
    }
}
