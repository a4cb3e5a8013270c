package dev.stepwise.core;

import static dev.stepwise.core.Fixtures.MISSING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.OnFailure;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.StepResult;
import dev.stepwise.core.run.StepStatus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OnFailureAndBranchTest {
    private final List<String> ran = new CopyOnWriteArrayList<>();

    private Step<Void> ok(String name) {
        return Step.mutating(name).run(ctx -> ran.add(name)).build();
    }

    private Step<Void> failing(String name, OnFailure rule) {
        return Step.mutating(name).onFailure(rule).run(ctx -> {
            ran.add(name);
            throw new IllegalStateException(name + " broke");
        }).build();
    }

    @Test
    void abort_stopsTheRunAndLeavesLaterStepsNotReached() {
        RunResult r = Runner.create().run(Plan.builder("p").step(ok("a")).step(failing("b", OnFailure.abort()))
                .step(ok("c")).build(), Inputs.empty());
        assertThat(ran).containsExactly("a", "b");
        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.step("c").orElseThrow().status()).isEqualTo(StepStatus.NOT_REACHED);
        assertThat(r.failure().message()).isEqualTo("b broke");
        assertThatThrownBy(r::orThrow).isInstanceOf(StepFailedException.class)
                .hasMessageContaining("Step \"b\" failed after 1 attempt");
    }

    @Test
    void continueRun_recordsTheFailureAndGoesOn() {
        RunResult r = Runner.create().run(Plan.builder("p").step(failing("a", OnFailure.continueRun()))
                .step(ok("b")).build(), Inputs.empty());
        assertThat(ran).containsExactly("a", "b");
        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.steps(StepStatus.FAILED)).extracting(StepResult::name).containsExactly("a");
        assertThat(r.toString()).contains("1 step failed and the plan continued past it");
    }

    @Test
    void goTo_jumpsForwardAndMarksJumpedStepsSkipped() {
        RunResult r = Runner.create().run(Plan.builder("p").step(failing("a", OnFailure.goTo("cleanup")))
                .step(ok("b")).step(ok("c")).step(ok("cleanup")).build(), Inputs.empty());
        assertThat(ran).containsExactly("a", "cleanup");
        assertThat(r.step("b").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
        assertThat(r.step("b").orElseThrow().note()).contains("\"a\" failed and goes to \"cleanup\"");
        assertThat(r.step("cleanup").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(r.status()).as("clean-up ran, but the run still failed").isEqualTo(RunStatus.FAILED);
        assertThat(r.reason()).contains("step \"a\" failed after 1 attempt").contains("went on to its on-failure step");
    }

    @ParameterizedTest
    @CsvSource({"3, install, nothing", "0, end: nothing to install, install"})
    void branch_followsTheFactBothWays(int missing, String taken, String skipped) {
        Plan plan = Plan.builder("p")
                .step(Step.readOnly("scan").output(MISSING).action(ctx -> missing))
                .branch("anything missing?", ctx -> ctx.get(MISSING) > 0,
                        then -> then.step(ok("install")),
                        otherwise -> otherwise.end("nothing to install"))
                .build();
        RunResult r = Runner.create().run(plan, Inputs.empty());
        assertThat(r.isSuccess()).isTrue();
        assertThat(r.step(taken).orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
        if (missing > 0) {
            assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(r.step("end: nothing to install").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
            assertThat(ran).containsExactly("install");
        } else {
            assertThat(r.status()).isEqualTo(RunStatus.ENDED);
            assertThat(r.reason()).isEqualTo("nothing to install");
            assertThat(r.step(skipped).orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
            assertThat(ran).isEmpty();
        }
    }

    @Test
    void require_whenCheckFails_stopsBeforeAnyChange() {
        RunResult r = Runner.create().run(Plan.builder("p").require("instance is Windows", ctx -> false)
                .step(ok("backup")).build(), Inputs.empty());
        assertThat(ran).isEmpty();
        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.reason()).isEqualTo("Precondition failed: instance is Windows");
        assertThat(r.step("backup").orElseThrow().status()).isEqualTo(StepStatus.NOT_REACHED);
    }

    @Test
    void require_whenCheckThrows_reportsTheCause() {
        RunResult r = Runner.create().run(Plan.builder("p").require("instance exists", ctx -> {
            throw new IllegalArgumentException("no instance i-0abc");
        }).step(ok("backup")).build(), Inputs.empty());
        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.reason()).contains("instance exists").contains("no instance i-0abc");
        assertThat(ran).isEmpty();
    }

    @Test
    void get_ofKeyNobodyProduced_failsWithAMessageNamingKeyAndStep() {
        RunResult r = Runner.create().run(Plan.builder("p").step(Step.readOnly("use").run(ctx -> ctx.get(MISSING)))
                .build(), Inputs.empty());
        assertThat(r.failure().message()).isEqualTo(
                "missing has no value: no input or earlier step of plan \"p\" produced it (read by \"use\")");
    }

    @Test
    void output_whenActionReturnsNull_failsTheStep() {
        RunResult r = Runner.create().run(Plan.builder("p").step(Step.readOnly("scan").output(MISSING).action(ctx -> null))
                .build(), Inputs.empty());
        assertThat(r.failure().message()).contains("declares output missing but its action returned null");
    }
}
