package dev.stepwise.core;

import static dev.stepwise.core.Fixtures.INSTANCE_ID;
import static dev.stepwise.core.Fixtures.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.Runner;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InputValidationTest {
    static final Key<String> MODE = Key.of("Mode", String.class);
    static final Key<Integer> BATCH = Key.of("Batch", Integer.class);

    private final AtomicInteger calls = new AtomicInteger();

    private Plan plan() {
        return Plan.builder("inputs")
                .input(Input.required(INSTANCE_ID).matching("i-([0-9a-f]{8}|[0-9a-f]{17})"))
                .input(Input.optional(MODE, "Scan").oneOf("Scan", "Install"))
                .input(Input.optional(BATCH, 50).rule("be between 1 and 50", n -> n >= 1 && n <= 50))
                .step(Step.mutating("act").run(ctx -> calls.incrementAndGet()))
                .build();
    }

    @Test
    void run_whenInstanceIdIsMalformed_namesInputValueAndRule_andRunsNothing() {
        assertThatThrownBy(() -> Runner.create().run(plan(), Inputs.of(INSTANCE_ID, "i-12")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("InstanceId \"i-12\" does not match i-([0-9a-f]{8}|[0-9a-f]{17})")
                .hasMessageContaining("nothing was run");
        assertThat(calls).hasValue(0);
    }

    @Test
    void run_withSeveralBadInputs_listsEveryProblemInOneError() {
        InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidInputException.class,
                () -> Runner.create().run(plan(), Inputs.of(MODE, "Delete", BATCH, 500)));
        assertThat(e.problems()).containsExactly(
                "InstanceId is required but was not given",
                "Mode \"Delete\" is not one of [Scan, Install]",
                "Batch \"500\" must be between 1 and 50");
        assertThat(calls).hasValue(0);
    }

    @Test
    void run_withUnknownInput_namesItAndTheDeclaredOnes() {
        Key<String> typo = Key.of("InstanceID", String.class);
        assertThatThrownBy(() -> Runner.create().run(plan(), Inputs.of(INSTANCE_ID, "i-0123456789abcdef0", typo, "x")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("InstanceID is not an input of this plan (inputs: InstanceId, Mode, Batch)");
    }

    @Test
    void run_withValidInputs_fillsDefaults() {
        RunResult r = Runner.create().run(plan(), Inputs.of(INSTANCE_ID, "i-0123456789abcdef0"));
        assertThat(r.inputs()).containsEntry("Mode", "Scan").containsEntry("Batch", "50");
        assertThat(calls).hasValue(1);
    }

    @Test
    void secretInput_neverShowsItsValue() {
        Plan p = Plan.builder("secret").input(Input.required(PASSWORD).rule("be at least 12 characters", s -> s.length() >= 12))
                .step(Step.readOnly("x").run(ctx -> { })).build();
        assertThatThrownBy(() -> Runner.create().run(p, Inputs.of(PASSWORD, "hunter2")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Password (secret) must be at least 12 characters")
                .satisfies(t -> assertThat(t.getMessage()).doesNotContain("hunter2"));
        RunResult ok = Runner.create().run(p, Inputs.of(PASSWORD, "correct-horse-battery"));
        assertThat(ok.toString()).contains("Password=****").doesNotContain("correct-horse");
        assertThat(ok.toJson()).doesNotContain("correct-horse");
        assertThat(Inputs.of(PASSWORD, "correct-horse-battery").toString()).doesNotContain("correct-horse");
    }
}
