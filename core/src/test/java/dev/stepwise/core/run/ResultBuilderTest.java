package dev.stepwise.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.plan.Effect;
import dev.stepwise.core.plan.Prediction;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultBuilderTest {

    private static StepResult row() {
        return StepResult.builder().name("stop").kind(StepResult.Kind.STEP).effect(Effect.MUTATING)
                .status(StepStatus.SUCCEEDED).attempts(1).start(Instant.EPOCH).end(Instant.EPOCH.plusSeconds(2)).build();
    }

    @Test
    void build_whenOnlyRequiredSet_defaultsAsTheRecordsDid() {
        RunResult r = RunResult.builder().plan("p").runId("r-1").status(RunStatus.SUCCEEDED).build();

        assertThat(r.reason()).isEmpty();
        assertThat(r.dryRun()).isFalse();
        assertThat(r.fingerprint()).isNull();
        assertThat(r.target()).isNull();
        assertThat(r.start()).isNull();
        assertThat(r.failure()).isNull();
        assertThat(r.inputs()).isEmpty();
        assertThat(r.outputs()).isEmpty();
        assertThat(r.steps()).isEmpty();
        StepResult s = StepResult.builder().name("x").kind(StepResult.Kind.CHECK).effect(Effect.READ_ONLY)
                .status(StepStatus.SKIPPED).build();
        assertThat(s.attempts()).isZero();
        assertThat(s.note()).isEmpty();
        assertThat(s.duration()).isEmpty();
    }

    @Test
    void build_whenRequiredMissing_throwsNamingIt() {
        assertThatThrownBy(() -> RunResult.builder().plan("p").status(RunStatus.SUCCEEDED).build())
                .isInstanceOf(PlanValidationException.class).hasMessageContaining("runId");
        assertThatThrownBy(() -> StepResult.builder().name("x").kind(StepResult.Kind.STEP).effect(Effect.MUTATING)
                .build()).isInstanceOf(PlanValidationException.class).hasMessageContaining("status");
    }

    @Test
    void builder_whenNullForARequiredOrDefaultedValue_throwsNpe() {
        assertThatThrownBy(() -> RunResult.builder().plan(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> RunResult.builder().reason(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void toBuilder_whenAFieldChanges_keepsTheOthers() {
        RunResult r = RunResult.builder().plan("p").runId("r-1").status(RunStatus.FAILED).reason("boom")
                .addSteps(row()).putOutputs("id", "ami-1").build();

        RunResult copy = r.toBuilder().reason("boom again").build();

        assertThat(copy.reason()).isEqualTo("boom again");
        assertThat(copy.steps()).containsExactly(row());
        assertThat(copy.outputs()).containsEntry("id", "ami-1");
        assertThat(copy.toBuilder().reason("boom").build()).isEqualTo(r);
    }

    @Test
    void toJson_whenBuiltByHand_roundTrips() {
        Map<String, Object> params = new HashMap<>();
        params.put("InstanceIds", List.of("i-0123456789abcdef0"));
        RunResult r = RunResult.builder().plan("p").fingerprint("f").runId("r-1").target("i-0123456789abcdef0")
                .dryRun(true).status(RunStatus.SUCCEEDED).start(Instant.EPOCH).end(Instant.EPOCH.plusSeconds(2))
                .putInputs("region", "eu-west-1")
                .addSteps(row().toBuilder().predictions(List.of(Prediction.call("ec2", "StopInstances", params)
                        .withCondition("it is running"))).build())
                .build();

        RunResult back = RunResult.fromJson(r.toJson());

        assertThat(back.toJson()).isEqualTo(r.toJson());
        assertThat(back.steps().get(0).predictions().get(0).condition()).isEqualTo("it is running");
    }

    @Test
    void outputs_whenAJsonValueIsNull_keepsIt() {
        Map<String, Object> outputs = new HashMap<>();
        outputs.put("nothing", null);

        RunResult r = RunResult.builder().plan("p").runId("r-1").status(RunStatus.SUCCEEDED).outputs(outputs).build();

        assertThat(r.outputs()).containsEntry("nothing", null);
    }

    @Test
    void withCondition_whenGiven_copiesTheCallAndLeavesTheOriginal() {
        Prediction certain = Prediction.call("ec2", "StopInstances", Map.of("Force", false));

        Prediction maybe = certain.withCondition("the instance is running");

        assertThat(certain.isCertain()).isTrue();
        assertThat(maybe.isCertain()).isFalse();
        assertThat(maybe.parameters()).isEqualTo(certain.parameters());
        assertThat(maybe).hasToString("ec2:StopInstances Force=false (only if the instance is running)");
        assertThatThrownBy(() -> certain.withCondition(null)).isInstanceOf(NullPointerException.class);
    }
}
