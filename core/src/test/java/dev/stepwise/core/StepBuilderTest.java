package dev.stepwise.core;

import static dev.stepwise.core.Fixtures.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.retry.RetryPolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Steps, inputs and retry policies refuse bad settings with one {@link PlanValidationException} listing each. */
class StepBuilderTest {
    private static final Key<String> NAME = Key.of("Name", String.class);

    @Test
    void build_whenNameActionTimeoutAndOutputOrderAreAllBad_listsEachInOneException() {
        assertThatThrownBy(() -> Step.mutating("").action(ctx -> null).output(IMAGE).timeout(Duration.ofSeconds(-5))
                .build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageStartingWith("Step \"\": 3 problems")
                .hasMessageContaining("name \"\" does not match")
                .hasMessageContaining("output(backupImageId) was called after action(...)")
                .hasMessageContaining("timeout PT-5S must be positive");
    }

    @Test
    void planBuild_whenAStepBuilderIsBad_reportsItsProblemsWithThePlans() {
        assertThatThrownBy(() -> Plan.builder("bad plan!").step(Step.mutating("install")).build())
                .isInstanceOf(PlanValidationException.class)
                .satisfies(e -> assertThat(((PlanValidationException) e).problems()).containsExactly(
                        "step \"install\": action is not set: call action(ctx -> ...) or run(ctx -> ...)",
                        "name \"bad plan!\" does not match [A-Za-z0-9][A-Za-z0-9_.-]{0,127}"));
    }

    @Test
    void planBuild_whenAStepBuilderInABranchIsBad_reportsIt() {
        assertThatThrownBy(() -> Plan.builder("p").step(Step.mutating("a").run(ctx -> { }))
                .when("x", ctx -> true, then -> then.step(Step.mutating("b").timeout(Duration.ZERO))).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("step \"b\": action is not set")
                .hasMessageContaining("step \"b\": timeout PT0S must be positive");
    }

    @Test
    void retryPolicyBuild_whenEverySettingIsBad_listsEachInOneException() {
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0).backoff(Duration.ofSeconds(-1),
                Duration.ofSeconds(-2), Double.NaN).jitter(1.0).attemptTimeout(Duration.ZERO).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageStartingWith("RetryPolicy: 6 problems")
                .satisfies(e -> assertThat(((PlanValidationException) e).problems()).containsExactly(
                        "maxAttempts 0 must be at least 1",
                        "delay PT-1S must not be negative",
                        "maxDelay PT-2S must be at least delay PT-1S",
                        "multiplier NaN must be a finite number of at least 1",
                        "jitter 1.0 must be at least 0 and below 1",
                        "attemptTimeout PT0S must be positive"));
    }

    @Test
    void retryPolicyDelayAfter_whenAttemptBelowOne_isRefused() {
        assertThatThrownBy(() -> RetryPolicy.defaults().delayAfter(0))
                .isInstanceOf(PlanValidationException.class).hasMessageContaining("delayAfter attempt 0 must be at least 1");
    }

    @Test
    void inputMatching_whenPatternIsNotARegularExpression_isRefusedNamingIt() {
        assertThatThrownBy(() -> Input.required(NAME).matching("[a-z").build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageStartingWith("Input Name: pattern \"[a-z\" is not a regular expression");
    }

    @Test
    void inputOneOf_whenNothingIsAllowed_isRefused() {
        assertThatThrownBy(() -> Input.required(NAME).oneOf(List.of()).build())
                .isInstanceOf(PlanValidationException.class).hasMessage("Input Name: oneOf [] allows no value: "
                        + "give at least one allowed value");
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void inputOptional_whenDefaultIsOfAnotherType_isRefused() {
        Key raw = NAME;
        assertThatThrownBy(() -> Input.optional(raw, 42).build())
                .isInstanceOf(PlanValidationException.class).hasMessage("Input Name: default value 42 (Integer) is not a "
                        + "String");
    }

    @Test
    void inputBuild_whenPatternAndAllowedValuesAreBadAndRequiredHasADefault_listsEachInOneException() {
        assertThatThrownBy(() -> Input.required(NAME).matching("(").oneOf(List.of()).defaultValue("x").build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageStartingWith("Input Name: 3 problems")
                .satisfies(e -> assertThat(((PlanValidationException) e).problems()).containsExactly(
                        "default value x is given, but the input is required: an input with a default is optional, "
                                + "so call required(false) or start from Input.optional(key, default)",
                        "pattern \"(\" is not a regular expression: Unclosed group near index 1",
                        "oneOf [] allows no value: give at least one allowed value"));
    }

    @Test
    void planInput_whenTheInputBuilderIsBad_reportsItsProblemsWithThePlans() {
        assertThatThrownBy(() -> Plan.builder("p").input(NAME, i -> i.matching("[a-z")).step(Step.mutating("a")
                .run(ctx -> { })).build())
                .isInstanceOf(PlanValidationException.class)
                .satisfies(e -> assertThat(((PlanValidationException) e).problems()).containsExactly(
                        "input Name: pattern \"[a-z\" is not a regular expression: Unclosed character class near index 3"));
    }

    @Test
    void planInput_withACustomizer_declaresTheInputWithItsRules() {
        Plan plan = Plan.builder("p").input(NAME, i -> i.matching("[a-z]+").describedAs("who")).step(Step.mutating("a")
                .run(ctx -> { })).build();

        assertThat(plan.inputs()).singleElement().satisfies(in -> {
            assertThat(in.isRequired()).isTrue();
            assertThat(in.rules()).containsExactly("match [a-z]+");
            assertThat(in.description()).isEqualTo("who");
        });
    }

    @Test
    void stepRetry_withACustomizer_startsFromTheBuilderDefaults() {
        Step<Void> s = Step.mutating("a").retry(r -> r.maxAttempts(5)).run(ctx -> { }).build();

        assertThat(s.retry()).isEqualTo(RetryPolicy.builder().maxAttempts(5).build());
    }

    @Test
    void stepBuild_whenTheRetryCustomizerMakesABadPolicy_listsItsProblemsWithTheSteps() {
        assertThatThrownBy(() -> Step.mutating("a").retry(r -> r.maxAttempts(0)).build())
                .isInstanceOf(PlanValidationException.class)
                .satisfies(e -> assertThat(((PlanValidationException) e).problems()).containsExactly(
                        "action is not set: call action(ctx -> ...) or run(ctx -> ...)",
                        "retry: maxAttempts 0 must be at least 1"));
    }

    @Test
    void toBuilder_whenBuiltUnchanged_givesAnEqualValue() {
        Step<String> step = Step.mutating("backup").output(IMAGE).describedAs("snapshot").reads(NAME)
                .timeout(Duration.ofMinutes(5)).rerunnable("looks first").action(ctx -> "ami-1").build();
        RetryPolicy policy = RetryPolicy.builder().backoff(Duration.ofSeconds(2), Duration.ofMinutes(1)).jitter(0.1)
                .abortOn(IllegalArgumentException.class).attemptTimeout(Duration.ofMinutes(1)).build();
        Input<String> input = Input.optional(NAME, "x").matching("[a-z]").describedAs("who").build();

        assertThat(step.toBuilder().build()).isEqualTo(step).hasToString(step.toString());
        assertThat(step.withTimeout(Duration.ofMinutes(5))).isEqualTo(step);
        assertThat(policy.toBuilder().build()).isEqualTo(policy);
        assertThat(input.toBuilder().build()).isEqualTo(input);
        assertThat(step.toBuilder().name("other").build().description()).isEqualTo("snapshot");
    }

    @Test
    void stepToBuilder_whenOutputIsChanged_reportsOutputAfterAction() {
        Step<String> step = Step.mutating("backup").output(IMAGE).action(ctx -> "ami-1").build();

        assertThatThrownBy(() -> step.toBuilder().output(NAME).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessage("Step \"backup\": output(Name) was called after action(...): call output(Name) before "
                        + "action(...), since the output key fixes the action's type");
    }
}
