package dev.stepwise.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.aviatrix.ControllerUpgrade;
import dev.stepwise.aviatrix.ControllerVersion;
import dev.stepwise.aviatrix.testkit.FakeController;
import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.drivers.WindowsDriverUpgrade;
import dev.stepwise.aws.ec2.Ec2Steps;
import dev.stepwise.aws.patch.InstanceReport;
import dev.stepwise.aws.patch.PatchRollout;
import dev.stepwise.aws.patch.PatchRolloutResult;
import dev.stepwise.aws.patch.PatchTargets;
import dev.stepwise.aws.testkit.AutomationOutcome;
import dev.stepwise.aws.testkit.CommandOutcome;
import dev.stepwise.aws.testkit.FaultRule;
import dev.stepwise.aws.testkit.Faults;
import dev.stepwise.aws.testkit.FillInProxy;
import dev.stepwise.aws.testkit.MotoExtension;
import dev.stepwise.aws.testkit.Patch;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.rollout.TargetResult;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.StepResult;
import dev.stepwise.core.run.StepStatus;
import dev.stepwise.core.run.VirtualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Every built-in plan under every injected fault. At a rate the retry policies are meant to absorb (a fixed-seed
 * 25 % of every request, or a few ms on every request), each run completes with the right end state, read back
 * from Moto or the fake controller, and the proxy's counts show every injected fault. Above that rate (one
 * operation always failing) the run fails at one step, names the fault, and its report shows the backup and
 * everything that changed.
 */
class FaultMatrixIT {
    @RegisterExtension
    static final MotoExtension MOTO = MotoExtension.create();

    private static final double ABSORBABLE_RATE = 0.25;
    private static final long SEED = 20260101L;
    private static final Map<String, AtomicLong> TOTALS = new ConcurrentHashMap<>();

    private FillInProxy proxy;
    private AwsContext aws;
    private final Runner runner = Runner.create().withTimeSource(VirtualTimeSource.create());

    enum Fault {
        NONE, THROTTLE, HTTP_500, HTTP_503, LATENCY, DROPPED_CONNECTION;

        FaultRule inject(Faults faults) {
            String any = Faults.ANY_OPERATION;
            // each fault its own seed, so the kinds do not all hit the same requests
            long seed = SEED + ordinal();
            return switch (this) {
                case NONE -> null;
                case THROTTLE -> faults.throttle(any).rate(ABSORBABLE_RATE, seed);
                case HTTP_500 -> faults.serverError(any).rate(ABSORBABLE_RATE, seed);
                case HTTP_503 -> faults.serviceUnavailable(any).rate(ABSORBABLE_RATE, seed);
                case LATENCY -> faults.latency(any, Duration.ofMillis(3)).always();
                case DROPPED_CONNECTION -> faults.dropConnection(any).rate(ABSORBABLE_RATE, seed);
            };
        }
    }

    enum AwsPlan { DRIVERS_ONLINE, DRIVERS_OFFLINE, PATCH_ROLLOUT }

    /** A clean run's request count per plan: a faulted run must answer at least as many, plus every fault. */
    private static final Map<AwsPlan, Long> CLEAN_REQUESTS = new EnumMap<>(AwsPlan.class);

    @BeforeEach
    void setUp() {
        proxy = MOTO.proxy();
        aws = Reliability.aws(proxy);
    }

    @AfterEach
    void tearDown() {
        aws.close();
    }

    @AfterAll
    static void writeSummary() {
        Map<String, Long> out = new java.util.TreeMap<>();
        TOTALS.forEach((k, v) -> out.put(k, v.get()));
        Reliability.record("faults", out);
    }

    private static void count(String key, long n) {
        TOTALS.computeIfAbsent(key, k -> new AtomicLong()).addAndGet(n);
    }

    static Stream<Arguments> absorbable() {
        List<Arguments> all = new ArrayList<>();
        for (AwsPlan p : AwsPlan.values()) {
            for (Fault f : Fault.values()) {
                all.add(Arguments.of(p, f));
            }
        }
        return all.stream();
    }

    private static long stepRetries(RunResult r) {
        return r.steps().stream().mapToLong(s -> Math.max(0, s.attempts() - 1)).sum();
    }

    private List<Image> imagesOfRun(String runId) {
        return Reliability.images(aws).stream()
                .filter(i -> i.tags().contains(Tag.builder().key(Ec2Steps.RUN_TAG).value(runId).build())).toList();
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("absorbable")
    void run_whenFaultsAtAnAbsorbableRate_completesWithTheRightEndState_andCountsEveryFault(AwsPlan plan, Fault fault) {
        long retries;
        long requests;
        long injected;
        switch (plan) {
            case DRIVERS_ONLINE -> {
                String id = Reliability.launch(aws, Reliability.WINDOWS_AMI, "dev");
                proxy.scenario().managedInstance(id, "Windows");
                proxy.scenario().commandOutcome(id, "AWS-ConfigureAWSPackage",
                        CommandOutcome.success("Successfully installed").afterPolls(2))
                        .commandOutcome(id, "AWS-RunPowerShellScript", CommandOutcome.success("3"));
                long before = proxy.counts().total();
                FaultRule rule = fault.inject(proxy.faults());

                RunResult r = runner.run(WindowsDriverUpgrade.plan(aws), WindowsDriverUpgrade.inputs(id));

                injected = rule == null ? 0 : rule.injected();
                requests = proxy.counts().total() - before;
                proxy.faults().clear();
                assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
                String ami = r.output(WindowsDriverUpgrade.PRE_UPGRADE_BACKUP).orElseThrow();
                assertThat(imagesOfRun(r.runId())).as("exactly one backup, the one the report names")
                        .extracting(Image::imageId).containsExactly(ami);
                assertThat(proxy.counts().sentCommands()).filteredOn(c -> c.documentName().equals("AWS-ConfigureAWSPackage"))
                        .extracting(c -> c.parameters().get("name")).as("each driver installed once").containsExactly(List.of("AwsEnaNetworkDriver"),
                                List.of("AWSNVMe"), List.of("AWSPVDriver"));
                assertThat(Reliability.state(aws, id)).isEqualTo("running");
                retries = stepRetries(r);
            }
            case DRIVERS_OFFLINE -> {
                String id = Reliability.launch(aws, Reliability.WINDOWS_AMI, "dev");
                proxy.scenario().onlineAfterStart(id).automationOutcome(WindowsDriverUpgrade.RESCUE_DOCUMENT,
                        AutomationOutcome.success().withOutput("runScriptForWindows.Output", "AWSNVMe upgraded to 1.5.1")
                                .afterPolls(2));
                long before = proxy.counts().total();
                FaultRule rule = fault.inject(proxy.faults());

                RunResult r = runner.run(WindowsDriverUpgrade.plan(aws),
                        WindowsDriverUpgrade.inputs(id).with(WindowsDriverUpgrade.ALLOW_OFFLINE, true));

                injected = rule == null ? 0 : rule.injected();
                requests = proxy.counts().total() - before;
                proxy.faults().clear();
                assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
                assertThat(r.output(WindowsDriverUpgrade.OFFLINE_OUTPUT))
                        .contains(List.of("runScriptForWindows.Output=AWSNVMe upgraded to 1.5.1"));
                String ami = r.output(WindowsDriverUpgrade.PRE_OFFLINE_UPGRADE_BACKUP).orElseThrow();
                assertThat(imagesOfRun(r.runId())).extracting(Image::imageId).containsExactly(ami);
                assertThat(proxy.scenario().enaSupport(id)).contains(true);
                assertThat(Reliability.state(aws, id)).as("started again, as it was found").isEqualTo("running");
                retries = stepRetries(r);
            }
            default -> {
                String dev = Reliability.launch(aws, Reliability.WINDOWS_AMI, "dev");
                String prod = Reliability.launch(aws, Reliability.WINDOWS_AMI, "prod");
                for (String id : List.of(dev, prod)) {
                    proxy.scenario().managedInstance(id, "Windows");
                    proxy.scenario().patches(id, Patch.missing("KB5031356").withTitle("2023-10 Cumulative Update"),
                            Patch.installed("KB5030214"));
                }
                long before = proxy.counts().total();
                FaultRule rule = fault.inject(proxy.faults());

                PatchRolloutResult r = PatchRollout.builder("monthly-patching", aws)
                        .nonProduction(PatchTargets.tagged(aws, "Env", "dev"))
                        .production(PatchTargets.tagged(aws, "Env", "prod"))
                        .unpinnedProduction()
                        .soak(Duration.ZERO)
                        // one at a time, so the seeded faults hit the same requests on every run
                        .nonProductionWave(w -> w.maxConcurrency(1))
                        .productionWave(w -> w.maxConcurrency(1))
                        .build().run(runner);

                injected = rule == null ? 0 : rule.injected();
                requests = proxy.counts().total() - before;
                proxy.faults().clear();
                assertThat(r.status()).as(r.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
                for (String id : List.of(dev, prod)) {
                    assertThat(proxy.scenario().patchesOf(id)).as("patches of %s", id)
                            .allSatisfy(p -> assertThat(p.state()).isEqualTo(Patch.State.INSTALLED));
                }
                assertThat(r.backupImages()).hasSize(2).doesNotHaveDuplicates();
                assertThat(Reliability.images(aws)).extracting(Image::imageId)
                        .containsExactlyInAnyOrderElementsOf(r.backupImages());
                retries = Stream.of(r.result())
                        .flatMap(x -> x.waves().stream()).flatMap(w -> w.targets().stream())
                        .map(TargetResult::runResult).flatMap(java.util.Optional::stream)
                        .mapToLong(FaultMatrixIT::stepRetries).sum();
            }
        }
        if (fault == Fault.NONE) {
            CLEAN_REQUESTS.put(plan, requests);
        } else if (fault != Fault.LATENCY) {
            assertThat(injected).as("the fault fired").isPositive();
            assertThat(requests).as("the proxy's report counts every injected fault on top of a clean run's requests")
                    .isGreaterThanOrEqualTo(CLEAN_REQUESTS.getOrDefault(plan, 0L) + injected);
        }
        count("runs." + (fault == Fault.NONE ? "clean" : "faulted"), 1);
        count("runs.completed", 1);
        count("faults.injected", injected);
        count("faults.stepRetries", retries);
    }

    // ---------------------------------------------------------------- above the rate

    @Test
    void driversOnline_whenSendCommandIsAlwaysThrottled_failsAtTheDomainRoleCheck_beforeAnyChange() {
        String id = Reliability.launch(aws, Reliability.WINDOWS_AMI, "dev");
        proxy.scenario().managedInstance(id, "Windows");
        FaultRule rule = proxy.faults().throttle("SendCommand").always();

        RunResult r = runner.run(WindowsDriverUpgrade.plan(aws), WindowsDriverUpgrade.inputs(id));

        proxy.faults().clear();
        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        StepResult failed = r.step("checkDomainRole").orElseThrow();
        assertThat(r.steps(StepStatus.FAILED)).as("fails at one step").extracting(StepResult::name)
                .containsExactly("checkDomainRole");
        assertThat(failed.attempts()).as("every step attempt was made").isEqualTo(5);
        assertThat(failed.failure().toString()).containsIgnoringCase("throttl");
        assertThat(r.output(WindowsDriverUpgrade.PRE_UPGRADE_BACKUP)).as("the read-only preflight failed first").isEmpty();
        assertThat(imagesOfRun(r.runId())).isEmpty();
        assertThat(r.step("preUpgradeBackup").orElseThrow().status()).isEqualTo(StepStatus.NOT_REACHED);
        assertThat(proxy.counts().sentCommands()).as("no command reached the instance").isEmpty();
        assertThat(rule.injected()).isEqualTo(proxy.counts().count("SendCommand")).isEqualTo(5 * 2);
        assertThat(Reliability.state(aws, id)).isEqualTo("running");
        count("runs.failedAsExpected", 1);
    }

    @Test
    void driversOffline_whenAutomationAlwaysAnswers500_failsAtTheUpgrade_restoresTheInstance_andNamesTheBackup() {
        String id = Reliability.launch(aws, Reliability.WINDOWS_AMI, "dev");
        proxy.scenario().enaSupport(id, false);
        proxy.faults().serverError("StartAutomationExecution").always();

        RunResult r = runner.run(WindowsDriverUpgrade.plan(aws),
                WindowsDriverUpgrade.inputs(id).with(WindowsDriverUpgrade.ALLOW_OFFLINE, true));

        proxy.faults().clear();
        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.steps(StepStatus.FAILED)).extracting(StepResult::name).containsExactly("upgradeDriversOffline");
        assertThat(r.step("upgradeDriversOffline").orElseThrow().failure().toString()).contains("500");
        assertThat(r.reason()).contains("upgradeDriversOffline");
        String ami = r.output(WindowsDriverUpgrade.PRE_OFFLINE_UPGRADE_BACKUP).orElseThrow();
        assertThat(r.toString()).contains(ami);
        assertThat(imagesOfRun(r.runId())).extracting(Image::imageId).containsExactly(ami);
        assertThat(r.step("enableENASupport").orElseThrow().status()).as("the report shows ENA was enabled")
                .isEqualTo(StepStatus.SUCCEEDED);
        assertThat(r.step("restoreEnaSupport").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(proxy.scenario().enaSupport(id)).as("ENA support back to its value when found, before the start")
                .contains(false);
        assertThat(r.step("restoreInstanceState").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(Reliability.state(aws, id)).as("not left stopped").isEqualTo("running");
        count("runs.failedAsExpected", 1);
    }

    @Test
    void patchRollout_whenCreateImageAlwaysAnswers503_haltsBeforeAnyInstall_andTheReportSaysWhere() {
        String dev = Reliability.launch(aws, Reliability.WINDOWS_AMI, "dev");
        String prod = Reliability.launch(aws, Reliability.WINDOWS_AMI, "prod");
        for (String id : List.of(dev, prod)) {
            proxy.scenario().managedInstance(id, "Windows");
            proxy.scenario().patches(id, Patch.missing("KB5031356"));
        }
        proxy.faults().serviceUnavailable("CreateImage").always();

        PatchRolloutResult r = PatchRollout.builder("monthly-patching", aws)
                .nonProduction(PatchTargets.tagged(aws, "Env", "dev"))
                .production(PatchTargets.tagged(aws, "Env", "prod"))
                .unpinnedProduction()
                .soak(Duration.ZERO).build().run(runner);

        proxy.faults().clear();
        assertThat(r.status()).as(r.toString()).isEqualTo(RolloutStatus.HALTED);
        InstanceReport d = r.instance(PatchRollout.NON_PRODUCTION, dev).orElseThrow();
        assertThat(d.status()).isEqualTo("FAILED");
        assertThat(d.reason()).contains("amiBackup").contains("Status Code: 503");
        RunResult run = r.result().wave(PatchRollout.NON_PRODUCTION).targets().get(0).runResult().orElseThrow();
        assertThat(run.steps(StepStatus.FAILED)).extracting(StepResult::name).containsExactly("amiBackup");
        assertThat(run.step("install").orElseThrow().status()).isEqualTo(StepStatus.NOT_REACHED);
        assertThat(d.backupImage()).as("no backup was made, and none is named").isEmpty();
        assertThat(Reliability.images(aws)).isEmpty();
        assertThat(proxy.counts().sentCommands()).as("nothing installed anywhere")
                .noneMatch(c -> c.parameters().get("Operation").equals(List.of("Install")));
        assertThat(proxy.scenario().patchesOf(dev)).allSatisfy(p -> assertThat(p.state()).isEqualTo(Patch.State.MISSING));
        assertThat(r.result().wave(PatchRollout.PRODUCTION).total()).isZero();
        assertThat(r.toString()).contains(dev);
        count("runs.failedAsExpected", 1);
    }

    // ---------------------------------------------------------------- Aviatrix

    private static ControllerUpgrade upgrade(FakeController fake, java.util.function.Consumer<ControllerUpgrade.Builder> more) {
        ControllerUpgrade.Builder b = ControllerUpgrade.builder().client(Reliability.aviatrix(fake).build())
                .train(FakeController.DEFAULT_TRAIN).backup(Reliability.BACKUP);
        more.accept(b);
        return b.build();
    }

    @Test
    void aviatrix_when502And503WindowAfterEveryUpgrade_completesAndTheFakeCountsEveryRetry() {
        try (FakeController fake = FakeController.builder().version("6.5.2608").unavailableResponses(4).start()) {
            RunResult r = runner.run(upgrade(fake, b -> { }).plan(), Inputs.of(ControllerUpgrade.TARGET_VERSION, "6.8"));

            assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(fake.version()).isEqualTo("6.8.1148");
            assertThat(fake.backups()).as("before each of 3 hops and after the last").hasSize(4);
            long unavailable = fake.requests().stream().filter(q -> q.status() == 502 || q.status() == 503).count();
            assertThat(unavailable).as("4 answers of 502/503 after each of 3 upgrades").isEqualTo(12);
            assertThat(r.output(ControllerUpgrade.FINAL_VERSION)).hasValue(ControllerVersion.parse("6.8.1148"));
            count("runs.completed", 1);
            count("runs.faulted", 1);
            count("faults.injected", unavailable);
        }
    }

    @Test
    void aviatrix_whenTheCidExpiresAfterEveryHop_logsInAgainAndCompletes() {
        try (FakeController fake = FakeController.builder().version("6.5.2608").start()) {
            AtomicLong expiries = new AtomicLong();
            RunResult r = runner.run(upgrade(fake, b -> b.onHopCompleted(report -> {
                fake.expireSessions();
                expiries.incrementAndGet();
            })).plan(), Inputs.of(ControllerUpgrade.TARGET_VERSION, "6.8"));

            assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(fake.version()).isEqualTo("6.8.1148");
            assertThat(fake.versionsReached()).containsExactly("6.5.2608", "6.6.5612", "6.7.1376", "6.8.1148");
            assertThat(expiries).hasValue(3);
            assertThat(fake.requestCount("login")).as("a login again after each expiry").isGreaterThan(3);
            count("runs.completed", 1);
            count("runs.faulted", 1);
            count("faults.injected", expiries.get());
        }
    }

    @Test
    void aviatrix_when502And503OutlastTheClientsRetries_failsAtTheUpgrade_namingTheFaultAndTheBackup() {
        try (FakeController fake = FakeController.builder().version("6.5.2608").unavailableResponses(20).start()) {
            RunResult r = runner.run(upgrade(fake, b -> { }).plan(), Inputs.of(ControllerUpgrade.TARGET_VERSION, "6.8"));

            assertThat(r.status()).isEqualTo(RunStatus.FAILED);
            assertThat(r.steps(StepStatus.FAILED)).extracting(StepResult::name).containsExactly(ControllerUpgrade.UPGRADE_STEP);
            String failure = r.step(ControllerUpgrade.UPGRADE_STEP).orElseThrow().failure().message();
            assertThat(failure).containsAnyOf("502", "503").contains("Hop 1");
            assertThat(fake.backups()).as("the backup before hop 1 was made").hasSize(1);
            assertThat(failure).as("the failure names the backup").containsIgnoringCase("backup");
            assertThat(fake.upgrades()).hasSize(1);
            assertThat(r.toString()).contains(failure.substring(0, Math.min(40, failure.length())));
            count("runs.failedAsExpected", 1);
        }
    }
}
