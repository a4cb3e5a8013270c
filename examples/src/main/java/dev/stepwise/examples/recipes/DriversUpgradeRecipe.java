package dev.stepwise.examples.recipes;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.drivers.WindowsDriverUpgrade;
import dev.stepwise.aws.testkit.CommandOutcome;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.Runner;
import java.util.List;
import java.util.Map;

/** Recipe: the Windows drivers upgrade, online on a managed instance and offline on one SSM cannot reach. */
public final class DriversUpgradeRecipe {
    private DriversUpgradeRecipe() {
    }

    /** Runs both paths against a local Moto; returns the two live results. */
    public static List<RunResult> run() {
        try (LocalAws local = LocalAws.start()) {
            AwsContext aws = local.aws();
            String managed = local.launch(LocalAws.WINDOWS_AMI, Map.of("Name", "web-1"));
            String unreachable = local.launch(LocalAws.WINDOWS_AMI, Map.of("Name", "web-2"));
            // the scripted answers a real instance would give: its domain role (3, a member server) for the
            // read-only preflight, and an SSM agent that comes online once the offline path starts it again
            local.proxy().scenario().managedInstance(managed, "Windows")
                    .commandOutcome(managed, "AWS-RunPowerShellScript", CommandOutcome.success("3"))
                    .onlineAfterStart(unreachable);

            Plan plan = WindowsDriverUpgrade.plan(aws);
            Runner runner = Runner.create();
            System.out.println(runner.dryRun().run(plan, WindowsDriverUpgrade.inputs(managed)));
            RunResult online = runner.run(plan, WindowsDriverUpgrade.inputs(managed));
            System.out.println(online);

            RunResult offline = runner.run(plan, WindowsDriverUpgrade.inputs(unreachable)
                    .with(WindowsDriverUpgrade.ALLOW_OFFLINE, true));
            System.out.println(offline);
            offline.output(WindowsDriverUpgrade.PRE_OFFLINE_UPGRADE_BACKUP)
                    .ifPresent(ami -> System.out.println("restore point: " + ami));
            return List.of(online, offline);
        }
    }

    public static void main(String[] args) {
        System.exit(run().stream().allMatch(RunResult::isSuccess) ? 0 : 1);
    }
}
