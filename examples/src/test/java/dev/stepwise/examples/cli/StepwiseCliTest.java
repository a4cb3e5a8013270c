package dev.stepwise.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.aviatrix.CloudType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Argument parsing and errors; nothing here reaches AWS or a controller. */
class StepwiseCliTest {
    private static final String ID = "i-0123456789abcdef0";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicInteger prompts = new AtomicInteger();

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

    @Test
    void driversParse_whenOnlyInstanceId_dryRunsWithDefaults() {
        var o = StepwiseCli.DriversOptions.parse(List.of("--instance-id", ID));

        assertThat(o.instanceId()).isEqualTo(ID);
        assertThat(o.run().execute()).isFalse();
        assertThat(o.allowOffline()).isFalse();
        assertThat(o.forceUpgrade()).isFalse();
        assertThat(o.subnetId()).isEmpty();
        assertThat(o.aws().region()).isEmpty();
        assertThat(o.journal()).isEmpty();
        assertThat(o.run().html()).isEmpty();
    }

    @Test
    void driversParse_whenEveryFlag_readsEach() {
        var o = StepwiseCli.DriversOptions.parse(List.of("--instance-id=" + ID, "--allow-offline", "--force-upgrade",
                "--subnet-id", "subnet-0123abcd", "--region", "eu-west-1", "--endpoint", "http://localhost:5000",
                "--journal", "/tmp/j", "--execute", "--html", "r.html"));

        assertThat(o.allowOffline()).isTrue();
        assertThat(o.forceUpgrade()).isTrue();
        assertThat(o.subnetId()).contains("subnet-0123abcd");
        assertThat(o.aws().region()).contains("eu-west-1");
        assertThat(o.aws().endpoint()).hasValueSatisfying(u -> assertThat(u).hasPort(5000));
        assertThat(o.journal()).contains(Path.of("/tmp/j"));
        assertThat(o.run().execute()).isTrue();
        assertThat(o.run().html()).contains(Path.of("r.html"));
    }

    @Test
    void run_whenInstanceIdMalformed_exits2NamingFlagValueAndRule() {
        assertThat(run("drivers-upgrade", "--instance-id", "i-12")).isEqualTo(StepwiseCli.USAGE);

        assertThat(err()).contains("--instance-id \"i-12\" does not match i-([0-9a-f]{8}|[0-9a-f]{17})");
        assertThat(out()).isEmpty();
    }

    @Test
    void run_whenRequiredFlagMissing_exits2NamingIt() {
        assertThat(run("drivers-upgrade", "--allow-offline")).isEqualTo(StepwiseCli.USAGE);

        assertThat(err()).contains("--instance-id is required");
    }

    @Test
    void run_whenUnknownFlag_exits2ListingTheFlagsThereAre() {
        assertThat(run("drivers-upgrade", "--instance-id", ID, "--force")).isEqualTo(StepwiseCli.USAGE);

        assertThat(err()).contains("unknown flag --force").contains("--force-upgrade").contains("--allow-offline");
    }

    @Test
    void run_whenBadSubnetRegionOrEndpoint_exits2NamingEach() {
        assertThat(run("drivers-upgrade", "--instance-id", ID, "--subnet-id", "subnet-xyz")).isEqualTo(2);
        assertThat(run("drivers-upgrade", "--instance-id", ID, "--region", "Europe")).isEqualTo(2);
        assertThat(run("drivers-upgrade", "--instance-id", ID, "--endpoint", "localhost:5000")).isEqualTo(2);

        assertThat(err()).contains("--subnet-id \"subnet-xyz\" does not match")
                .contains("--region \"Europe\" does not match")
                .contains("--endpoint \"localhost:5000\" must be an absolute http:// or https:// URL");
    }

    @Test
    void run_whenFlagGivenTwiceOrValueMissingOrStrayArgument_exits2() {
        assertThat(run("drivers-upgrade", "--instance-id", ID, "--instance-id", ID)).isEqualTo(2);
        assertThat(run("drivers-upgrade", "--instance-id")).isEqualTo(2);
        assertThat(run("drivers-upgrade", ID)).isEqualTo(2);
        assertThat(run("drivers-upgrade", "--instance-id", ID, "--execute=yes")).isEqualTo(2);

        assertThat(err()).contains("--instance-id is given more than once")
                .contains("--instance-id needs a value: --instance-id i-…")
                .contains("unexpected argument \"" + ID + "\"")
                .contains("--execute is a switch and takes no value");
    }

    @Test
    void run_whenNoOrUnknownCommand_exits2WithUsage() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("upgrade-everything")).isEqualTo(2);

        assertThat(err()).contains("no command given").contains("unknown command \"upgrade-everything\"")
                .contains("drivers-upgrade").contains("patch-rollout").contains("aviatrix-upgrade");
    }

    @Test
    void run_whenHelp_exits0AndDescribesCommandsAndFlags() {
        assertThat(run("--help")).isZero();
        assertThat(out()).contains("drivers-upgrade").contains("patch-rollout").contains("aviatrix-upgrade")
                .contains("--execute");

        for (String command : List.of("drivers-upgrade", "patch-rollout", "aviatrix-upgrade")) {
            out.reset();
            assertThat(run(command, "--help")).isZero();
            assertThat(out()).startsWith("Usage: stepwise " + command).contains("--execute").contains("--html");
        }
        out.reset();
        run("aviatrix-upgrade", "--help");
        assertThat(out()).contains("AVIATRIX_PASSWORD").contains("--gateway NAME …").doesNotContain("--password");
    }

    @Test
    void patchParse_whenTagsAndSoak_readsThem() {
        var o = StepwiseCli.PatchOptions.parse(List.of("--non-prod-tag", "Env=dev, test", "--prod-tag", "Env=prod",
                "--soak", "36h", "--region", "us-east-1"));

        assertThat(o.nonProduction()).isEqualTo(new StepwiseCli.Tag("Env", List.of("dev", "test")));
        assertThat(o.production()).isEqualTo(new StepwiseCli.Tag("Env", List.of("prod")));
        assertThat(o.soak()).isEqualTo(Duration.ofHours(36));
        assertThat(o.run().execute()).isFalse();
    }

    @Test
    void patchParse_whenNoSoak_defaultsToSevenDays() {
        var o = StepwiseCli.PatchOptions.parse(List.of("--non-prod-tag", "Env=dev", "--prod-tag", "Env=prod"));

        assertThat(o.soak()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void duration_acceptsShortFormsAndIso() {
        assertThat(StepwiseCli.duration("--soak", "7d")).isEqualTo(Duration.ofDays(7));
        assertThat(StepwiseCli.duration("--soak", "30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(StepwiseCli.duration("--soak", "0s")).isZero();
        assertThat(StepwiseCli.duration("--soak", "P2DT3H")).isEqualTo(Duration.ofHours(51));
    }

    @Test
    void run_whenTagOrSoakMalformed_exits2NamingFlagValueAndRule() {
        assertThat(run("patch-rollout", "--non-prod-tag", "Env", "--prod-tag", "Env=prod")).isEqualTo(2);
        assertThat(run("patch-rollout", "--non-prod-tag", "Env=dev,", "--prod-tag", "Env=prod")).isEqualTo(2);
        assertThat(run("patch-rollout", "--non-prod-tag", "Env=dev", "--prod-tag", "Env=prod", "--soak", "7x")).isEqualTo(2);
        assertThat(run("patch-rollout", "--non-prod-tag", "Env=dev", "--prod-tag", "Env=prod", "--soak", "-P1D")).isEqualTo(2);

        assertThat(err()).contains("--non-prod-tag \"Env\" must be KEY=VALUE[,VALUE…]")
                .contains("--non-prod-tag \"Env=dev,\" must be KEY=VALUE[,VALUE…]")
                .contains("--soak \"7x\" must be a number and a unit (30m, 12h, 7d) or ISO-8601")
                .contains("--soak \"-P1D\" must not be negative");
    }

    private static List<String> aviatrixArgs(Path train, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("--controller", "https://ctrl.example.com", "--username", "admin",
                "--target", "6.8", "--train-file", train.toString(), "--backup-account", "aws-primary",
                "--backup-bucket", "controller-backups"));
        args.addAll(List.of(more));
        return args;
    }

    private static Path trainFile(Path dir, String text) throws Exception {
        return Files.writeString(dir.resolve("train.txt"), text);
    }

    @Test
    void aviatrixParse_whenEveryFlag_readsEachAndSkipsTrainComments(@TempDir Path dir) throws Exception {
        Path train = trainFile(dir, "# our releases\n6.5.2608\n\n6.6.5224  # March\n6.7\n6.8\n");

        var o = StepwiseCli.AviatrixOptions.parse(aviatrixArgs(train, "--gateway", "spoke-1", "--gateway", "spoke-2",
                "--backup-cloud", "gcp", "--execute"));

        assertThat(o.controller()).hasHost("ctrl.example.com");
        assertThat(o.train()).containsExactly("6.5.2608", "6.6.5224", "6.7", "6.8");
        assertThat(o.gateways()).containsExactly("spoke-1", "spoke-2");
        // GCP needs only a bucket; Azure and OCI need flags this CLI does not have (storage, container, region)
        assertThat(o.backupCloud()).isEqualTo(CloudType.GCP);
        assertThat(o.run().execute()).isTrue();
    }

    @Test
    void run_whenControllerIsPlainHttp_exits2() throws Exception {
        List<String> args = aviatrixArgs(Path.of("unused"));
        args.set(1, "http://ctrl.example.com");

        assertThat(run(cons("aviatrix-upgrade", args))).isEqualTo(2);
        assertThat(err()).contains("--controller \"http://ctrl.example.com\" must be an https://HOST[:PORT] address");
    }

    @Test
    void run_whenTargetOrTrainOrCloudBad_exits2NamingEach(@TempDir Path dir) throws Exception {
        Path good = trainFile(dir, "6.5\n6.8\n");
        List<String> badTarget = aviatrixArgs(good);
        badTarget.set(5, "six");

        assertThat(run(cons("aviatrix-upgrade", badTarget))).isEqualTo(2);
        assertThat(run(cons("aviatrix-upgrade", aviatrixArgs(dir.resolve("missing.txt"))))).isEqualTo(2);
        assertThat(run(cons("aviatrix-upgrade", aviatrixArgs(Files.writeString(dir.resolve("bad.txt"), "6.5\nbanana\n"))))).isEqualTo(2);
        assertThat(run(cons("aviatrix-upgrade", aviatrixArgs(Files.writeString(dir.resolve("empty.txt"), "# none\n"))))).isEqualTo(2);
        assertThat(run(cons("aviatrix-upgrade", aviatrixArgs(good, "--backup-cloud", "moon")))).isEqualTo(2);

        assertThat(err()).contains("ControllerUpgrade: target \"six\" must")
                .contains("missing.txt\" cannot be read")
                .contains("bad.txt\" line 2: \"banana\" is not a controller version")
                .contains("empty.txt\" lists no release")
                .contains("--backup-cloud \"moon\" must be one of [AWS, GCP, AZURE, OCI, AWS_GOV]");
        assertThat(prompts).hasValue(0);
    }

    @Test
    void run_whenPasswordFlagGiven_exits2WithoutEchoingIt(@TempDir Path dir) throws Exception {
        Path train = trainFile(dir, "6.8\n");

        assertThat(run(cons("aviatrix-upgrade", aviatrixArgs(train, "--password", "Hunter2-secret")))).isEqualTo(2);
        assertThat(run(cons("aviatrix-upgrade", aviatrixArgs(train, "--password=Hunter2-secret")))).isEqualTo(2);

        assertThat(err()).contains("--password is not accepted").contains("AVIATRIX_PASSWORD")
                .doesNotContain("Hunter2-secret");
        assertThat(out()).doesNotContain("Hunter2-secret");
        assertThat(prompts).hasValue(0);
    }

    @Test
    void run_whenNoPasswordInEnvironmentAndNoTerminal_promptsThenExits2(@TempDir Path dir) throws Exception {
        assertThat(run(cons("aviatrix-upgrade", aviatrixArgs(trainFile(dir, "6.8\n"))))).isEqualTo(2);

        assertThat(prompts).hasValue(1);
        assertThat(err()).contains("no password: set AVIATRIX_PASSWORD or run in a terminal");
    }

    @Test
    void run_whenBadFlagAndNoPassword_reportsTheFlagBeforeAskingForAPassword(@TempDir Path dir) throws Exception {
        assertThat(run(cons("aviatrix-upgrade", aviatrixArgs(trainFile(dir, "6.8\n"), "--gateway")))).isEqualTo(2);

        assertThat(err()).contains("--gateway needs a value");
        assertThat(prompts).hasValue(0);
    }

    @Test
    void run_whenPasswordFromEnvironmentAndControllerUnreachable_failsWithoutPrintingIt(@TempDir Path dir) throws Exception {
        List<String> args = aviatrixArgs(trainFile(dir, "6.5\n6.8\n"));
        args.set(1, "https://127.0.0.1:1");

        int status = run(Map.of("AVIATRIX_PASSWORD", "Env-Passw0rd-xyz"), cons("aviatrix-upgrade", args));

        assertThat(status).isEqualTo(StepwiseCli.FAILED);
        assertThat(prompts).hasValue(0);
        assertThat(out() + err()).doesNotContain("Env-Passw0rd-xyz");
    }

    private static String[] cons(String command, List<String> args) {
        List<String> all = new java.util.ArrayList<>();
        all.add(command);
        all.addAll(args);
        return all.toArray(String[]::new);
    }

    @Test
    void flags_whenOptionalAbsent_isEmpty() {
        var o = StepwiseCli.DriversOptions.parse(List.of("--instance-id", ID));
        assertThat(o.subnetId()).isEqualTo(Optional.empty());
        assertThatThrownBy(() -> StepwiseCli.DriversOptions.parse(List.of("--subnet-id", "CreateNewVPC")))
                .isInstanceOf(UsageException.class).hasMessageContaining("--instance-id is required");
    }
}
