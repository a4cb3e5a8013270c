package dev.stepwise.core.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.core.PlanValidationException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutResultBuilderTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static RolloutResult withCheckpoint(CheckpointResult c) {
        return RolloutResult.builder().rollout("patch").rolloutId("r-1").plan("p").status(RolloutStatus.SUCCEEDED)
                .start(T0).end(T0.plusSeconds(60))
                .addWaves(WaveResult.builder().name("dev").status(WaveStatus.SUCCEEDED).targetSource("fixed list")
                        .maxConcurrency(Limit.of(1)).maxErrors(Limit.of(0)).addCheckpoints(c)
                        .addTargets(TargetResult.builder().target("i-1").status(TargetStatus.SUCCEEDED).build())
                        .build())
                .build();
    }

    private static CheckpointResult gate() {
        return CheckpointResult.builder().kind(Checkpoint.Kind.GATE).description("same patches")
                .outcome(CheckpointResult.Outcome.PASSED).start(T0).end(T0).build();
    }

    @Test
    void build_whenRequiredMissing_throwsNamingIt() {
        assertThatThrownBy(() -> RolloutResult.builder().rollout("patch").status(RolloutStatus.SUCCEEDED).build())
                .isInstanceOf(PlanValidationException.class).hasMessageContaining("rolloutId");
        assertThatThrownBy(() -> TargetResult.builder().target("i-1").build())
                .isInstanceOf(PlanValidationException.class).hasMessageContaining("status");
    }

    @Test
    void build_whenOnlyRequiredSet_defaultsAsTheRecordsDid() {
        TargetResult t = TargetResult.builder().target("i-1").status(TargetStatus.NOT_STARTED).build();
        WaveResult w = WaveResult.builder().name("dev").status(WaveStatus.NOT_STARTED).targetSource("fixed list")
                .maxConcurrency(Limit.percent(10)).maxErrors(Limit.of(0)).build();

        assertThat(t.canary()).isFalse();
        assertThat(t.note()).isEmpty();
        assertThat(t.runResult()).isEmpty();
        assertThat(w.reason()).isEmpty();
        assertThat(w.concurrency()).isZero();
        assertThat(w.ramp()).isFalse();
        assertThat(w.targets()).isEmpty();
        assertThat(gate().data()).isEmpty();
        assertThat(gate().detail()).isEmpty();
    }

    @Test
    void toJson_whenCheckpointHasData_rendersItUnderData() throws Exception {
        CheckpointResult c = gate().toBuilder().putData("missing", List.of("KB5034441")).putData("checked", 12).build();

        JsonNode cp = new ObjectMapper().readTree(withCheckpoint(c).toJson()).path("waves").get(0)
                .path("checkpoints").get(0);

        assertThat(cp.path("data").path("missing").get(0).asText()).isEqualTo("KB5034441");
        assertThat(cp.path("data").path("checked").asInt()).isEqualTo(12);
    }

    @Test
    void toJson_whenCheckpointHasNoData_leavesTheKeyOut() throws Exception {
        JsonNode cp = new ObjectMapper().readTree(withCheckpoint(gate()).toJson()).path("waves").get(0)
                .path("checkpoints").get(0);

        assertThat(cp.has("data")).isFalse();
        assertThat(cp.path("detail").isTextual()).isTrue();
    }

    @Test
    void withAt_whenNoTimeYet_stampsACopy_elseKeepsTheDecision() {
        ApprovalDecision d = ApprovalDecision.approve("alice", "looks good");

        ApprovalDecision stamped = d.withAt(T0);

        assertThat(d.at()).isNull();
        assertThat(stamped.at()).isEqualTo(T0);
        assertThat(stamped.comment()).isEqualTo("looks good");
        assertThat(stamped.withAt(T0.plusSeconds(5))).isSameAs(stamped);
    }

    @Test
    void approvalDecision_whenByIsBlank_throwsNamingIt() {
        assertThatThrownBy(() -> ApprovalDecision.reject(" ", "no"))
                .isInstanceOf(PlanValidationException.class).hasMessageContaining("by \" \" must name who decided");
    }

    @Test
    void waveProgress_whenBuilt_countsWhatIsLeft() {
        WaveProgress p = WaveProgress.builder().total(10).succeeded(3).failed(1).inFlight(2).build();

        assertThat(p.done()).isEqualTo(4);
        assertThat(p.notStarted()).isEqualTo(4);
        assertThat(p).hasToString("4/10 done, 1 failed, 2 in flight");
    }

    @Test
    void rolloutProgress_whenBuilt_printsItsWavesAndApprovals() {
        RolloutProgress p = RolloutProgress.builder().rolloutId("r-1").rollout("patch").plan("p")
                .state(RolloutProgress.State.WAITING).resumeAt(T0)
                .addWaves(RolloutProgress.WaveProgressEntry.of("dev", "SUCCEEDED"))
                .addApprovals(RolloutProgress.Decided.builder().wave("prod").approved(true).by("alice").build())
                .build();

        assertThat(p.toString()).contains("r-1 (patch of plan p): WAITING", "resume at or after " + T0,
                "wave dev: SUCCEEDED", "approved by alice");
        assertThat(p.pendingApproval()).isEmpty();
        assertThat(Map.of("k", p).get("k")).isEqualTo(p.toBuilder().build());
    }
}
