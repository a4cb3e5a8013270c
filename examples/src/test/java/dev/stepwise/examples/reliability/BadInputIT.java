package dev.stepwise.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.stepwise.aviatrix.AviatrixClient;
import dev.stepwise.aviatrix.ControllerUpgrade;
import dev.stepwise.aviatrix.ControllerVersion;
import dev.stepwise.aviatrix.UpgradePath;
import dev.stepwise.aviatrix.UpgradePathException;
import dev.stepwise.aviatrix.testkit.FakeController;
import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.AwsTimings;
import dev.stepwise.aws.drivers.WindowsDriverUpgrade;
import dev.stepwise.aws.journal.DynamoDbJournalStore;
import dev.stepwise.aws.patch.InvalidPatchSettingException;
import dev.stepwise.aws.patch.PatchRollout;
import dev.stepwise.aws.patch.PatchTargets;
import dev.stepwise.aws.patch.Pin;
import dev.stepwise.aws.testkit.FillInProxy;
import dev.stepwise.aws.testkit.MotoExtension;
import dev.stepwise.core.InvalidInputException;
import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.notify.WebhookNotifier;
import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.OnFailure;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.poll.Poll;
import dev.stepwise.core.retry.RetryPolicy;
import dev.stepwise.core.rollout.Approval;
import dev.stepwise.core.rollout.Approver;
import dev.stepwise.core.rollout.Limit;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.Wave;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input across the public API: every case is refused with a typed error whose message names the input, the
 * value and the rule, and before any remote call — the AWS context and the Aviatrix client point at the fill-in
 * proxy and the fake controller, whose request counts stay at zero.
 */
class BadInputIT {
    @RegisterExtension
    static final MotoExtension MOTO = MotoExtension.create();

    private static final Key<String> NAME = Key.of("Name", String.class);
    private static final Key<String> IMAGE = Key.of("backupImageId", String.class);
    private static final List<String> TRAIN = FakeController.DEFAULT_TRAIN;
    private static final AtomicInteger TRIED = new AtomicInteger();
    private static final AtomicInteger CLEAR = new AtomicInteger();

    private static FakeController fake;
    private static AviatrixClient client;
    private static FillInProxy proxy;
    private static AwsContext aws;
    private static final Runner RUNNER = Runner.create().withTimeSource(VirtualTimeSource.create());

    /** One bad input: what is done, the error type expected, and the input, value and rule its message must name. */
    record Case(String name, ThrowingCallable action, Class<? extends Throwable> type, String input, String value,
            String rule) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case c(String name, ThrowingCallable action, Class<? extends Throwable> type, String input,
            String value, String rule) {
        return new Case(name, action, type, input, value, rule);
    }

    @BeforeAll
    static void startFake() {
        fake = FakeController.builder().version("6.5.2608").start();
        client = Reliability.aviatrix(fake).build();
    }

    @AfterAll
    static void stopFake() {
        if (aws != null) {
            aws.close();
        }
        fake.close();
        Reliability.record("bad-inputs", java.util.Map.of("tried", TRIED.get(), "clear", CLEAR.get()));
    }

    @BeforeEach
    void setUp() {
        if (aws == null) {
            proxy = MOTO.proxy();
            aws = Reliability.aws(proxy);
        }
        proxy.reset();
    }

    private static Step.Builder<Void> noop(String name) {
        return Step.mutating(name).run(ctx -> { });
    }

    private static Plan onePlan() {
        return Plan.builder("p").step(noop("a")).build();
    }

    private static ControllerUpgrade.Builder upgrade() {
        return ControllerUpgrade.builder().client(client).train(TRAIN).backup(Reliability.BACKUP);
    }

    /** A wave that is valid until a case breaks one setting. */
    private static Wave.Builder wave() {
        return Wave.builder("w").targets("i-1");
    }

    /** A client builder that is valid until a case breaks one setting. */
    private static AviatrixClient.Builder aviatrixClient() {
        return AviatrixClient.builder().controller(URI.create("https://c.example.com")).username("admin")
                .password("x".toCharArray());
    }

    /** A patch rollout that is valid until a case breaks one setting. */
    private static PatchRollout.Builder patchRollout() {
        return PatchRollout.builder("p", aws).nonProduction(PatchTargets.ids(aws, "i-00000001"))
                .production(PatchTargets.ids(aws, "i-00000002")).unpinnedProduction();
    }

    static Stream<Case> cases() {
        return Stream.of(
                // ---- core: keys, steps, plans, inputs
                c("Key name starting with a digit", () -> Key.of("1abc", String.class), PlanValidationException.class,
                        "Key name", "\"1abc\"", "does not match"),
                c("Step name empty", () -> Step.mutating("").run(ctx -> { }).build(), PlanValidationException.class,
                        "name", "\"\"", "does not match"),
                c("Step without action", () -> Step.mutating("x").build(), PlanValidationException.class,
                        "Step", "\"x\"", "action is not set"),
                c("Step timeout zero", () -> Step.mutating("x").run(ctx -> { }).timeout(Duration.ZERO).build(),
                        PlanValidationException.class, "timeout", "PT0S", "must be positive"),
                c("Step timeout of Long.MAX_VALUE seconds", () -> Step.mutating("x").run(ctx -> { })
                                .timeout(Duration.ofSeconds(Long.MAX_VALUE)).build(), PlanValidationException.class,
                        "timeout", "PT2562047788015215H30M7S", "must be at most PT720H (30 days)"),
                c("Plan without steps", () -> Plan.builder("empty").build(), PlanValidationException.class,
                        "Plan", "\"empty\"", "has no steps"),
                c("Plan step name twice", () -> Plan.builder("p").step(noop("a")).step(noop("a")).build(),
                        PlanValidationException.class, "step name", "\"a\"", "is used more than once"),
                c("Plan goTo unknown step", () -> Plan.builder("p").step(noop("a").onFailure(OnFailure.goTo("cleanup")))
                                .build(), PlanValidationException.class, "step \"a\"", "\"cleanup\"",
                        "but no step has that name"),
                c("Plan input declared twice", () -> Plan.builder("p").input(NAME).input(NAME).step(noop("a")).build(),
                        PlanValidationException.class, "input", "Name", "is declared twice"),
                c("Plan step reads what nothing produces", () -> Plan.builder("p")
                                .step(Step.mutating("install").reads(IMAGE).run(ctx -> { })).build(),
                        PlanValidationException.class, "step \"install\"", "backupImageId",
                        "which no input or earlier step surely produces"),
                c("Input not matching its pattern", () -> RUNNER.run(Plan.builder("p")
                                .input(Input.required(NAME).matching("[a-z]+")).step(noop("a")).build(),
                        Inputs.of(NAME, "ABC")), InvalidInputException.class, "Name", "\"ABC\"", "does not match [a-z]+"),
                c("Input not one of the allowed", () -> RUNNER.run(Plan.builder("p")
                                .input(Input.required(NAME).oneOf("blue", "green")).step(noop("a")).build(),
                        Inputs.of(NAME, "red")), InvalidInputException.class, "Name", "\"red\"", "blue"),
                c("Input that is not declared", () -> RUNNER.run(onePlan(), Inputs.of(NAME, "x")),
                        InvalidInputException.class, "Name", "is not an input of this plan", "(inputs: "),
                // ---- core: retry policies
                c("RetryPolicy maxAttempts 0", () -> RetryPolicy.builder().maxAttempts(0).build(),
                        PlanValidationException.class, "maxAttempts", "0", "must be at least 1"),
                c("RetryPolicy maxDelay below delay", () -> RetryPolicy.builder()
                                .backoff(Duration.ofSeconds(10), Duration.ofSeconds(1)).build(),
                        PlanValidationException.class, "maxDelay", "PT1S", "must be at least delay PT10S"),
                c("RetryPolicy jitter 1.5", () -> RetryPolicy.builder().jitter(1.5).build(),
                        PlanValidationException.class, "jitter", "1.5", "must be at least 0 and below 1"),
                c("RetryPolicy attemptTimeout negative", () -> RetryPolicy.builder()
                                .attemptTimeout(Duration.ofSeconds(-1)).build(), PlanValidationException.class,
                        "attemptTimeout", "PT-1S", "must be positive"),
                c("RetryPolicy multiplier 0.5", () -> RetryPolicy.builder()
                                .backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5).build(),
                        PlanValidationException.class, "multiplier", "0.5", "must be a finite number of at least 1"),
                // ---- core: polls
                c("Poll interval zero", () -> Poll.builder().every(Duration.ZERO).describedAs("x to happen").build(),
                        PlanValidationException.class, "interval", "PT0S", "must be positive"),
                c("Poll timeout past 30 days", () -> Poll.builder().timeout(Duration.ofDays(31))
                                .describedAs("x to happen").build(), PlanValidationException.class, "timeout",
                        "PT744H", "must be at most PT720H"),
                c("Poll without description", () -> Poll.builder().build(), PlanValidationException.class,
                        "description", "is not set", "describedAs"),
                // ---- core: waves, limits, rollouts
                c("Wave maxConcurrency 0", () -> wave().maxConcurrency(0).build(), PlanValidationException.class,
                        "maxConcurrency", "0", "must be at least 1"),
                c("Wave maxConcurrency 0%", () -> wave().maxConcurrency("0%").build(),
                        PlanValidationException.class, "maxConcurrency", "0%", "must be at least 1%"),
                c("Wave maxErrors negative", () -> wave().maxErrors(-1).build(), PlanValidationException.class,
                        "maxErrors", "-1", "must not be negative"),
                c("Wave maxErrors over 100%", () -> wave().maxErrors("120%").build(),
                        PlanValidationException.class, "maxErrors", "\"120%\"", "is over 100%"),
                c("Wave maxConcurrency not a number", () -> wave().maxConcurrency("abc").build(),
                        PlanValidationException.class, "maxConcurrency", "\"abc\"", "is neither a whole number"),
                c("Wave without targets", () -> Wave.builder("a").build(), PlanValidationException.class,
                        "Wave \"a\"", "targets are not set", "call targets(...)"),
                c("Wave name with a space", () -> Wave.builder("bad name").targets("i-1").build(),
                        PlanValidationException.class, "name", "\"bad name\"", "does not match"),
                c("Wave target listed twice", () -> Wave.builder("w").targets("i-1", "i-1").build(),
                        PlanValidationException.class, "targets", "[i-1]", "appear more than once"),
                c("Wave target id blank", () -> Wave.builder("w").targets("i-1", " ").build(),
                        PlanValidationException.class, "target ids", "\" \" at position 2", "empty or blank"),
                c("Limit negative", () -> Limit.of(-1), PlanValidationException.class, "limit", "-1",
                        "must not be negative"),
                c("Limit percent over 100", () -> Limit.percent(150), PlanValidationException.class, "limit", "150%",
                        "must be between 0% and 100%"),
                c("Limit text malformed", () -> Limit.parse("1.5"), PlanValidationException.class, "", "\"1.5\"",
                        "is neither a whole number"),
                c("Rollout name with a slash", () -> Rollout.builder("a/b", onePlan()).wave(wave()).build(),
                        PlanValidationException.class, "name", "\"a/b\"", "does not match"),
                c("Rollout soak negative", () -> Rollout.builder("r", onePlan()).soak(Duration.ofMinutes(-1))
                                .wave(wave()).build(), PlanValidationException.class, "soak", "PT-1M",
                        "must not be negative"),
                c("Rollout soak past 30 days", () -> Rollout.builder("r", onePlan()).soak(Duration.ofDays(31))
                                .wave(wave()).build(), PlanValidationException.class, "soak", "PT744H",
                        "must be at most PT720H"),
                c("Rollout without waves", () -> Rollout.builder("r", onePlan()).build(), PlanValidationException.class,
                        "waves", "none given", "a rollout needs at least one wave"),
                c("Approval timeout zero", () -> Approval.by(Approver.autoApprove("ci")).timeout(Duration.ZERO).build(),
                        PlanValidationException.class, "Approval: timeout", "PT0S", "must be positive"),
                // ---- core: notifications
                c("Webhook over plain http", () -> WebhookNotifier.builder(URI.create("http://hooks.example.com/x")).build(),
                        PlanValidationException.class, "webhook URL", "hooks.example.com", "must use https"),
                c("Webhook ftp scheme", () -> WebhookNotifier.builder(URI.create("ftp://hooks.example.com/x")).build(),
                        PlanValidationException.class, "webhook URL scheme", "\"ftp\"", "must be https"),
                c("Webhook timeout zero", () -> WebhookNotifier.builder(URI.create("https://hooks.example.com/x"))
                                .timeout(Duration.ZERO).build(), PlanValidationException.class, "webhook timeout", "PT0S",
                        "must be positive"),
                // ---- AWS: context, timings, journal store
                c("AwsContext region not a region", () -> AwsContext.builder().region("Europe").build(),
                        PlanValidationException.class, "region", "\"Europe\"", "does not look like an AWS region"),
                c("AwsContext assumeRole of a user", () -> AwsContext.builder().region("eu-west-1")
                                .assumeRole("arn:aws:iam::123:user/bob").build(),
                        PlanValidationException.class, "assumeRole", "\"arn:aws:iam::123:user/bob\"", "does not match"),
                c("AwsContext endpoint ftp", () -> AwsContext.builder().region("eu-west-1")
                                .endpointOverride(URI.create("ftp://localhost:5000")).build(),
                        PlanValidationException.class, "endpointOverride", "\"ftp://localhost:5000\"",
                        "must be an absolute http(s) URI"),
                c("AwsContext sdkMaxAttempts 21", () -> AwsContext.builder().region("eu-west-1").sdkMaxAttempts(21).build(),
                        PlanValidationException.class, "sdkMaxAttempts", "21", "must be between 1 and 20"),
                c("AwsTimings pollInterval zero", () -> AwsTimings.defaults().toBuilder().pollInterval(Duration.ZERO).build(),
                        PlanValidationException.class, "pollInterval", "PT0S", "must be positive"),
                c("DynamoDB journal table with a space", () -> DynamoDbJournalStore.builder(aws).table("my journals")
                                .build(), PlanValidationException.class, "table", "\"my journals\"",
                        "must be a DynamoDB table name"),
                c("DynamoDB journal lease zero", () -> DynamoDbJournalStore.builder(aws).leaseDuration(Duration.ZERO)
                                .build(), PlanValidationException.class, "leaseDuration", "PT0S", "must be positive"),
                c("DynamoDB journal heartbeat negative", () -> DynamoDbJournalStore.builder(aws)
                                .heartbeat(Duration.ofSeconds(-1)).build(), PlanValidationException.class, "heartbeat",
                        "PT-1S", "must be zero (off) or positive"),
                c("DynamoDB journal holder blank", () -> DynamoDbJournalStore.builder(aws).holderName(" ").build(),
                        PlanValidationException.class, "holderName", "\" \"", "must be 1 to 200 printable ASCII"),
                // ---- AWS: the drivers upgrade's inputs
                c("Drivers InstanceId malformed", () -> RUNNER.run(WindowsDriverUpgrade.plan(aws),
                                WindowsDriverUpgrade.inputs("i-12")), InvalidInputException.class, "InstanceId",
                        "\"i-12\"", "does not match i-([0-9a-f]{8}|[0-9a-f]{17})"),
                c("Drivers InstanceId missing", () -> RUNNER.run(WindowsDriverUpgrade.plan(aws), Inputs.empty()),
                        InvalidInputException.class, "InstanceId", "was not given", "is required"),
                c("Drivers SubnetId a VPC id", () -> RUNNER.run(WindowsDriverUpgrade.plan(aws),
                                WindowsDriverUpgrade.inputs("i-0123456789abcdef0").with(WindowsDriverUpgrade.SUBNET_ID,
                                        "vpc-1234")), InvalidInputException.class, "SubnetId", "\"vpc-1234\"",
                        "be SelectedInstanceSubnet, CreateNewVPC or a subnet id"),
                c("Drivers AutomationAssumeRole a user", () -> RUNNER.run(WindowsDriverUpgrade.plan(aws),
                                WindowsDriverUpgrade.inputs("i-0123456789abcdef0").with(
                                        WindowsDriverUpgrade.AUTOMATION_ASSUME_ROLE, "arn:aws:iam::123456789012:user/bob")),
                        InvalidInputException.class, "AutomationAssumeRole", "\"arn:aws:iam::123456789012:user/bob\"",
                        "does not match arn:aws"),
                c("Drivers input misspelt", () -> RUNNER.run(WindowsDriverUpgrade.plan(aws),
                                WindowsDriverUpgrade.inputs("i-0123456789abcdef0").with(Key.of("InstanceID", String.class),
                                        "i-0123456789abcdef0")), InvalidInputException.class, "InstanceID",
                        "is not an input of this plan", "inputs: InstanceId"),
                // ---- AWS: patch targets and rollout settings
                c("PatchTargets no ids", () -> PatchTargets.ids(aws, List.of()), InvalidPatchSettingException.class,
                        "InstanceIds", "\"[]\"", "is empty"),
                c("PatchTargets id malformed", () -> PatchTargets.ids(aws, "i-12"), InvalidPatchSettingException.class,
                        "InstanceId", "\"i-12\"", "does not match i-[0-9a-f]{8} or i-[0-9a-f]{17}"),
                c("PatchTargets id twice", () -> PatchTargets.ids(aws, "i-00000001", "i-00000001"),
                        InvalidPatchSettingException.class, "InstanceId", "\"i-00000001\"", "is given twice"),
                c("PatchTargets tag key blank", () -> PatchTargets.tagged(aws, " ", "dev"),
                        InvalidPatchSettingException.class, "tag Key", "\" \"", "must be 1 to 128 characters"),
                c("PatchTargets tag key reserved", () -> PatchTargets.tagged(aws, "aws:cloudformation:stack-name", "x"),
                        InvalidPatchSettingException.class, "tag Key", "\"aws:cloudformation:stack-name\"",
                        "reserved by AWS"),
                c("PatchTargets no tag values", () -> PatchTargets.tagged(aws, "Env"), InvalidPatchSettingException.class,
                        "tag Values of Env", "\"[]\"", "is empty"),
                c("PatchRollout reboot option unknown", () -> patchRollout().rebootOption("RebootAlways").build(),
                        PlanValidationException.class, "RebootOption", "\"RebootAlways\"",
                        "is not one of RebootIfNeeded, NoReboot"),
                c("PatchRollout soak negative", () -> patchRollout().soak(Duration.ofHours(-1)).build(),
                        PlanValidationException.class, "soak", "\"PT-1H\"", "must not be negative"),
                c("PatchRollout snapshot pin outlives 3 days", () -> PatchRollout.builder("p", aws)
                                .nonProduction(PatchTargets.ids(aws, "i-00000001"))
                                .production(PatchTargets.ids(aws, "i-00000002"))
                                .pin(Pin.snapshotId("3b2b1f5e-4f4c-4a47-9d1e-0c1d2e3f4a5b")).build(),
                        PlanValidationException.class, "soak with a SnapshotId pin", "\"PT168H\"",
                        "is longer than the 3 days"),
                c("PatchRollout name with a space", () -> PatchRollout.builder("monthly patching", aws)
                                .nonProduction(PatchTargets.ids(aws, "i-00000001"))
                                .production(PatchTargets.ids(aws, "i-00000002")).build(),
                        PlanValidationException.class, "name", "\"monthly patching\"", "does not match"),
                c("Pin snapshot not a GUID", () -> Pin.snapshotId("snap-1"), InvalidPatchSettingException.class,
                        "SnapshotId", "\"snap-1\"", "is not a GUID"),
                c("Pin override list over http", () -> Pin.installOverrideList("http://bucket/list.yaml"),
                        InvalidPatchSettingException.class, "InstallOverrideList", "\"http://bucket/list.yaml\"",
                        "is not an s3://bucket/key or https://"),
                // ---- Aviatrix: versions, paths, client, upgrade
                c("ControllerVersion with a letter", () -> ControllerVersion.parse("6.x"),
                        PlanValidationException.class, "version", "\"6.x\"", ControllerVersion.ACCEPTED_FORMS),
                c("ControllerVersion with a v", () -> ControllerVersion.parse("v6.8"), PlanValidationException.class,
                        "version", "\"v6.8\"", ControllerVersion.ACCEPTED_FORMS),
                c("ControllerVersion negative release", () -> ControllerVersion.release(-1, 2),
                        PlanValidationException.class, "release", "-1.2", "at least 0"),
                c("UpgradePath downgrade", () -> UpgradePath.of("6.7.1185", "6.5", TRAIN.toArray(String[]::new)),
                        UpgradePathException.class, "target", "6.5", "cannot be rolled back"),
                c("UpgradePath target not in train", () -> UpgradePath.of("6.5", "6.8", "6.6", "6.7"),
                        UpgradePathException.class, "target", "6.8", "is not in the release train"),
                c("UpgradePath gap in the train", () -> UpgradePath.of("6.5.2608", "6.8", "6.6", "6.8"),
                        UpgradePathException.class, "6.5.2608 -> 6.8", "release 6.7 comes between", "has a gap"),
                c("AviatrixClient plain http to a remote host", () -> AviatrixClient.builder()
                                .controller(URI.create("http://controller.example.com")).username("admin")
                                .password("x".toCharArray()).build(), PlanValidationException.class, "controller",
                        "\"http://controller.example.com\"", "must use https"),
                c("AviatrixClient controller with a path", () -> aviatrixClient()
                                .controller(URI.create("https://c.example.com/v2/api")).build(),
                        PlanValidationException.class, "controller", "\"https://c.example.com",
                        "without path, query, fragment or user info"),
                c("AviatrixClient username blank", () -> aviatrixClient().username("  ").build(),
                        PlanValidationException.class, "username", "\"  \"", "must not be blank"),
                c("AviatrixClient connect timeout zero", () -> aviatrixClient().connectTimeout(Duration.ZERO).build(),
                        PlanValidationException.class, "connectTimeout", "PT0S", "must be positive"),
                c("AviatrixClient unavailable retries negative", () -> aviatrixClient().unavailableRetries(-2).build(),
                        PlanValidationException.class, "unavailableRetries", "-2", "must be at least 0"),
                c("AviatrixClient retry interval negative", () -> aviatrixClient()
                                .unavailableRetryInterval(Duration.ofSeconds(-1)).build(), PlanValidationException.class,
                        "unavailableRetryInterval", "PT-1S", "must not be negative"),
                c("ControllerUpgrade target not a version", () -> upgrade().target("seven").build(),
                        PlanValidationException.class, "ControllerUpgrade: target", "\"seven\"",
                        "must be \"latest\" or a controller version"),
                c("ControllerUpgrade train entry not a version", () -> upgrade().train("6.5", "6.x").build(),
                        PlanValidationException.class, "train entry", "\"6.x\"", "is not a controller version"),
                c("ControllerUpgrade gateway blank", () -> upgrade().gateways("spoke-1", " ").build(),
                        PlanValidationException.class, "gateway name", "\" \"", "must not be blank"),
                c("ControllerUpgrade poll interval zero", () -> upgrade().pollInterval(Duration.ZERO).build(),
                        PlanValidationException.class, "ControllerUpgrade: pollInterval", "PT0S", "must be positive"),
                c("ControllerUpgrade TargetVersion input with a v", () -> RUNNER.run(upgrade().build().plan(),
                                Inputs.of(ControllerUpgrade.TARGET_VERSION, "v6.8")), InvalidInputException.class,
                        "TargetVersion", "\"v6.8\"", "must be \"latest\" or a controller version"),
                c("ControllerUpgrade TargetVersion missing", () -> RUNNER.run(upgrade().build().plan(), Inputs.empty()),
                        InvalidInputException.class, "TargetVersion", "was not given", "is required"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInput_isRefusedWithATypedErrorNamingInputValueAndRule_beforeAnyRemoteCall(Case c) {
        TRIED.incrementAndGet();
        int controllerRequestsBefore = fake.requests().size();

        Throwable thrown = catchThrowable(c.action());

        assertThat(thrown).as(c.name()).isInstanceOf(c.type());
        assertThat(thrown.getMessage()).as("%s: input", c.name()).contains(c.input());
        assertThat(thrown.getMessage()).as("%s: value", c.name()).contains(c.value());
        assertThat(thrown.getMessage()).as("%s: rule", c.name()).contains(c.rule());
        assertThat(proxy.counts().total()).as("%s: AWS requests", c.name()).isZero();
        assertThat(fake.requests()).as("%s: controller requests", c.name()).hasSize(controllerRequestsBefore).isEmpty();
        CLEAR.incrementAndGet();
    }
}
