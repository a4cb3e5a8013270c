package dev.stepwise.core.rollout;

import static dev.stepwise.core.rollout.RolloutFixtures.noop;
import static dev.stepwise.core.rollout.RolloutFixtures.rollout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.StepwiseException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Waves, limits and checkpoints refuse bad settings with one {@link PlanValidationException} listing every problem. */
class WaveBuilderTest {

    @Test
    void build_whenNameLimitsAndTargetsAreAllBad_listsEachInOneException() {
        assertThatThrownBy(() -> Wave.builder("bad name").maxConcurrency(0).maxErrors("120%").build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageStartingWith("Wave \"bad name\": 4 problems")
                .satisfies(e -> assertThat(((PlanValidationException) e).problems()).containsExactly(
                        "name \"bad name\" does not match " + Wave.NAME.pattern()
                                + " (a letter or digit, then letters, digits, '_', '.' or '-', at most 128 characters)",
                        "maxConcurrency 0 must be at least 1",
                        "targets are not set: call targets(...)",
                        "maxErrors \"120%\" is over 100%: a percentage of a wave's targets must be between 0% and 100%"));
    }

    @Test
    void build_whenAFixedListHasDuplicateAndEmptyIds_refusesNamingThem() {
        assertThatThrownBy(() -> Wave.builder("w").targets("a", "a", "").build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageStartingWith("Wave \"w\": 2 problems")
                .satisfies(e -> assertThat(((PlanValidationException) e).problems()).containsExactly(
                        "targets [a] appear more than once: a target runs at most once per rollout",
                        "target ids \"\" at position 3 is empty or blank: every target needs an id"));
    }

    @Test
    void build_whenANamedFixedListHasBlankIdsAndRepeats_refusesEachOnce() {
        assertThatThrownBy(() -> Wave.builder("w").targets(TargetSource.named("canaries",
                TargetSource.of("i-1", " ", "i-2", "i-1", "i-2", "i-1", "\t"))).build())
                .isInstanceOf(PlanValidationException.class)
                .satisfies(e -> assertThat(((PlanValidationException) e).problems()).containsExactly(
                        "targets [i-1, i-2] appear more than once: a target runs at most once per rollout",
                        "target ids \" \" at position 2, \"\t\" at position 7 are empty or blank: every target needs an id"));
    }

    @Test
    void build_whenAFixedListIsEmpty_refusesUnlessAllowed() {
        assertThatThrownBy(() -> Wave.builder("w").targets().build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessage("Wave \"w\": targets [] are empty: give the wave some, or call allowEmpty()");
        assertThat(Wave.builder("w").targets().allowEmpty().build().allowEmpty()).isTrue();
    }

    @Test
    void build_whenTargetsComeFromAQuery_leavesThemToTheRun() {
        Wave w = Wave.builder("w").targets(() -> List.of("a", "a")).build();

        assertThat(w.targets().description()).isEqualTo("custom target source");
    }

    @Test
    void toBuilder_whenChanged_keepsEverythingElse() {
        Wave w = Wave.builder("w").targets("i-1", "i-2").maxConcurrency("50%").maxErrors(1).ramp().strict().build();

        Wave wider = w.toBuilder().maxConcurrency(2).build();

        assertThat(wider).isEqualTo(Wave.builder("w").targets("i-1", "i-2").maxConcurrency(2).maxErrors(1).ramp()
                .strict().build());
        assertThat(w.toBuilder().build()).isEqualTo(w).hasToString(w.toString());
    }

    @Test
    void build_whenBadLimitIsReplacedByAGoodOne_builds() {
        Wave w = Wave.builder("w").targets("i-1").maxConcurrency(0).maxConcurrency("50%").maxErrors(-1).maxErrors(2)
                .build();

        assertThat(w.maxConcurrency()).hasToString("50%");
        assertThat(w.maxErrors()).hasToString("2");
    }

    @Test
    void rolloutBuild_whenAWaveBuilderIsBad_listsTheWavesProblemsWithTheRollouts() {
        assertThatThrownBy(() -> rollout(noop()).wave(Wave.builder("w").maxConcurrency(-1)).soak(Duration.ofDays(-1))
                .build())
                .isInstanceOf(PlanValidationException.class)
                .satisfies(e -> assertThat(((PlanValidationException) e).problems()).containsExactly(
                        "wave \"w\": targets are not set: call targets(...)",
                        "wave \"w\": maxConcurrency -1 must be at least 1",
                        "soak: soak PT-24H must not be negative"));
    }

    @Test
    void limit_whenOutOfRange_isRefusedNamingValueAndRule() {
        assertThatThrownBy(() -> Limit.of(-1)).isInstanceOf(PlanValidationException.class)
                .hasMessage("Limit: limit -1 must not be negative");
        assertThatThrownBy(() -> Limit.percent(150)).isInstanceOf(PlanValidationException.class)
                .hasMessage("Limit: limit 150% must be between 0% and 100%");
        assertThatThrownBy(() -> Limit.of(3).concurrencyFor(-1)).isInstanceOf(PlanValidationException.class)
                .hasMessage("Limit: targets -1 must not be negative");
    }

    @Test
    void gate_whenDescriptionBlank_isRefused() {
        assertThatThrownBy(() -> rollout(noop()).gate(" ", r -> true).build())
                .isInstanceOf(PlanValidationException.class).hasMessageContaining("description \" \" must not be blank");
    }

    @Test
    void approvalDescribedAs_whenBlank_isRefused() {
        assertThatThrownBy(() -> Approval.by(Approver.autoApprove("ci")).describedAs("").build())
                .isInstanceOf(PlanValidationException.class).hasMessage("Approval: description \"\" must not be blank");
    }

    @Test
    void approvalDecision_whenByBlank_isRefused() {
        assertThatThrownBy(() -> ApprovalDecision.approve(" "))
                .isInstanceOf(StepwiseException.class).hasMessageContaining("by \" \" must name who decided");
    }

    @Test
    void maintenanceWindow_whenNoDayAndTooLong_listsBothProblems() {
        assertThatThrownBy(() -> new MaintenanceWindow.Recurring(Set.of(), LocalTime.MIDNIGHT, Duration.ofHours(25),
                ZoneOffset.UTC))
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("MaintenanceWindow: 2 problems")
                .hasMessageContaining("days [] must name at least one day")
                .hasMessageContaining("length PT25H must be more than zero and at most 1 day");
    }

    @Test
    void maintenanceWindowBetween_whenEndIsNotAfterStart_isRefused() {
        assertThatThrownBy(() -> MaintenanceWindow.between(Instant.EPOCH, Instant.EPOCH))
                .isInstanceOf(PlanValidationException.class)
                .hasMessage("MaintenanceWindow: end 1970-01-01T00:00:00Z must be after its start 1970-01-01T00:00:00Z");
    }
}
