package dev.stepwise.examples.recipes;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.patch.PatchRollout;
import dev.stepwise.aws.patch.PatchRolloutResult;
import dev.stepwise.aws.patch.PatchTargets;
import dev.stepwise.aws.testkit.Patch;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.time.Duration;
import java.util.Map;

/** Recipe: a staged patch rollout, non-production first, a week's soak, then production only if the patches match. */
public final class PatchRolloutRecipe {
    private PatchRolloutRecipe() {
    }

    /** Runs the rollout against a local Moto on a virtual clock (the week passes at once). */
    public static PatchRolloutResult run() {
        try (LocalAws local = LocalAws.start()) {
            AwsContext aws = local.aws();
            for (String env : new String[] {"dev", "prod", "prod"}) {
                String id = local.launch(LocalAws.WINDOWS_AMI, Map.of("Env", env));
                local.proxy().scenario().managedInstance(id, "Windows")
                        .patches(id, Patch.missing("KB5031356").withTitle("2023-10 Cumulative Update"));
            }
            PatchRollout rollout = PatchRollout.builder("monthly-patching", aws)
                    .nonProduction(PatchTargets.tagged(aws, "Env", "dev"))
                    .production(PatchTargets.tagged(aws, "Env", "prod"))
                    .soak(Duration.ofDays(7))
                    .productionWave(w -> w.maxConcurrency("50%").maxErrors(0))
                    .build();
            Runner runner = Runner.create().withTimeSource(VirtualTimeSource.create());
            System.out.println(rollout.dryRun(runner));
            PatchRolloutResult result = rollout.run(runner);
            System.out.println(result);
            return result;
        }
    }

    public static void main(String[] args) {
        System.exit(run().status().name().equals("SUCCEEDED") ? 0 : 1);
    }
}
