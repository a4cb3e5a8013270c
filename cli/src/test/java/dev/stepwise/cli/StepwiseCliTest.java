package dev.stepwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parsing, help and errors. AWS calls of every command line here go to a local HTTP server that counts them, so a
 * test can tell that a refused command line made no call at all.
 */
class StepwiseCliTest {
    private static final String ID = "i-0123456789abcdef0";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicInteger prompts = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();
    private HttpServer server;
    private String endpoint;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            calls.incrementAndGet();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        server.start();
        endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private int run(Map<String, String> env, String... args) {
        return new StepwiseCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env, text -> {
                    prompts.incrementAndGet();
                    return null;
                }).run(args);
    }

    private int run(String... args) {
        return run(Map.of(), args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private int drivers(String... more) {
        List<String> args = new ArrayList<>(List.of("drivers-upgrade", "--region", "us-east-1", "--endpoint", endpoint));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    @Test
    void help_ofEveryCommand_exits0AndDescribesItsOptions() {
        assertThat(run("--help")).isZero();
        assertThat(out()).contains("drivers-upgrade").contains("patch-rollout").contains("aviatrix-upgrade")
                .contains("rollout").contains("generate-completion").contains("Exit status: 0 success, 1 failed run, 2 bad");

        Map<List<String>, List<String>> options = Map.of(
                List.of("drivers-upgrade"), List.of("--instance-id", "--allow-offline", "--execute", "--html", "--output", "--progress"),
                List.of("patch-rollout"), List.of("--non-prod-tag", "--prod-tag", "--soak", "--execute", "--html", "--output"),
                List.of("aviatrix-upgrade"), List.of("--controller", "--train-file", "--gateway", "AVIATRIX_PASSWORD", "--execute"),
                List.of("rollout"), List.of("status", "approve", "reject"),
                List.of("rollout", "status"), List.of("ID", "--journal", "--output", "--html"),
                List.of("rollout", "approve"), List.of("ID", "--by", "--comment", "--journal"),
                List.of("rollout", "reject"), List.of("ID", "--by", "--reason", "--journal"));
        options.forEach((command, expected) -> {
            out.reset();
            List<String> args = new ArrayList<>(command);
            args.add("--help");
            assertThat(run(args.toArray(String[]::new))).as("%s --help", command).isZero();
            assertThat(out()).as("%s --help", command).startsWith("Usage: stepwise " + String.join(" ", command));
            expected.forEach(o -> assertThat(out()).as("%s --help", command).contains(o));
        });
        out.reset();
        run("aviatrix-upgrade", "--help");
        assertThat(out()).doesNotContain("--password");
        assertThat(calls).hasValue(0);
    }

    @Test
    void rolloutResume_offersNoExecuteOption_becauseAResumeAlwaysActs() {
        assertThat(run("rollout", "resume", "--help")).isZero();
        assertThat(out()).contains("--journal").contains("--park").contains("--output").doesNotContain("--execute");

        assertThat(run("rollout", "resume", "weekly", "--journal", "/nonexistent", "--execute")).isEqualTo(2);
        assertThat(err()).contains("Unknown option: '--execute'");
        assertThat(calls).hasValue(0);
    }

    @Test
    void generateCompletion_printsABashCompletionScriptNamingEveryCommand() {
        assertThat(run("generate-completion")).isZero();

        assertThat(out()).contains("complete -F").contains("drivers-upgrade").contains("patch-rollout")
                .contains("aviatrix-upgrade").contains("--instance-id");
    }

    @Test
    void run_whenInstanceIdMalformed_exits2NamingOptionValueAndRuleWithoutAnyCall() {
        assertThat(drivers("--instance-id", "i-12")).isEqualTo(StepwiseCli.USAGE);

        assertThat(err()).contains("--instance-id \"i-12\" does not match i-([0-9a-f]{8}|[0-9a-f]{17})");
        assertThat(out()).isEmpty();
        assertThat(calls).hasValue(0);
    }

    @Test
    void run_whenRequiredOptionMissingOrUnknownOrRepeated_exits2WithoutAnyCall() {
        assertThat(drivers("--allow-offline")).isEqualTo(2);
        assertThat(drivers("--instance-id", ID, "--force")).isEqualTo(2);
        assertThat(drivers("--instance-id", ID, "--instance-id", ID)).isEqualTo(2);
        assertThat(drivers("--instance-id")).isEqualTo(2);
        assertThat(drivers("--instance-id", ID, "stray")).isEqualTo(2);
        assertThat(drivers("--instance-id", ID, "--output", "xml")).isEqualTo(2);

        assertThat(err()).contains("Missing required option: '--instance-id=i-…'")
                .contains("Unknown option: '--force'").contains("--force-upgrade")
                .contains("should be specified only once")
                .contains("Missing required parameter for option '--instance-id'")
                .contains("Unmatched argument at index").contains("stray")
                .contains("--output").contains("xml").contains("table, json");
        assertThat(calls).hasValue(0);
    }

    @Test
    void run_whenBadSubnetRegionOrEndpoint_exits2NamingEach() {
        assertThat(drivers("--instance-id", ID, "--subnet-id", "subnet-xyz")).isEqualTo(2);
        assertThat(run("drivers-upgrade", "--instance-id", ID, "--region", "Europe")).isEqualTo(2);
        assertThat(run("drivers-upgrade", "--instance-id", ID, "--endpoint", "localhost:5000")).isEqualTo(2);

        assertThat(err()).contains("--subnet-id \"subnet-xyz\" does not match")
                .contains("--region \"Europe\" does not match")
                .contains("--endpoint \"localhost:5000\" must be an absolute http:// or https:// URL");
        assertThat(calls).hasValue(0);
    }

    @Test
    void run_whenNoOrUnknownCommand_exits2WithUsage() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("upgrade-everything")).isEqualTo(2);

        assertThat(err()).contains("no command given").contains("upgrade-everything")
                .contains("drivers-upgrade").contains("patch-rollout").contains("aviatrix-upgrade");
        assertThat(out()).isEmpty();
    }

    @Test
    void patch_parsesTagsAndSoak() {
        PatchRolloutCommand c = parsed(new PatchRolloutCommand(cli()), "--non-prod-tag", "Env=dev, test", "--prod-tag",
                "Env=prod", "--soak", "36h", "--region", "us-east-1");

        assertThat(c.nonProduction()).isEqualTo(new Checks.Tag("Env", List.of("dev", "test")));
        assertThat(c.production()).isEqualTo(new Checks.Tag("Env", List.of("prod")));
        assertThat(c.soak()).isEqualTo(Duration.ofHours(36));
        assertThat(c.run.execute).isFalse();
        assertThat(parsed(new PatchRolloutCommand(cli()), "--non-prod-tag", "Env=dev", "--prod-tag", "Env=prod").soak())
                .isEqualTo(Duration.ofDays(7));
    }

    @Test
    void duration_acceptsShortFormsAndIso() {
        assertThat(Checks.duration("--soak", "7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Checks.duration("--soak", "30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(Checks.duration("--soak", "0s")).isZero();
        assertThat(Checks.duration("--soak", "P2DT3H")).isEqualTo(Duration.ofHours(51));
    }

    @Test
    void patch_parsesHealthCutoffAndUncoveredOs() {
        PatchRolloutCommand c = parsed(new PatchRolloutCommand(cli()), "--non-prod-tag", "Env=dev", "--prod-tag",
                "Env=prod", "--health-alarm", "orders-5xx", "--health-alarm", "db-latency", "--health-watch-every", "6h",
                "--non-prod-approve-until", "2026-11-10", "--accept-uncovered-os");

        assertThat(c.healthAlarms).containsExactly("orders-5xx", "db-latency");
        assertThat(c.healthWatchEvery()).contains(Duration.ofHours(6));
        assertThat(c.approveUntil()).contains(java.time.LocalDate.of(2026, 11, 10));
        assertThat(c.acceptUncoveredOs).isTrue();
        PatchRolloutCommand plain = parsed(new PatchRolloutCommand(cli()), "--non-prod-tag", "Env=dev", "--prod-tag", "Env=prod");
        assertThat(plain.healthWatchEvery()).isEmpty();
        assertThat(plain.approveUntil()).isEmpty();
    }

    @Test
    void run_whenCutoffOrWatchMalformed_exits2NamingOptionValueAndRuleWithoutAnyCall() {
        String[] base = {"patch-rollout", "--region", "us-east-1", "--endpoint", endpoint, "--prod-tag", "Env=prod",
            "--non-prod-tag", "Env=dev", "--pin-bucket", "lists"};
        assertThat(run(cons(base, "--non-prod-approve-until", "10/11/2026"))).isEqualTo(2);
        assertThat(run(cons(base, "--health-watch-every", "soon"))).isEqualTo(2);
        assertThat(run(cons(base, "--health-watch-every", "6h"))).isEqualTo(2);

        assertThat(err()).contains("--non-prod-approve-until \"10/11/2026\" must be a date as YYYY-MM-DD (UTC)")
                .contains("--health-watch-every \"soon\" must be a number and a unit")
                .contains("--health-watch-every \"6h\" needs --health-alarm or --health-alarm-prefix");
        assertThat(calls).hasValue(0);
    }

    @Test
    void run_whenTagOrSoakMalformed_exits2NamingOptionValueAndRuleWithoutAnyCall() {
        String[] base = {"patch-rollout", "--region", "us-east-1", "--endpoint", endpoint, "--prod-tag", "Env=prod"};
        assertThat(run(cons(base, "--non-prod-tag", "Env"))).isEqualTo(2);
        assertThat(run(cons(base, "--non-prod-tag", "Env=dev,"))).isEqualTo(2);
        assertThat(run(cons(base, "--non-prod-tag", "Env=dev", "--soak", "7x"))).isEqualTo(2);
        assertThat(run(cons(base, "--non-prod-tag", "Env=dev", "--soak", "-P1D"))).isEqualTo(2);

        assertThat(err()).contains("--non-prod-tag \"Env\" must be KEY=VALUE[,VALUE…]")
                .contains("--non-prod-tag \"Env=dev,\" must be KEY=VALUE[,VALUE…]")
                .contains("--soak \"7x\" must be a number and a unit (30m, 12h, 7d) or ISO-8601")
                .contains("--soak \"-P1D\" must not be negative");
        assertThat(calls).hasValue(0);
    }

    @Test
    void patchRollout_withoutAPinOrWithParkButNoJournal_exits2NamingTheRuleWithoutAnyCall() {
        String[] base = {"patch-rollout", "--region", "us-east-1", "--endpoint", endpoint, "--prod-tag", "Env=prod",
            "--non-prod-tag", "Env=dev"};
        assertThat(run(base)).isEqualTo(2);
        assertThat(run(cons(base, "--pin-bucket", "lists", "--unpinned"))).isEqualTo(2);
        assertThat(run(cons(base, "--pin-bucket", "lists", "--park", "1h"))).isEqualTo(2);
        assertThat(run(cons(base, "--pin-bucket", "lists", "--park", "soon", "--journal", "j"))).isEqualTo(2);
        assertThat(run(cons(base, "--pin-bucket", "lists", "--rollout-id", "monthly"))).isEqualTo(2);

        assertThat(err()).contains("production needs a pin: give --pin-bucket BUCKET")
                .contains("--pin-bucket \"lists\" and --unpinned contradict each other")
                .contains("--park \"1h\" needs --journal DIR")
                .contains("--park \"soon\" must be a number and a unit")
                .contains("--rollout-id \"monthly\" needs --journal DIR");
        assertThat(calls).hasValue(0);
    }

    private static List<String> aviatrixArgs(Path train, String... more) {
        List<String> args = new ArrayList<>(List.of("aviatrix-upgrade", "--controller", "https://ctrl.example.com",
                "--username", "admin", "--target", "6.8", "--train-file", train.toString(), "--backup-account",
                "aws-primary", "--backup-bucket", "controller-backups"));
        args.addAll(List.of(more));
        return args;
    }

    private static Path trainFile(Path dir, String text) throws Exception {
        return Files.writeString(dir.resolve("train.txt"), text);
    }

    @Test
    void aviatrix_parsesEveryOptionAndSkipsTrainComments(@TempDir Path dir) throws Exception {
        Path train = trainFile(dir, "# our releases\n6.5.2608\n\n6.6.5224  # March\n6.7\n6.8\n");
        List<String> args = new ArrayList<>(aviatrixArgs(train, "--gateway", "spoke-1", "--gateway", "spoke-2",
                "--backup-cloud", "azure", "--backup-storage", "ctrlbackups", "--backup-container", "avx",
                "--backup-region", "westeurope", "--upgrade-gateways", "--execute"));
        args.remove("--backup-bucket"); // Azure keeps backups in a storage account's container, not a bucket
        args.remove("controller-backups");
        AviatrixUpgradeCommand c = parsed(new AviatrixUpgradeCommand(cli()), args.subList(1, args.size()).toArray(String[]::new));

        AviatrixUpgradeCommand.Checked o = c.check();

        assertThat(o.controller()).hasHost("ctrl.example.com");
        assertThat(o.train()).containsExactly("6.5.2608", "6.6.5224", "6.7", "6.8");
        assertThat(c.gateways).containsExactly("spoke-1", "spoke-2");
        assertThat(o.cloud()).isEqualTo(dev.stepwise.aviatrix.CloudType.AZURE);
        assertThat(c.run.execute).isTrue();
        assertThat(c.upgradeGateways).isTrue();
    }

    @Test
    void aviatrix_whenAzureBackupLacksStorageContainerAndRegion_exits2NamingEachBeforeAnyPrompt(@TempDir Path dir)
            throws Exception {
        Path train = trainFile(dir, "6.8\n");

        assertThat(run(aviatrixArgs(train, "--backup-cloud", "azure").toArray(String[]::new))).isEqualTo(2);

        assertThat(err()).contains("storageName is required for cloud AZURE")
                .contains("containerName is required for cloud AZURE").contains("region is required for cloud AZURE");
        assertThat(prompts).hasValue(0);
    }

    @Test
    void run_whenControllerPlainHttpOrTargetTrainOrCloudBad_exits2NamingEachBeforeAnyPrompt(@TempDir Path dir) throws Exception {
        Path good = trainFile(dir, "6.5\n6.8\n");
        List<String> plain = aviatrixArgs(good);
        plain.set(2, "http://ctrl.example.com");
        List<String> badTarget = aviatrixArgs(good);
        badTarget.set(6, "six");

        assertThat(run(plain.toArray(String[]::new))).isEqualTo(2);
        assertThat(run(badTarget.toArray(String[]::new))).isEqualTo(2);
        assertThat(run(aviatrixArgs(dir.resolve("missing.txt")).toArray(String[]::new))).isEqualTo(2);
        assertThat(run(aviatrixArgs(Files.writeString(dir.resolve("bad.txt"), "6.5\nbanana\n")).toArray(String[]::new))).isEqualTo(2);
        assertThat(run(aviatrixArgs(Files.writeString(dir.resolve("empty.txt"), "# none\n")).toArray(String[]::new))).isEqualTo(2);
        assertThat(run(aviatrixArgs(good, "--backup-cloud", "moon").toArray(String[]::new))).isEqualTo(2);

        assertThat(err()).contains("--controller \"http://ctrl.example.com\" must be an https://HOST[:PORT] address")
                .contains("ControllerUpgrade: target \"six\" must")
                .contains("missing.txt\" cannot be read")
                .contains("bad.txt\" line 2: \"banana\" is not a controller version")
                .contains("empty.txt\" lists no release")
                .contains("--backup-cloud \"moon\" must be one of [AWS, GCP, AZURE, OCI, AWS_GOV]");
        assertThat(prompts).hasValue(0);
    }

    @Test
    void run_whenPasswordOptionGiven_exits2WithoutEchoingIt(@TempDir Path dir) throws Exception {
        Path train = trainFile(dir, "6.8\n");

        assertThat(run(aviatrixArgs(train, "--password", "Hunter2-secret").toArray(String[]::new))).isEqualTo(2);
        assertThat(run(aviatrixArgs(train, "--password=Hunter2-secret").toArray(String[]::new))).isEqualTo(2);

        assertThat(err()).contains("--password is not accepted").contains("AVIATRIX_PASSWORD")
                .doesNotContain("Hunter2-secret");
        assertThat(out()).doesNotContain("Hunter2-secret");
        assertThat(prompts).hasValue(0);
    }

    @Test
    void run_whenNoPasswordInEnvironmentAndNoTerminal_promptsThenExits2(@TempDir Path dir) throws Exception {
        assertThat(run(aviatrixArgs(trainFile(dir, "6.8\n")).toArray(String[]::new))).isEqualTo(2);

        assertThat(prompts).hasValue(1);
        assertThat(err()).contains("no password: set AVIATRIX_PASSWORD or run in a terminal");
    }

    @Test
    void run_whenBadOptionAndNoPassword_reportsTheOptionBeforeAskingForAPassword(@TempDir Path dir) throws Exception {
        assertThat(run(aviatrixArgs(trainFile(dir, "6.8\n"), "--gateway").toArray(String[]::new))).isEqualTo(2);

        assertThat(err()).contains("Missing required parameter for option '--gateway'");
        assertThat(prompts).hasValue(0);
    }

    @Test
    void run_whenPasswordFromEnvironmentAndControllerUnreachable_failsWithoutPrintingIt(@TempDir Path dir) throws Exception {
        List<String> args = aviatrixArgs(trainFile(dir, "6.5\n6.8\n"));
        args.set(2, "https://127.0.0.1:1");

        int status = run(Map.of("AVIATRIX_PASSWORD", "Env-Passw0rd-xyz"), args.toArray(String[]::new));

        assertThat(status).isEqualTo(StepwiseCli.FAILED);
        assertThat(prompts).hasValue(0);
        assertThat(out() + err()).doesNotContain("Env-Passw0rd-xyz");
    }

    private StepwiseCli cli() {
        return new StepwiseCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(), text -> null);
    }

    private static <T> T parsed(T command, String... args) {
        picocli.CommandLine cl = new picocli.CommandLine(command);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.parseArgs(args);
        return command;
    }

    private static String[] cons(String[] base, String... more) {
        List<String> all = new ArrayList<>(List.of(base));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
