package dev.stepwise.examples.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.core.rollout.RolloutProgress;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.StepStatus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
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
        dev.stepwise.aws.patch.PatchRolloutResult r = PatchRolloutRecipe.run();
        assertThat(r.status()).as(r.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(r.warnings()).as("the trusted default: pinned, nothing opted out").isEmpty();
        assertThat(r.result().waves()).flatExtracting(w -> w.checkpoints())
                .filteredOn(c -> c.kind() == dev.stepwise.core.rollout.Checkpoint.Kind.SOAK).singleElement()
                .satisfies(c -> assertThat(c.detail()).contains("7 watch(es)").contains("held"));
    }

    @Test
    void aviatrix_stepsBothUpgradesToTheTarget() {
        List<RunResult> r = AviatrixUpgradeRecipe.run();
        assertThat(r).allSatisfy(x -> assertThat(x.status()).as(x.toString()).isEqualTo(RunStatus.SUCCEEDED));
    }

    @Test
    void temporal_soaksAWeek_waitsForTheApproval_thenReachesProduction() throws Exception {
        try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
            WorkflowClient client = env.getWorkflowClient();
            TemporalRecipe.worker(client).start(env.getWorkerFactory());
            TemporalRecipe.start(client, "monthly-2026-11");

            RolloutProgress soaking = until(() -> TemporalRecipe.status(client, "monthly-2026-11"),
                    p -> p.state() == RolloutProgress.State.WAITING);
            assertThat(soaking.reason()).contains("soak");
            assertThat(TemporalRecipe.PATCHED).containsOnly("dev-1", "dev-2");

            env.sleep(Duration.ofDays(7).plusHours(1));
            RolloutProgress asking = until(() -> TemporalRecipe.status(client, "monthly-2026-11"),
                    p -> p.pendingApproval().isPresent());
            assertThat(asking.pendingApproval().orElseThrow().wave()).isEqualTo("production");
            TemporalRecipe.approve(client, "monthly-2026-11", "alice");

            RolloutResult result = TemporalRecipe.await(client, "monthly-2026-11");
            assertThat(result.status()).as(result.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
            assertThat(TemporalRecipe.PATCHED).hasSize(7);
            assertThat(result.wave("production").checkpoints().get(0).approval().orElseThrow().by()).isEqualTo("alice");
        }
    }

    /** Polls {@code probe} (up to a minute) until {@code done} holds; the workflow runs on the worker's threads. */
    private static <T> T until(java.util.function.Supplier<T> probe, java.util.function.Predicate<T> done)
            throws InterruptedException {
        T v = probe.get();
        for (int i = 0; i < 600 && !done.test(v); i++) {
            Thread.sleep(100);
            v = probe.get();
        }
        return v;
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
