package dev.stepwise.examples.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.StepStatus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs every recipe, so the examples in the docs can never rot. */
class RecipesIT {

    @Test
    void customPlan_drainsRestartsAndPutsBack() {
        RunResult r = CustomPlanRecipe.run();
        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.step("drain").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
    }

    @Test
    void driversUpgrade_takesTheOnlineAndTheOfflinePath() {
        List<RunResult> r = DriversUpgradeRecipe.run();
        assertThat(r).allSatisfy(x -> assertThat(x.status()).as(x.toString()).isEqualTo(RunStatus.SUCCEEDED));
        assertThat(r.get(0).step("installAWSPVDriverOnInstance").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(r.get(1).step("upgradeDriversOffline").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
    }

    @Test
    void patchRollout_reachesProduction() {
        assertThat(PatchRolloutRecipe.run().status()).isEqualTo(RolloutStatus.SUCCEEDED);
    }

    @Test
    void aviatrix_stepsBothUpgradesToTheTarget() {
        List<RunResult> r = AviatrixUpgradeRecipe.run();
        assertThat(r).allSatisfy(x -> assertThat(x.status()).as(x.toString()).isEqualTo(RunStatus.SUCCEEDED));
    }

    @Test
    void resume_afterTheJvmDied_doesNotRepeatTheSnapshot(@TempDir Path dir) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", cp, ResumeRecipe.class.getName(), "run", dir.toString())
                .redirectErrorStream(true).start();
        String runId = null;
        String output;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            StringBuilder all = new StringBuilder();
            String line;
            while ((line = in.readLine()) != null) {
                all.append(line).append('\n');
                if (line.startsWith("RUN-ID ")) {
                    runId = line.substring("RUN-ID ".length());
                }
            }
            output = all.toString();
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isEqualTo(137);
        assertThat(runId).as(output).isNotNull();

        RunResult resumed = ResumeRecipe.resume(dir, runId);
        assertThat(resumed.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(resumed.step("snapshot").orElseThrow().note()).contains("restored from the journal");
        assertThat(resumed.step("upgrade").orElseThrow().note()).contains("run again");
        assertThat(resumed.output(ResumeRecipe.SNAPSHOT)).contains("snap-" + runId);
    }
}
