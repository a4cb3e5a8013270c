package dev.stepwise.cli;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.patch.PatchRollout;
import dev.stepwise.aws.patch.PatchRolloutResult;
import dev.stepwise.aws.patch.PatchTargets;
import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.report.HtmlReport;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code stepwise patch-rollout}: a thin layer over {@link PatchRollout}. */
@Command(name = "patch-rollout", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = StepwiseCli.Version.class,
        description = {"Patches non-production, soaks, then production, through Patch Manager.", "",
            "Patches the non-production instances (scan, AMI backup, install, rescan, verify), soaks, then installs",
            "exactly what non-production verified on production, if production's patches match. Live, the tool",
            "stays running through the soak."})
final class PatchRolloutCommand implements Callable<Integer> {
    private final StepwiseCli cli;

    @Option(names = "--non-prod-tag", required = true, paramLabel = "KEY=VALUE[,VALUE]",
            description = "The non-production instances, by tag.")
    String nonProdTag;

    @Option(names = "--prod-tag", required = true, paramLabel = "KEY=VALUE[,VALUE]",
            description = "The production instances, by tag.")
    String prodTag;

    @Option(names = "--soak", paramLabel = "DURATION",
            description = "Time between the waves: 7d (default), 12h, 30m, or ISO-8601 such as P2D.")
    String soak;

    @Mixin
    AwsOptions aws;

    @Mixin
    RunOptions run;

    PatchRolloutCommand(StepwiseCli cli) {
        this.cli = cli;
    }

    Checks.Tag nonProduction() {
        return Checks.Tag.parse("--non-prod-tag", nonProdTag);
    }

    Checks.Tag production() {
        return Checks.Tag.parse("--prod-tag", prodTag);
    }

    Duration soak() {
        return soak == null ? PatchRollout.DEFAULT_SOAK : Checks.duration("--soak", soak);
    }

    /** Checks every option; no call is made. */
    void check() {
        nonProduction();
        production();
        soak();
        aws.check();
    }

    @Override
    public Integer call() {
        check();
        Checks.Tag nonProduction = nonProduction();
        Checks.Tag production = production();
        try (AwsContext context = aws.context(); Progress progress = cli.progress(run)) {
            PatchRollout rollout = PatchRollout.builder("stepwise-cli-patching", context)
                    .nonProduction(PatchTargets.tagged(context, nonProduction.key(), nonProduction.values()))
                    .production(PatchTargets.tagged(context, production.key(), production.values()))
                    .soak(soak())
                    .build();
            // fleet work takes a while: the rollout's events say it is moving; per-target runs stay quiet
            Runner runner = StepwiseCli.runner(run, Optional.empty(), progress);
            PatchRolloutResult result = rollout.run(runner);
            progress.close();
            if (result.status() == RolloutStatus.WAITING) {
                // parked at a long wait: not a failure, and a scheduled job's next resume goes on
                cli.err.println("The rollout is parked: " + result.reason());
            }
            boolean ok = result.isSuccess() || result.status() == RolloutStatus.WAITING;
            return cli.finish(result.toString(), result::toJson, ok, run, () -> {
                HtmlReport report = HtmlReport.of(result.staged());
                return result.production().map(report::and).orElse(report).titled("Patch rollout "
                        + (result.dryRun() ? "(dry run) " : "") + result.status());
            });
        }
    }
}
