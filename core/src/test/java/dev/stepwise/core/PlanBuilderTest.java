package dev.stepwise.core;

import static dev.stepwise.core.Fixtures.IMAGE;
import static dev.stepwise.core.Fixtures.INSTANCE_ID;
import static dev.stepwise.core.Fixtures.MISSING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.OnFailure;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PlanBuilderTest {

    private static Step<Void> noop(String name) {
        return Step.readOnly(name).run(ctx -> { }).build();
    }

    @Test
    void build_whenStepNamesRepeat_namesTheDuplicate() {
        assertThatThrownBy(() -> Plan.builder("p").step(noop("a")).step(noop("a")).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("step name \"a\" is used more than once");
    }

    @Test
    void build_whenDuplicateIsInsideABranch_stillFindsIt() {
        assertThatThrownBy(() -> Plan.builder("p").step(noop("a"))
                .when("x", ctx -> true, then -> then.step(noop("a"))).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("\"a\" is used more than once");
    }

    @Test
    void build_whenGoToNamesUnknownStep_namesStepAndTarget() {
        assertThatThrownBy(() -> Plan.builder("p")
                .step(Step.readOnly("a").run(ctx -> { }).onFailure(OnFailure.goTo("cleanup")))
                .build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("step \"a\" goes to \"cleanup\" on failure, but no step has that name");
    }

    @Test
    void build_whenGoToJumpsBackward_isRefused() {
        assertThatThrownBy(() -> Plan.builder("p").step(noop("first"))
                .step(Step.readOnly("second").run(ctx -> { }).onFailure(OnFailure.goTo("first")))
                .build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("does not come after it");
    }

    @Test
    void build_whenStepReadsKeyNothingProduces_namesStepAndKey() {
        assertThatThrownBy(() -> Plan.builder("p")
                .step(Step.readOnly("install").reads(IMAGE).run(ctx -> { }))
                .build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("step \"install\" reads backupImageId, which no input or earlier step surely produces");
    }

    @Test
    void build_whenKeyIsProducedInOnlyOneArm_refusesReadAfterBranch() {
        assertThatThrownBy(() -> Plan.builder("p")
                .branch("b", ctx -> true,
                        then -> then.step(Step.readOnly("make").output(IMAGE).action(ctx -> "ami-1")),
                        otherwise -> otherwise.step(noop("other")))
                .step(Step.readOnly("use").reads(IMAGE).run(ctx -> { }))
                .build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("step \"use\" reads backupImageId");
    }

    @Test
    void build_whenOtherArmEnds_acceptsReadAfterBranch() {
        Plan plan = Plan.builder("p")
                .branch("b", ctx -> true,
                        then -> then.step(Step.readOnly("make").output(IMAGE).action(ctx -> "ami-1")),
                        otherwise -> otherwise.end("nothing to do"))
                .step(Step.readOnly("use").reads(IMAGE).run(ctx -> { }))
                .build();
        assertThat(plan.steps()).extracting(Step::name).containsExactly("make", "use");
    }

    @Test
    void build_whenProducerMayFailAndContinue_refusesDependentRead() {
        assertThatThrownBy(() -> Plan.builder("p")
                .step(Step.readOnly("make").output(IMAGE).action(ctx -> "ami-1").onFailure(OnFailure.continueRun()))
                .step(Step.readOnly("use").reads(IMAGE).run(ctx -> { }))
                .build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("reads backupImageId");
    }

    @Test
    void build_whenStepsFollowAnEnd_reportsUnreachableNodes() {
        assertThatThrownBy(() -> Plan.builder("p").step(noop("a")).end("done").step(noop("b")).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("nodes after end \"done\" can never run");
    }

    @Test
    void build_withSeveralProblems_listsThemAll() {
        PlanValidationException e = org.junit.jupiter.api.Assertions.assertThrows(PlanValidationException.class,
                () -> Plan.builder("bad name!").step(noop("a")).step(noop("a"))
                        .step(Step.readOnly("c").reads(MISSING).run(ctx -> { })).build());
        assertThat(e.problems()).hasSize(3);
        assertThat(e.getMessage()).contains("3 problems").contains("name \"bad name!\"");
    }

    @Test
    void build_withNoSteps_isRefused() {
        assertThatThrownBy(() -> Plan.builder("empty").build())
                .isInstanceOf(PlanValidationException.class).hasMessageContaining("has no steps");
    }

    @Test
    void input_declaredTwice_isRefused() {
        assertThatThrownBy(() -> Plan.builder("p").input(INSTANCE_ID).input(Input.optional(INSTANCE_ID, "i-1"))
                .step(noop("a")).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("input InstanceId is declared twice");
    }

    @Test
    void stepBuild_withoutAction_saysHowToFixIt() {
        assertThatThrownBy(() -> Step.mutating("x").build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessage("Step \"x\": action is not set: call action(ctx -> ...) or run(ctx -> ...)");
    }

    @Test
    void stepBuild_withZeroTimeout_namesTheValue() {
        assertThatThrownBy(() -> Step.mutating("x").run(ctx -> { }).timeout(Duration.ZERO).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("timeout PT0S must be positive");
    }

    @Test
    void stepBuild_withMalformedName_namesTheRule() {
        assertThatThrownBy(() -> Step.mutating("").run(ctx -> { }).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("name \"\" does not match");
    }

    @Test
    void stepBuild_whenOutputComesAfterAction_isRefusedWithAReason() {
        assertThatThrownBy(() -> Step.readOnly("x").action(ctx -> null).output(IMAGE).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("call output(backupImageId) before action");
    }

    @Test
    void nullArguments_throwNullPointerExceptionNamingTheArgument() {
        assertThatThrownBy(() -> Plan.builder("p").step((Step<?>) null))
                .isInstanceOf(NullPointerException.class).hasMessage("step");
        assertThatThrownBy(() -> Key.of(null, String.class)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void keyOf_withMalformedName_namesTheRule() {
        assertThatThrownBy(() -> Key.of("1abc", String.class))
                .isInstanceOf(dev.stepwise.core.PlanValidationException.class)
                .hasMessageContaining("Key name \"1abc\" does not match");
    }

    @Test
    void fingerprint_changesWhenStructureChanges() {
        Plan a = Plan.builder("p").step(noop("a")).build();
        Plan same = Plan.builder("p").step(noop("a")).build();
        Plan other = Plan.builder("p").step(noop("a")).step(noop("b")).build();
        assertThat(a.fingerprint()).isEqualTo(same.fingerprint()).isNotEqualTo(other.fingerprint());
    }

    @Test
    void toBuilder_whenBuiltUnchanged_keepsOutlineAndFingerprint() {
        Plan plan = Plan.builder("p").describedAs("patch one host").input(INSTANCE_ID, i -> i.matching("i-[0-9a-f]+"))
                .step(noop("a")).when("x", ctx -> true, then -> then.step(noop("b"))).build();

        Plan copy = plan.toBuilder().build();

        assertThat(copy.fingerprint()).isEqualTo(plan.fingerprint());
        assertThat(copy.outline()).isEqualTo(plan.outline());
        assertThat(copy.inputs()).isEqualTo(plan.inputs());
    }

    @Test
    void toBuilder_whenAStepIsAdded_keepsTheOthersInOrder() {
        Plan plan = Plan.builder("p").step(noop("a")).build();

        Plan longer = plan.toBuilder().step(noop("b")).build();

        assertThat(longer.steps()).extracting(Step::name).containsExactly("a", "b");
        assertThat(plan.steps()).extracting(Step::name).containsExactly("a");
    }
}
