package dev.stepwise.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.rollout.CheckpointResult;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.TargetStatus;
import org.junit.jupiter.api.Test;

class RolloutResultsTest {

    @Test
    void fromJson_whenWrittenByToJson_readsBackTheSameJson() {
        RolloutResult written = Samples.rollout(false);

        RolloutResult read = RolloutResults.fromJson(written.toJson());

        assertThat(read.toJson()).isEqualTo(written.toJson());
        assertThat(read.status()).isEqualTo(written.status());
        assertThat(read.waves()).extracting(w -> w.name()).containsExactly("non-production", "production");
        assertThat(read.wave("production").count(TargetStatus.FAILED)).isEqualTo(1);
        assertThat(read.wave("production").checkpoints()).extracting(CheckpointResult::kind)
                .containsExactlyElementsOf(written.wave("production").checkpoints().stream().map(CheckpointResult::kind).toList());
        assertThat(read.wave("production").checkpoints().get(1).decision().by()).isEqualTo("alice");
        assertThat(read.targets()).allSatisfy(t -> assertThat(t.run()).isNotNull());
        assertThat(read.wave("production").target("db-9").orElseThrow().reason())
                .isEqualTo(written.wave("production").target("db-9").orElseThrow().reason()).contains("host is reachable");
    }

    @Test
    void fromJson_whenDryRun_keepsPredictions() {
        RolloutResult written = Samples.rollout(true);

        RolloutResult read = RolloutResults.fromJson(written.toJson());

        assertThat(read.dryRun()).isTrue();
        assertThat(read.toJson()).isEqualTo(written.toJson());
    }

    @Test
    void fromJson_whenNotJson_throwsNamingTheProblem() {
        assertThatThrownBy(() -> RolloutResults.fromJson("{not json")).isInstanceOf(ResultJsonException.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> RolloutResults.fromJson("[1,2]")).isInstanceOf(ResultJsonException.class)
                .hasMessageContaining("expected a JSON object");
    }

    @Test
    void fromJson_whenStatusUnknown_namesFieldValueAndRule() {
        String json = Samples.rollout(false).toJson().replaceFirst("\"status\" : \"HALTED\"|\"status\" : \"SUCCEEDED\"",
                "\"status\" : \"DONE\"");

        assertThatThrownBy(() -> RolloutResults.fromJson(json)).isInstanceOf(ResultJsonException.class)
                .hasMessageContaining("\"status\" is \"DONE\"").hasMessageContaining("RUNNING, SUCCEEDED, HALTED");
    }

    @Test
    void fromJson_whenRequiredFieldMissing_namesIt() {
        assertThatThrownBy(() -> RolloutResults.fromJson("{\"rollout\":\"r\",\"status\":\"SUCCEEDED\"}"))
                .isInstanceOf(ResultJsonException.class).hasMessageContaining("\"rolloutId\" is missing");
    }

    @Test
    void fromJson_whenTimeMalformed_namesIt() {
        assertThatThrownBy(() -> RolloutResults.fromJson(
                "{\"rollout\":\"r\",\"rolloutId\":\"1\",\"status\":\"SUCCEEDED\",\"start\":\"yesterday\"}"))
                .isInstanceOf(ResultJsonException.class).hasMessageContaining("\"start\" is \"yesterday\"")
                .hasMessageContaining("ISO-8601");
    }
}
