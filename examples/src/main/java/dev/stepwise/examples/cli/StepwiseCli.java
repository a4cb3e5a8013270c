package dev.stepwise.examples.cli;

import dev.stepwise.aviatrix.AviatrixClient;
import dev.stepwise.aviatrix.BackupRequest;
import dev.stepwise.aviatrix.CloudType;
import dev.stepwise.aviatrix.ControllerUpgrade;
import dev.stepwise.aviatrix.ControllerVersion;
import dev.stepwise.aviatrix.Secret;
import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.drivers.WindowsDriverUpgrade;
import dev.stepwise.aws.patch.PatchRollout;
import dev.stepwise.aws.patch.PatchRolloutResult;
import dev.stepwise.aws.patch.PatchTargets;
import dev.stepwise.core.InvalidInputException;
import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.rollout.RolloutEvent;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.Runner;
import dev.stepwise.examples.report.HtmlReport;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command-line front end that runs Stepwise's built-in runbooks against a real AWS account or Aviatrix controller:
 * {@code drivers-upgrade}, {@code patch-rollout} and {@code aviatrix-upgrade}. It is also the worked example of
 * wrapping Stepwise in an in-house tool: parse and check everything first, build the plan, dry-run by default, act
 * only with {@code --execute}, print the result, optionally write the HTML report, and exit 0, 1 or 2.
 *
 * <p>Exit status: 0 when the run (or dry run) succeeded, 1 when it failed or stopped on an error, 2 for a bad
 * command line, always before any remote call. AWS credentials and region come from the SDK's default chain
 * (environment, profile, instance role) unless {@code --region} is given. The Aviatrix password comes from the
 * environment variable {@code AVIATRIX_PASSWORD} or a console prompt, never from a flag, and is never printed.
 * Not thread-safe: one instance per command line.
 *
 * <pre>{@code
 * java -cp "examples/target/classes:$(cat examples/target/classpath.txt)" dev.stepwise.examples.cli.StepwiseCli \
 *     drivers-upgrade --instance-id i-0123456789abcdef0 --region eu-west-1 --html report.html
 * }</pre>
 */
public final class StepwiseCli {
    /** Exit status of a run that succeeded, dry or live. */
    public static final int OK = 0;
    /** Exit status of a run that failed or stopped on an error. */
    public static final int FAILED = 1;
    /** Exit status of a command line the tool refused, before any remote call. */
    public static final int USAGE = 2;
    /** Where the Aviatrix password is read from, when set. */
    public static final String PASSWORD_VARIABLE = "AVIATRIX_PASSWORD";

    static final String DRIVERS = "drivers-upgrade";
    static final String PATCH = "patch-rollout";
    static final String AVIATRIX = "aviatrix-upgrade";

    private static final Pattern INSTANCE_ID = Pattern.compile("i-([0-9a-f]{8}|[0-9a-f]{17})");
    private static final Pattern SUBNET = Pattern.compile("SelectedInstanceSubnet|CreateNewVPC|subnet-([0-9a-f]{8}|[0-9a-f]{17})");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    private static final Pattern TAG = Pattern.compile("([^=,]+)=([^=]+)");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)([smhd])");

    /** Reads a password without echoing it; returns null when there is no terminal to ask. */
    @FunctionalInterface
    public interface PasswordPrompt {
        char[] read(String prompt);
    }

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final PasswordPrompt prompt;

    /**
     * @param out    where results go
     * @param err    where messages and progress go
     * @param env    the environment, for {@value #PASSWORD_VARIABLE}
     * @param prompt asks for the password when the environment does not hold it
     */
    public StepwiseCli(PrintStream out, PrintStream err, Map<String, String> env, PasswordPrompt prompt) {
        this.out = out;
        this.err = err;
        this.env = Map.copyOf(env);
        this.prompt = prompt;
    }

    public static void main(String[] args) {
        PasswordPrompt console = text -> {
            Console c = System.console();
            return c == null ? null : c.readPassword("%s", text);
        };
        System.exit(new StepwiseCli(System.out, System.err, System.getenv(), console).run(args));
    }

    /** Runs one command line and returns the exit status. */
    public int run(String... args) {
        List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        String command = args.length == 0 ? "" : args[0];
        try {
            return switch (command) {
                case DRIVERS -> Flags.wantsHelp(rest) ? help(DriversOptions.FLAGS) : drivers(DriversOptions.parse(rest));
                case PATCH -> Flags.wantsHelp(rest) ? help(PatchOptions.FLAGS) : patch(PatchOptions.parse(rest));
                case AVIATRIX -> Flags.wantsHelp(rest) ? help(AviatrixOptions.FLAGS) : aviatrix(AviatrixOptions.parse(rest));
                case "--help", "-h", "help" -> {
                    out.print(usage());
                    yield OK;
                }
                default -> throw new UsageException((command.isEmpty() ? "no command given" : "unknown command \"" + command
                        + "\"") + "\n\n" + usage());
            };
        } catch (UsageException e) {
            err.println("stepwise: " + e.getMessage());
            return USAGE;
        } catch (PlanValidationException e) {
            // a flag's value that the library refused before any remote call, with every problem named
            err.println("stepwise: " + command + ": " + e.getMessage());
            return USAGE;
        } catch (RuntimeException e) {
            // credentials, network, a controller that refuses: the run could not finish, which is a failed run
            err.println("stepwise: " + command + " stopped: " + e);
            return FAILED;
        }
    }

    static String usage() {
        return String.join("\n",
                "Usage: stepwise COMMAND [flags]   (each command dry-runs unless given --execute)",
                "",
                "Commands:",
                "  " + DRIVERS + "    upgrade the AWS drivers of a Windows EC2 instance, behind an AMI backup",
                "  " + PATCH + "      patch instances tagged non-production, soak, then production through Patch Manager",
                "  " + AVIATRIX + "   step an Aviatrix controller up its release train, one allowed hop at a time",
                "",
                "Run 'stepwise COMMAND --help' for a command's flags. Exit status: 0 success, 1 failed run, 2 bad command line.",
                "");
    }

    private int help(Flags flags) {
        out.print(flags.help());
        return OK;
    }

    // ---- drivers-upgrade ----

    /** A checked {@code drivers-upgrade} command line. */
    record DriversOptions(String instanceId, boolean allowOffline, boolean forceUpgrade, Optional<String> subnetId,
            AwsOptions aws, Optional<Path> journal, RunOptions run) {
        static final Flags FLAGS = AwsOptions.add(RunOptions.add(new Flags(DRIVERS,
                "Upgrades the ENA, NVMe and PV drivers of one Windows instance (AWSSupport-UpgradeWindowsAWSDrivers):\n"
                        + "online through SSM when the instance is managed, otherwise offline only with --allow-offline.")
                .value("--instance-id", "i-…", "the Windows instance (required)")
                .toggle("--allow-offline", "allow stopping the instance for an offline upgrade: data on "
                        + "instance-store volumes is lost and the public IP changes unless it is an Elastic IP")
                .toggle("--force-upgrade", "offline only: upgrade drivers that are already the latest")
                .value("--subnet-id", "ID", "offline only: SelectedInstanceSubnet (default), CreateNewVPC or subnet-…")
                .value("--journal", "DIR", "record the run in DIR, so a crashed run can be resumed")));

        static DriversOptions parse(List<String> args) {
            Flags.Parsed f = FLAGS.parse(args);
            String id = matching(f, "--instance-id", f.required("--instance-id"), INSTANCE_ID);
            Optional<String> subnet = f.value("--subnet-id").map(s -> matching(f, "--subnet-id", s, SUBNET));
            return new DriversOptions(id, f.on("--allow-offline"), f.on("--force-upgrade"), subnet, AwsOptions.of(f),
                    f.value("--journal").map(Path::of), RunOptions.of(f));
        }
    }

    private int drivers(DriversOptions o) {
        try (AwsContext aws = o.aws().context()) {
            Plan plan = WindowsDriverUpgrade.plan(aws);
            Inputs inputs = WindowsDriverUpgrade.inputs(o.instanceId())
                    .with(WindowsDriverUpgrade.ALLOW_OFFLINE, o.allowOffline())
                    .with(WindowsDriverUpgrade.FORCE_UPGRADE, o.forceUpgrade());
            if (o.subnetId().isPresent()) {
                inputs = inputs.with(WindowsDriverUpgrade.SUBNET_ID, o.subnetId().get());
            }
            checkInputs(plan, inputs);
            RunResult result = runner(o.run(), o.journal()).run(plan, inputs);
            return finish(result.toString(), result.isSuccess(), o.run(), () -> HtmlReport.of(plan, result));
        }
    }

    // ---- patch-rollout ----

    /** A checked {@code patch-rollout} command line. */
    record PatchOptions(Tag nonProduction, Tag production, Duration soak, AwsOptions aws, RunOptions run) {
        static final Flags FLAGS = AwsOptions.add(RunOptions.add(new Flags(PATCH,
                "Patches the non-production instances through Patch Manager (scan, AMI backup, install, rescan, verify),\n"
                        + "soaks, then installs exactly what non-production verified on production, if production's\n"
                        + "patches match. Live, the tool stays running through the soak.")
                .value("--non-prod-tag", "KEY=VALUE[,VALUE]", "the non-production instances, by tag (required)")
                .value("--prod-tag", "KEY=VALUE[,VALUE]", "the production instances, by tag (required)")
                .value("--soak", "DURATION", "time between the waves: 7d (default), 12h, 30m, or ISO-8601 such as P2D")));

        static PatchOptions parse(List<String> args) {
            Flags.Parsed f = FLAGS.parse(args);
            return new PatchOptions(Tag.parse("--non-prod-tag", f.required("--non-prod-tag")),
                    Tag.parse("--prod-tag", f.required("--prod-tag")),
                    f.value("--soak").map(s -> duration("--soak", s)).orElse(PatchRollout.DEFAULT_SOAK),
                    AwsOptions.of(f), RunOptions.of(f));
        }
    }

    /** One EC2 tag key and the values that select instances. */
    record Tag(String key, List<String> values) {
        static Tag parse(String flag, String text) {
            Matcher m = TAG.matcher(text);
            List<String> values = m.matches() ? List.of(m.group(2).split(",", -1)) : List.of();
            if (!m.matches() || m.group(1).isBlank() || values.stream().anyMatch(String::isBlank)) {
                throw new UsageException(flag + " \"" + text + "\" must be KEY=VALUE[,VALUE…] with no empty key or value, "
                        + "e.g. Env=dev,test");
            }
            return new Tag(m.group(1).strip(), values.stream().map(String::strip).toList());
        }
    }

    private int patch(PatchOptions o) {
        try (AwsContext aws = o.aws().context()) {
            PatchRollout rollout = PatchRollout.builder("stepwise-cli-patching", aws)
                    .nonProduction(PatchTargets.tagged(aws, o.nonProduction().key(), o.nonProduction().values()))
                    .production(PatchTargets.tagged(aws, o.production().key(), o.production().values()))
                    .soak(o.soak())
                    .build();
            // fleet work takes a while: a line per wave, checkpoint and target tells the operator it is moving
            Runner runner = Runner.create().withRolloutListener(this::progress);
            PatchRolloutResult result = rollout.run(o.run().execute() ? runner : runner.dryRun());
            return finish(result.toString(), result.isSuccess(), o.run(), () -> {
                HtmlReport report = HtmlReport.of(result.staged());
                return result.production().map(report::and).orElse(report).titled("Patch rollout "
                        + (result.dryRun() ? "(dry run) " : "") + result.status());
            });
        }
    }

    private void progress(RolloutEvent e) {
        if (e instanceof RolloutEvent.WaveStarted w) {
            err.println("wave " + w.wave() + ": " + w.total() + " target(s)");
        } else if (e instanceof RolloutEvent.TargetFinished t) {
            err.println("  " + t.target() + " " + t.status());
        } else if (e instanceof RolloutEvent.CheckpointFinished c) {
            err.println("before " + c.wave() + ": " + c.result());
        } else if (e instanceof RolloutEvent.WaveFinished w) {
            err.println("wave " + w.wave() + " " + w.status() + (w.reason().isEmpty() ? "" : ": " + w.reason()));
        }
    }

    // ---- aviatrix-upgrade ----

    /** A checked {@code aviatrix-upgrade} command line; it holds no password, which is read only when it runs. */
    record AviatrixOptions(URI controller, String username, String target, List<String> train, CloudType backupCloud,
            String backupAccount, String backupBucket, List<String> gateways, Optional<Path> journal, RunOptions run) {
        static final Flags FLAGS = RunOptions.add(new Flags(AVIATRIX,
                "Steps an Aviatrix controller to --target along the hops its release rules allow: per hop a backup,\n"
                        + "the upgrade, polling, a new login and checks of the controller and the gateways. The password\n"
                        + "comes from " + PASSWORD_VARIABLE + " or a prompt, never from a flag.")
                .value("--controller", "https://HOST[:PORT]", "the controller (required)")
                .value("--username", "USER", "the controller user (required)")
                .value("--target", "VERSION", "the version to reach, e.g. 6.8, or latest (required)")
                .value("--train-file", "FILE", "the releases you follow, one per line; # starts a comment (required)")
                .value("--backup-account", "NAME", "the access account that writes each hop's backup (required)")
                .value("--backup-bucket", "NAME", "the bucket that holds the backups (required)")
                .value("--backup-cloud", "CLOUD", "the bucket's cloud: AWS (default), GCP, AZURE, OCI, AWS_GOV")
                .repeatable("--gateway", "NAME", "a gateway to check after each hop; repeat for more")
                .value("--journal", "DIR", "record the run in DIR, so a crashed run can be resumed"));

        static AviatrixOptions parse(List<String> args) {
            Flags.Parsed f = FLAGS.parse(args);
            URI controller = StepwiseCli.controller(f.required("--controller"));
            String username = f.required("--username");
            String target = f.required("--target");
            String account = f.required("--backup-account");
            String bucket = f.required("--backup-bucket");
            CloudType cloud = f.value("--backup-cloud").map(StepwiseCli::cloud).orElse(CloudType.AWS);
            List<String> train = StepwiseCli.train(f.required("--train-file"));
            List<String> gateways = f.values("--gateway");
            try {
                // the library's own builders hold the rules; building once, with a stand-in password and before any
                // prompt, keeps the tool and the library in step and names every problem at once (nothing is sent)
                AviatrixClient probe = AviatrixClient.builder().controller(controller).username(username)
                        .password(Secret.of("stand-in")).build();
                ControllerUpgrade.builder().client(probe).target(target).train(train).gateways(gateways)
                        .backup(BackupRequest.of(cloud, account, bucket)).build();
            } catch (PlanValidationException e) {
                throw new UsageException(AVIATRIX + ": " + e.getMessage());
            }
            return new AviatrixOptions(controller, username, target, train, cloud, account, bucket, gateways,
                    f.value("--journal").map(Path::of), RunOptions.of(f));
        }
    }

    private int aviatrix(AviatrixOptions o) {
        char[] password = password(o);
        AviatrixClient client;
        try {
            client = AviatrixClient.builder().controller(o.controller()).username(o.username()).password(password).build();
        } finally {
            Arrays.fill(password, '\0');
        }
        ControllerUpgrade upgrade = ControllerUpgrade.builder().client(client).train(o.train()).gateways(o.gateways())
                .backup(BackupRequest.of(o.backupCloud(), o.backupAccount(), o.backupBucket())).build();
        Plan plan = upgrade.plan();
        Inputs inputs = Inputs.of(ControllerUpgrade.TARGET_VERSION, o.target());
        checkInputs(plan, inputs);
        RunResult result = runner(o.run(), o.journal()).run(plan, inputs);
        return finish(result.toString(), result.isSuccess(), o.run(), () -> HtmlReport.of(plan, result));
    }

    private char[] password(AviatrixOptions o) {
        String fromEnv = env.get(PASSWORD_VARIABLE);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return fromEnv.toCharArray();
        }
        char[] typed = prompt.read("Password for " + o.username() + " on " + o.controller().getHost() + ": ");
        if (typed == null || typed.length == 0) {
            throw new UsageException(AVIATRIX + ": no password: set " + PASSWORD_VARIABLE
                    + " or run in a terminal to be prompted (there is no --password flag, on purpose)");
        }
        return typed;
    }

    // ---- shared parts ----

    /** The switches every command has: act or only dry-run, and where to write the HTML report. */
    record RunOptions(boolean execute, Optional<Path> html) {
        static Flags add(Flags f) {
            return f.toggle("--execute", "act; without it the command only dry-runs (read-only checks, predicted changes)")
                    .value("--html", "FILE", "also write a self-contained HTML report of the result to FILE");
        }

        static RunOptions of(Flags.Parsed f) {
            return new RunOptions(f.on("--execute"), f.value("--html").map(Path::of));
        }
    }

    /** Where AWS calls go: a region (else the SDK's default chain) and, for tests or private endpoints, an endpoint. */
    record AwsOptions(Optional<String> region, Optional<URI> endpoint) {
        static Flags add(Flags f) {
            return f.value("--region", "REGION", "e.g. eu-west-1; default: the SDK's chain (AWS_REGION, profile)")
                    .value("--endpoint", "URL", "send every AWS call here instead (a VPC endpoint, or Moto in tests)");
        }

        static AwsOptions of(Flags.Parsed f) {
            Optional<String> region = f.value("--region").map(r -> matching(f, "--region", r, REGION));
            Optional<URI> endpoint = f.value("--endpoint").map(e -> {
                URI uri = uri("--endpoint", e);
                if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
                    throw new UsageException("--endpoint \"" + shown(e) + "\" must be an absolute http:// or https:// URL");
                }
                return uri;
            });
            return new AwsOptions(region, endpoint);
        }

        /** Builds the context; it makes no call, so a missing region is still a usage error. */
        AwsContext context() {
            AwsContext.Builder b = AwsContext.builder();
            region.ifPresent(b::region);
            endpoint.ifPresent(b::endpointOverride);
            try {
                return b.build();
            } catch (PlanValidationException e) {
                // region and endpoint were checked as flags, so what is left is a region nobody gave
                throw new UsageException("--region is not given and the AWS SDK found no default region: give --region "
                        + "or set AWS_REGION");
            }
        }
    }

    private Runner runner(RunOptions run, Optional<Path> journal) {
        Runner runner = Runner.create();
        if (journal.isPresent()) {
            runner = runner.withJournal(JournalStore.directory(journal.get()));
        }
        return run.execute() ? runner : runner.dryRun();
    }

    /** Resolves the inputs before the run, so a rule the plan enforces is a usage error and not a failed run. */
    private static void checkInputs(Plan plan, Inputs inputs) {
        try {
            plan.resolve(inputs);
        } catch (InvalidInputException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private int finish(String printed, boolean success, RunOptions run, java.util.function.Supplier<HtmlReport> report) {
        out.println(printed);
        if (!run.execute()) {
            err.println("This was a dry run: nothing was changed. Add --execute to act.");
        }
        run.html().ifPresent(file -> err.println("HTML report: " + report.get().writeTo(file).toAbsolutePath()));
        return success ? OK : FAILED;
    }

    private static String matching(Flags.Parsed f, String flag, String value, Pattern rule) {
        if (!rule.matcher(value).matches()) {
            throw new UsageException(flag + " \"" + value + "\" does not match " + rule.pattern());
        }
        return value;
    }

    /**
     * An address as typed, for a usage error: whole unless it carries user info, a query or a fragment, which may
     * hold a password or token; then only its scheme.
     */
    private static String shown(String typed) {
        if (!typed.matches(".*[@?#].*")) {
            return typed;
        }
        int end = typed.indexOf("://");
        String scheme = end < 0 ? "" : typed.substring(0, end);
        return (scheme.matches("[A-Za-z][A-Za-z0-9+.-]*") ? scheme + "://" : "") + "…";
    }

    private static URI uri(String flag, String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new UsageException(flag + " \"" + shown(text) + "\" is not a URL: " + e.getReason());
        }
    }

    private static URI controller(String text) {
        URI uri = uri("--controller", text);
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
            // the password travels in the login request: never over plain HTTP to a real controller
            throw new UsageException("--controller \"" + shown(text) + "\" must be an https://HOST[:PORT] address");
        }
        return uri;
    }

    private static CloudType cloud(String text) {
        try {
            return CloudType.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--backup-cloud \"" + text + "\" must be one of " + Arrays.toString(CloudType.values()));
        }
    }

    static Duration duration(String flag, String text) {
        Matcher m = SHORT_DURATION.matcher(text);
        Duration d;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } else {
            try {
                d = Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw new UsageException(flag + " \"" + text + "\" must be a number and a unit (30m, 12h, 7d) or ISO-8601 "
                        + "(PT12H, P7D)");
            }
        }
        if (d.isNegative()) {
            throw new UsageException(flag + " \"" + text + "\" must not be negative");
        }
        return d;
    }

    /** Reads the release train: one version per line, blank lines and # comments ignored, each a controller version. */
    static List<String> train(String file) {
        Path path = Path.of(file);
        List<String> lines;
        try {
            lines = Files.readAllLines(path);
        } catch (IOException e) {
            throw new UsageException("--train-file \"" + file + "\" cannot be read: " + e);
        }
        List<String> train = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String entry = lines.get(i).replaceFirst("#.*", "").strip();
            if (entry.isEmpty()) {
                continue;
            }
            try {
                ControllerVersion.parse(entry);
            } catch (PlanValidationException e) {
                throw new UsageException("--train-file \"" + file + "\" line " + (i + 1) + ": \"" + entry
                        + "\" is not a controller version; accepted forms: " + ControllerVersion.ACCEPTED_FORMS);
            }
            train.add(entry);
        }
        if (train.isEmpty()) {
            throw new UsageException("--train-file \"" + file + "\" lists no release: give one controller version per line");
        }
        return train;
    }
}
