package dev.stepwise.cli;

import dev.stepwise.aviatrix.AviatrixClient;
import dev.stepwise.aviatrix.BackupRequest;
import dev.stepwise.aviatrix.CloudType;
import dev.stepwise.aviatrix.ControllerUpgrade;
import dev.stepwise.aviatrix.Secret;
import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.report.HtmlReport;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code stepwise aviatrix-upgrade}: a thin layer over {@link ControllerUpgrade}; it holds no password. */
@Command(name = "aviatrix-upgrade", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = StepwiseCli.Version.class,
        description = {"Steps an Aviatrix controller up its release train, one allowed hop at a time.", "",
            "Per hop: a backup, the upgrade in the controller era's own protocol, polling, a new login and checks",
            "of the controller and the gateways; one more backup after the last hop.",
            "The password comes from " + StepwiseCli.PASSWORD_VARIABLE + " or a prompt, never from an option."})
final class AviatrixUpgradeCommand implements Callable<Integer> {
    private final StepwiseCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--controller", required = true, paramLabel = "https://HOST[:PORT]", description = "The controller.")
    String controller;

    @Option(names = "--username", required = true, paramLabel = "USER", description = "The controller user.")
    String username;

    @Option(names = "--target", required = true, paramLabel = "VERSION", description = "The version to reach, e.g. 6.8, or latest.")
    String target;

    @Option(names = "--train-file", required = true, paramLabel = "FILE",
            description = "The releases you follow, one per line; # starts a comment.")
    String trainFile;

    @Option(names = "--backup-account", required = true, paramLabel = "NAME",
            description = "The access account that writes each hop's backup.")
    String backupAccount;

    @Option(names = "--backup-bucket", paramLabel = "NAME",
            description = "The bucket that holds the backups (AWS, AWS_GOV, GCP, OCI).")
    String backupBucket;

    @Option(names = "--backup-storage", paramLabel = "NAME", description = "The storage account that holds the backups (AZURE).")
    String backupStorage;

    @Option(names = "--backup-container", paramLabel = "NAME", description = "The storage container of the backups (AZURE).")
    String backupContainer;

    @Option(names = "--backup-region", paramLabel = "REGION", description = "The region of the backup storage (AZURE, OCI).")
    String backupRegion;

    @Option(names = "--backup-cloud", paramLabel = "CLOUD", description = "The bucket's cloud: AWS (default), GCP, AZURE, OCI, AWS_GOV.")
    String backupCloud;

    @Option(names = "--gateway", paramLabel = "NAME",
            description = "Check only these gateways after each hop; repeat for more (default: every gateway).")
    List<String> gateways = new ArrayList<>();

    @Option(names = "--upgrade-gateways",
            description = "Also move the gateways to each hop's version, HA gateways first, one per call (from 6.5).")
    boolean upgradeGateways;

    @Option(names = "--journal", paramLabel = "DIR", description = "Record the run in DIR, so a crashed run can be resumed.")
    Path journal;

    @Mixin
    ActOptions run;

    AviatrixUpgradeCommand(StepwiseCli cli) {
        this.cli = cli;
    }

    /** Refuses a password on the command line, where every user of the host (ps) and the shell history see it. */
    @Option(names = "--password", hidden = true, arity = "0..1", paramLabel = "-")
    void password(String ignored) {
        throw new ParameterException(spec.commandLine(), "--password is not accepted, because a password on the "
                + "command line is visible to other users and kept in shell history; set " + StepwiseCli.PASSWORD_VARIABLE
                + " or let the tool prompt for it");
    }

    /** The checked options; they hold no password, which is read only when the command runs. */
    record Checked(URI controller, List<String> train, CloudType cloud) {
    }

    /** Checks every option with the library's own builders, before any prompt and without any call. */
    Checked check() {
        URI uri = Checks.controller(controller);
        CloudType cloud = backupCloud == null ? CloudType.AWS : Checks.cloud(backupCloud);
        List<String> train = Checks.train(trainFile);
        try {
            // the library's builders hold the rules; building once with a stand-in password keeps the tool and the
            // library in step and names every problem at once (nothing is sent)
            AviatrixClient probe = AviatrixClient.builder().controller(uri).username(username)
                    .password(Secret.of("stand-in")).build();
            ControllerUpgrade.builder().client(probe).target(target).train(train).gateways(gateways)
                    .upgradeGateways(upgradeGateways).backup(backup(cloud)).build();
        } catch (PlanValidationException e) {
            throw new UsageException(e.getMessage());
        }
        return new Checked(uri, train, cloud);
    }

    @Override
    public Integer call() {
        Checked o = check();
        char[] password = password(o.controller());
        AviatrixClient client;
        try {
            client = AviatrixClient.builder().controller(o.controller()).username(username).password(password).build();
        } finally {
            Arrays.fill(password, '\0');
        }
        ControllerUpgrade upgrade = ControllerUpgrade.builder().client(client).train(o.train()).gateways(gateways)
                .upgradeGateways(upgradeGateways).backup(backup(o.cloud())).build();
        Plan plan = upgrade.plan();
        Inputs inputs = Inputs.of(ControllerUpgrade.TARGET_VERSION, target);
        StepwiseCli.checkInputs(plan, inputs);
        try (Progress progress = cli.progress(run)) {
            RunResult result = StepwiseCli.runner(run, Optional.ofNullable(journal), progress).run(plan, inputs);
            progress.close();
            return cli.finish(result.toString(), result::toJson, result.isSuccess(), run, () -> HtmlReport.of(plan, result));
        }
    }

    /** The backup request; the library checks which fields the cloud needs, when it is built. */
    private BackupRequest backup(CloudType cloud) {
        BackupRequest.Builder b = BackupRequest.builder().cloudType(cloud).accountName(backupAccount);
        Optional.ofNullable(backupBucket).ifPresent(b::bucketName);
        Optional.ofNullable(backupStorage).ifPresent(b::storageName);
        Optional.ofNullable(backupContainer).ifPresent(b::containerName);
        Optional.ofNullable(backupRegion).ifPresent(b::region);
        return b.build();
    }

    private char[] password(URI controller) {
        String fromEnv = cli.env.get(StepwiseCli.PASSWORD_VARIABLE);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return fromEnv.toCharArray();
        }
        char[] typed = cli.prompt.read("Password for " + username + " on " + controller.getHost() + ": ");
        if (typed == null || typed.length == 0) {
            throw new UsageException("no password: set " + StepwiseCli.PASSWORD_VARIABLE
                    + " or run in a terminal to be prompted (there is no --password option, on purpose)");
        }
        return typed;
    }
}
