package dev.stepwise.core.rollout;

import static dev.stepwise.core.rollout.RolloutFixtures.noop;
import static dev.stepwise.core.rollout.RolloutFixtures.rollout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.PlanValidationException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutBuilderTest {

    @Test
    void maxConcurrency_whenZero_namesFieldValueAndRule() {
        assertThatThrownBy(() -> Wave.builder("w").targets("i-1").maxConcurrency(0).build())
                .isInstanceOf(PlanValidationException.class).hasMessage("Wave \"w\": maxConcurrency 0 must be at least 1");
        assertThatThrownBy(() -> Wave.builder("w").targets("i-1").maxConcurrency("0%").build())
                .isInstanceOf(PlanValidationException.class).hasMessage("Wave \"w\": maxConcurrency 0% must be at least 1%");
    }

    @Test
    void maxErrors_whenNegative_namesFieldValueAndRule() {
        assertThatThrownBy(() -> Wave.builder("w").targets("i-1").maxErrors(-1).build())
                .isInstanceOf(PlanValidationException.class).hasMessage("Wave \"w\": maxErrors -1 must not be negative");
    }

    @Test
    void maxErrors_whenPercentageOver100OrMalformed_namesFieldValueAndRule() {
        assertThatThrownBy(() -> Wave.builder("w").targets("i-1").maxErrors("120%").build())
                .isInstanceOf(PlanValidationException.class).hasMessageContaining("maxErrors \"120%\" is over 100%");
        assertThatThrownBy(() -> Wave.builder("w").targets("i-1").maxConcurrency("abc").build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("maxConcurrency \"abc\" is neither a whole number");
    }

    @Test
    void soak_whenNegative_isRejected() {
        assertThatThrownBy(() -> new Checkpoint.Soak(Duration.ofMinutes(-1)))
                .isInstanceOf(PlanValidationException.class).hasMessage("Soak: soak PT-1M must not be negative");
        assertThatThrownBy(() -> rollout(noop()).soak(Duration.ofMinutes(-1)).wave("w", w -> w.targets("i-1")).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessage("Rollout fleet: soak: soak PT-1M must not be negative");
    }

    @Test
    void build_whenNoWaves_isRejectedBeforeAnythingRuns() {
        assertThatThrownBy(() -> rollout(noop()).build()).isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("waves: none given; a rollout needs at least one wave");
    }

    @Test
    void build_whenWaveNameTwiceAndTargetInTwoWaves_listsEveryProblem() {
        assertThatThrownBy(() -> rollout(noop())
                .wave(Wave.builder("a").targets("i-1", "i-2"))
                .wave(Wave.builder("b").targets("i-2", "i-3"))
                .wave("c", w -> w.targets("i-4", "i-4"))
                .wave(Wave.builder("a").targets("i-9"))
                .soak(Duration.ofHours(1))
                .build())
                .isInstanceOf(PlanValidationException.class)
                .satisfies(e -> assertThat(((PlanValidationException) e).problems()).containsExactlyInAnyOrder(
                        "wave \"c\": targets [i-4] appear more than once: a target runs at most once per rollout",
                        "wave name \"a\" is used twice: wave names must be unique",
                        "target i-2 is in wave a and in wave b, which run the same plan patch-host: a target runs a plan "
                                + "at most once per rollout",
                        "soak \"1 h 00 min\" comes after the last wave, so it holds nothing back: add it before a wave"));
    }

    @Test
    void build_whenFixedWaveEmptyAndNotAllowed_isRejected() {
        assertThatThrownBy(() -> rollout(noop()).wave(Wave.builder("a").targets(List.of())).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessage("Rollout fleet: wave \"a\": targets [] are empty: give the wave some, or call allowEmpty()");
    }

    @Test
    void build_whenRolloutNameIsBad_reportsItWithTheOtherProblems() {
        assertThatThrownBy(() -> Rollout.builder("bad name", noop()).build())
                .isInstanceOf(PlanValidationException.class)
                .satisfies(e -> assertThat(((PlanValidationException) e).problems()).containsExactly(
                        "name \"bad name\" does not match " + Wave.NAME.pattern()
                                + " (a letter or digit, then letters, digits, '_', '.' or '-', at most 128 characters)",
                        "waves: none given; a rollout needs at least one wave"));
    }

    @Test
    void customisers_whenUsed_buildTheSameRolloutAsBuilders() {
        Approver alice = Approver.autoApprove("alice");
        Rollout withBuilders = rollout(noop())
                .wave(Wave.builder("a").targets("i-1").maxConcurrency("50%"))
                .approval(Approval.by(alice).timeout(Duration.ofHours(4)))
                .wave(Wave.builder("b").targets("i-2").ramp())
                .build();
        Rollout withCustomisers = rollout(noop())
                .wave("a", w -> w.targets("i-1").maxConcurrency("50%"))
                .approval(alice, a -> a.timeout(Duration.ofHours(4)))
                .wave("b", w -> w.targets("i-2").ramp())
                .build();

        assertThat(withCustomisers.waves()).isEqualTo(withBuilders.waves());
        assertThat(withCustomisers.checkpointsBefore(withCustomisers.waves().get(1)))
                .isEqualTo(withBuilders.checkpointsBefore(withBuilders.waves().get(1)));
        assertThat(withCustomisers.toString()).isEqualTo(withBuilders.toString());
    }

    @Test
    void toBuilder_whenBuiltUnchanged_keepsWavesAndCheckpointsInOrder() {
        Rollout r = rollout(noop())
                .wave("a", w -> w.targets("i-1"))
                .soak(Duration.ofDays(1))
                .approval(Approver.autoApprove("alice"), a -> a.describedAs("sign-off"))
                .wave("b", w -> w.targets("i-2"))
                .build();

        Rollout copy = r.toBuilder().build();

        assertThat(copy.waves()).isEqualTo(r.waves());
        assertThat(copy.checkpointsBefore(copy.waves().get(1))).isEqualTo(r.checkpointsBefore(r.waves().get(1)));
        assertThat(copy.toString()).isEqualTo(r.toString());
        assertThat(r.waves().get(0).toBuilder().build()).isEqualTo(r.waves().get(0));
    }

    @Test
    void waveBuild_whenNoTargets_saysHowToFix() {
        assertThatThrownBy(() -> Wave.builder("a").build()).isInstanceOf(PlanValidationException.class)
                .hasMessage("Wave \"a\": targets are not set: call targets(...)");
    }

    @Test
    void approvalTimeout_whenZero_isRejected() {
        assertThatThrownBy(() -> Approval.by(Approver.autoApprove("ci")).timeout(Duration.ZERO).build())
                .isInstanceOf(PlanValidationException.class).hasMessage("Approval: timeout PT0S must be positive");
    }

    @Test
    void toString_whenBuilt_outlinesWavesCheckpointsAndLimits() {
        Rollout r = rollout(noop())
                .wave(Wave.builder("non-production").targets("i-1", "i-2").maxConcurrency("50%"))
                .soak(Duration.ofDays(7))
                .gate("every non-production target succeeded", x -> x.wave("non-production").allSucceeded())
                .wave(Wave.builder("production").targets("i-3").maxConcurrency(10).maxErrors("10%").ramp().strict())
                .build();
        assertThat(r.toString()).contains("Rollout fleet of plan patch-host (2 waves)",
                "1. wave non-production: targets [i-1, i-2]; maxConcurrency 50%, maxErrors 0",
                "then: soak 7 d 00 h", "then: gate every non-production target succeeded",
                "2. wave production: targets [i-3]; maxConcurrency 10, maxErrors 10%, ramp with canary, strict");
    }
}
