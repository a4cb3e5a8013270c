package dev.stepwise.core;

import static dev.stepwise.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Prediction;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.Runner;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void print() {
        Plan plan = Plan.builder("patch-db-host")
                .input(Input.required(INSTANCE_ID).matching("i-[0-9a-f]{8,17}"))
                .require("instance is Windows", ctx -> true)
                .step(Step.mutating("createImage").output(IMAGE).reads(INSTANCE_ID)
                        .predict(ctx -> java.util.List.of(Prediction.call("ec2", "CreateImage", Map.of("InstanceId", ctx.get(INSTANCE_ID)))))
                        .action(ctx -> "ami-123"))
                .step(Step.readOnly("scan").output(MISSING).action(ctx -> 3))
                .branch("anything missing?", ctx -> ctx.get(MISSING) > 0,
                        then -> then.step(Step.mutating("install").run(ctx -> { })),
                        otherwise -> otherwise.end("nothing to install"))
                .build();
        System.out.println(plan);
        System.out.println(plan.toMermaid());
        RunResult dry = Runner.create().dryRun().run(plan, Inputs.of(INSTANCE_ID, "i-0123456789abcdef0"));
        System.out.println(dry);
        RunResult live = Runner.create().run(plan, Inputs.of(INSTANCE_ID, "i-0123456789abcdef0"));
        System.out.println(live);
        System.out.println(live.toJson());
        assertThat(live.isSuccess()).isTrue();
    }
}
