package dev.stepwise.cli;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.patch.PatchRollout;
import dev.stepwise.aws.patch.PatchRolloutResult;
import dev.stepwise.aws.patch.PatchTargets;
import dev.stepwise.aws.patch.Pin;
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
            "exactly what non-production verified on production (the pinned list), if production's patches match.",
            "With --journal and --park, the tool records the rollout, prints its id and exits at the first long wait",
            "(soak, approval, window); 'stepwise rollout resume ID --journal DIR' from a daily job continues it.",
            "Without --park it stays running through the soak."})
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

    @Option(names = "--pin-bucket", paramLabel = "BUCKET",
            description = "The S3 bucket the verified patch list is written to for production's install (the default pin).")
    String pinBucket;

    @Option(names = "--pin-prefix", paramLabel = "PREFIX", defaultValue = "",
            description = "The key prefix of that list in the bucket, e.g. monthly/.")
    String pinPrefix;

    @Option(names = "--unpinned",
            description = "Let production install whatever its baseline approves at that moment (warned; not the default).")
    boolean unpinned;

    @Option(names = "--health-alarm", paramLabel = "NAME",
            description = {"A CloudWatch metric alarm watched through the soak (every --health-watch-every) and after",
                "it; one in ALARM halts before production. Repeat for more."})
    java.util.List<String> healthAlarms = new java.util.ArrayList<>();

    @Option(names = "--health-alarm-prefix", paramLabel = "PREFIX",
            description = "Every metric alarm whose name starts with PREFIX, watched as --health-alarm.")
    String healthAlarmPrefix;

    @Option(names = "--health-watch-every", paramLabel = "DURATION",
            description = "How often the health alarms are checked during the soak: 1h (default), 6h, 1d.")
    String healthWatchEvery;

    @Option(names = "--non-prod-approve-until", paramLabel = "YYYY-MM-DD",
            description = {"A cut-off for long soaks: non-production installs only patches released on or before this",
                "day (UTC), through a BaselineOverride in the pin bucket. Not on Debian or Ubuntu (AWS does not apply",
                "ApproveUntilDate there): such instances are refused before any change."})
    String approveUntil;

    @Option(names = "--accept-uncovered-os",
            description = {"Leave production instances on an OS no non-production instance covered unpatched (named,",
                "warned) instead of halting the rollout."})
    boolean acceptUncoveredOs;

    @Option(names = "--journal", paramLabel = "DIR",
            description = "Record the rollout in DIR (its parameters too), so 'rollout status|approve|resume ID' work on it.")
    java.nio.file.Path journal;

    @Option(names = "--rollout-id", paramLabel = "ID",
            description = {"Start the rollout under ID, or, when --journal already holds ID, resume it: the same",
                "command line can run from a daily job for the whole rollout. Needs --journal."})
    String rolloutId;

    @Option(names = "--park", paramLabel = "DURATION",
            description = "Exit (status 0, WAITING) instead of waiting longer than DURATION, e.g. 1h; needs --journal.")
    String park;

    @Mixin
    AwsOptions aws;

    @Mixin
    ActOptions run;

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

    Optional<Duration> healthWatchEvery() {
        return Optional.ofNullable(healthWatchEvery).map(d -> Checks.duration("--health-watch-every", d));
    }

    Optional<java.time.LocalDate> approveUntil() {
        if (approveUntil == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(java.time.LocalDate.parse(approveUntil));
        } catch (java.time.format.DateTimeParseException e) {
            throw new UsageException("--non-prod-approve-until \"" + approveUntil + "\" must be a date as YYYY-MM-DD (UTC)");
        }
    }

    /** Checks every option; no call is made. */
    void check() {
        nonProduction();
        production();
        soak();
        approveUntil();
        if (healthWatchEvery().isPresent() && healthAlarms.isEmpty() && healthAlarmPrefix == null) {
            throw new UsageException("--health-watch-every \"" + healthWatchEvery + "\" needs --health-alarm or "
                    + "--health-alarm-prefix: it says how often they are watched");
        }
        if (pinBucket != null && unpinned) {
            throw new UsageException("--pin-bucket \"" + pinBucket + "\" and --unpinned contradict each other: give one");
        }
        if (pinBucket == null && !unpinned) {
            throw new UsageException("production needs a pin: give --pin-bucket BUCKET (production installs exactly "
                    + "what non-production verified) or, knowingly, --unpinned");
        }
        if (rolloutId != null && journal == null) {
            throw new UsageException("--rollout-id \"" + rolloutId + "\" needs --journal DIR: the id names a journaled rollout");
        }
        if (park != null) {
            Checks.duration("--park", park);
            if (journal == null) {
                throw new UsageException("--park \"" + park + "\" needs --journal DIR: a parked rollout resumes from its journal");
            }
        }
        aws.check();
    }

    @Override
    public Integer call() {
        check();
        Checks.Tag nonProduction = nonProduction();
        Checks.Tag production = production();
        try (AwsContext context = aws.context(); Progress progress = cli.progress(run)) {
            PatchRollout.Builder b = PatchRollout.builder("stepwise-cli-patching", context)
                    .nonProduction(PatchTargets.tagged(context, nonProduction.key(), nonProduction.values()))
                    .production(PatchTargets.tagged(context, production.key(), production.values()))
                    .soak(soak());
            if (rolloutId != null) {
                b.rolloutId(rolloutId);
            }
            if (!healthAlarms.isEmpty()) {
                b.healthAlarms(healthAlarms);
            }
            if (healthAlarmPrefix != null) {
                b.healthAlarmPrefix(healthAlarmPrefix);
            }
            healthWatchEvery().ifPresent(b::healthWatchEvery);
            approveUntil().ifPresent(b::nonProductionApproveUntil);
            if (acceptUncoveredOs) {
                b.acceptUncoveredProductionOs();
            }
            if (unpinned) {
                b.unpinnedProduction();
            } else {
                b.pin(Pin.s3(pinBucket, pinPrefix));
            }
            PatchRollout rollout;
            try {
                rollout = b.build();
            } catch (dev.stepwise.core.PlanValidationException e) {
                throw new UsageException(e.getMessage());
            }
            // fleet work takes a while: the rollout's events say it is moving; per-target runs stay quiet
            Runner runner = StepwiseCli.runner(run, Optional.ofNullable(journal), progress);
            if (park != null) {
                runner = runner.parkLongerThan(Checks.duration("--park", park));
            }
            PatchRolloutResult result = rolloutId != null && run.execute && journaled(rolloutId)
                    ? rollout.resume(runner, rolloutId) : rollout.run(runner);
            progress.close();
            return finish(cli, run, result);
        }
    }

    /** Whether {@code --journal} already holds rollout {@code id}, so this command line resumes it. */
    private boolean journaled(String id) {
        try {
            return dev.stepwise.core.journal.JournalStore.directory(journal)
                    .exists(dev.stepwise.core.journal.RolloutJournal.journalId(id));
        } catch (java.io.IOException e) {
            throw new dev.stepwise.core.journal.JournalException("--journal \"" + journal + "\" could not be read: "
                    + e.getMessage(), e);
        }
    }

    /** Prints a patch rollout's result; a rollout parked at a long wait exits 0 and says how it goes on. */
    static int finish(StepwiseCli cli, RunOptions run, PatchRolloutResult result) {
        if (!result.dryRun()) {
            cli.err.println("Rollout id: " + result.rolloutId());
        }
        if (result.status() == RolloutStatus.WAITING) {
            // parked at a long wait: not a failure, and a scheduled job's next resume goes on
            cli.err.println("The rollout is parked: " + result.reason() + result.resumeAt().map(t -> "; resume at or after "
                    + t + " with: stepwise rollout resume " + result.rolloutId() + " --journal DIR").orElse(""));
        }
        boolean ok = result.isSuccess() || result.status() == RolloutStatus.WAITING;
        return cli.finish(result.toString(), result::toJson, ok, run, () -> HtmlReport.of(result.result())
                .titled("Patch rollout " + (result.dryRun() ? "(dry run) " : "") + result.status()));
    }
}
