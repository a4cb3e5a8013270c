package dev.stepwise.cli;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.drivers.WindowsDriverUpgrade;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.report.HtmlReport;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code stepwise drivers-upgrade}: a thin layer over {@link WindowsDriverUpgrade}. */
@Command(name = "drivers-upgrade", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = StepwiseCli.Version.class,
        description = {"Upgrades the AWS drivers of a Windows EC2 instance, behind an AMI backup.", "",
            "Runs AWSSupport-UpgradeWindowsAWSDrivers' steps for the ENA, NVMe and PV drivers: online through SSM when",
            "the instance is managed, otherwise offline only with --allow-offline. Read-only preflights (Windows version,",
            "domain role, encrypted root, Marketplace AMI, what a stop would lose) run first, in dry runs too; an",
            "unmanaged instance without --allow-offline ends FAILED (exit 1): nothing was upgraded."})
final class DriversUpgradeCommand implements Callable<Integer> {
    private final StepwiseCli cli;

    @Option(names = "--instance-id", required = true, paramLabel = "i-…", description = "The Windows instance.")
    String instanceId;

    @Option(names = "--allow-offline", description = {"Allow stopping the instance for an offline upgrade: data on",
        "instance-store volumes is lost, and the public IP changes unless it is an Elastic IP (AWS's warnings)."})
    boolean allowOffline;

    @Option(names = "--refuse-stop-losses",
            description = "Offline only: refuse, before any change, when stopping would lose instance-store data or the public IP.")
    boolean refuseStopLosses;

    @Option(names = "--force-upgrade", description = "Offline only: upgrade drivers that are already the latest.")
    boolean forceUpgrade;

    @Option(names = "--subnet-id", paramLabel = "ID",
            description = "Offline only: SelectedInstanceSubnet (default), CreateNewVPC or subnet-….")
    String subnetId;

    @Option(names = "--journal", paramLabel = "DIR", description = "Record the run in DIR, so a crashed run can be resumed.")
    Path journal;

    @Mixin
    AwsOptions aws;

    @Mixin
    ActOptions run;

    DriversUpgradeCommand(StepwiseCli cli) {
        this.cli = cli;
    }

    /** Checks every option; no call is made. */
    void check() {
        Checks.matching("--instance-id", instanceId, Checks.INSTANCE_ID);
        if (subnetId != null) {
            Checks.matching("--subnet-id", subnetId, Checks.SUBNET);
        }
        aws.check();
    }

    @Override
    public Integer call() {
        check();
        try (AwsContext context = aws.context(); Progress progress = cli.progress(run)) {
            Plan plan = WindowsDriverUpgrade.plan(context);
            Inputs inputs = WindowsDriverUpgrade.inputs(instanceId)
                    .with(WindowsDriverUpgrade.ALLOW_OFFLINE, allowOffline)
                    .with(WindowsDriverUpgrade.FORCE_UPGRADE, forceUpgrade)
                    .with(WindowsDriverUpgrade.REFUSE_STOP_LOSSES, refuseStopLosses);
            if (subnetId != null) {
                inputs = inputs.with(WindowsDriverUpgrade.SUBNET_ID, subnetId);
            }
            StepwiseCli.checkInputs(plan, inputs);
            RunResult result = StepwiseCli.runner(run, Optional.ofNullable(journal), progress).run(plan, inputs);
            progress.close();
            return cli.finish(result.toString(), result::toJson, result.isSuccess(), run, () -> HtmlReport.of(plan, result));
        }
    }
}
