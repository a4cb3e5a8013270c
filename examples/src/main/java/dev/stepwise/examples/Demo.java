package dev.stepwise.examples;

import dev.stepwise.aviatrix.AviatrixClient;
import dev.stepwise.aviatrix.BackupRequest;
import dev.stepwise.aviatrix.CloudType;
import dev.stepwise.aviatrix.ControllerUpgrade;
import dev.stepwise.aviatrix.testkit.FakeController;
import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.AwsTimings;
import dev.stepwise.aws.drivers.WindowsDriverUpgrade;
import dev.stepwise.aws.patch.PatchRollout;
import dev.stepwise.aws.patch.PatchRolloutResult;
import dev.stepwise.aws.patch.PatchTargets;
import dev.stepwise.aws.patch.Pin;
import dev.stepwise.aws.testkit.AutomationOutcome;
import dev.stepwise.aws.testkit.CommandOutcome;
import dev.stepwise.aws.testkit.FillInProxy;
import dev.stepwise.aws.testkit.MotoServer;
import dev.stepwise.aws.testkit.Patch;
import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Prediction;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.retry.RetryPolicy;
import dev.stepwise.core.rollout.RolloutEvent;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.rollout.Rollouts;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.run.StepStatus;
import dev.stepwise.core.run.VirtualTimeSource;
import dev.stepwise.micrometer.MicrometerListener;
import dev.stepwise.report.HtmlReport;
import dev.stepwise.report.RolloutMermaid;
import dev.stepwise.report.RolloutResults;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The main demo. It starts its own local stand-ins — Moto through the AWS testkit (with a few Windows and
 * Linux instances, some managed by SSM, some not) and the fake Aviatrix controller — then, for each
 * capability, shows the plan, dry-runs it, runs it live and checks that each did what it says. It exits
 * with status 1 if any check fails.
 *
 * <p>Run it from the repository's root with {@code mvn -B -q -DskipTests -pl examples -am package exec:java}.
 */
public final class Demo {
    private static final Key<String> HOST = Key.of("host", String.class);
    private static final Key<Integer> MISSING = Key.of("missing", Integer.class);
    private static final String WINDOWS_AMI = "ami-b7e93bce";
    private static final String LINUX_AMI = "ami-0123456789abcdef0";

    private final List<String> failures = new ArrayList<>();
    /** Everything the demo ran, for the HTML report written at the end. */
    private HtmlReport report;

    private Demo() {
    }

    public static void main(String[] args) {
        Demo demo = new Demo();
        demo.corePlan();
        demo.longRollout();
        try (FillInProxy proxy = FillInProxy.start(MotoServer.shared());
                AwsContext aws = AwsContext.builder().region("us-east-1").endpointOverride(proxy.endpoint())
                        .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("demo", "demo")))
                        .timings(AwsTimings.allOf(Duration.ofMillis(20))).build()) {
            demo.driversUpgrade(proxy, aws);
            demo.patchRollout(proxy, aws);
        }
        demo.aviatrixUpgrade();
        demo.observe();
        demo.writeReport();
        if (!demo.failures.isEmpty()) {
            System.out.println("\nDEMO FAILED:");
            demo.failures.forEach(f -> System.out.println("  - " + f));
            System.exit(1);
        }
        System.out.println("\nEvery demo did what it says.");
        System.exit(0);
    }

    /** A rollout longer than any process: it parks at its soak, a "cron job" resumes it, nothing runs twice. */
    private void longRollout() {
        title("1b. A rollout that outlives its process: park at the soak, resume later");
        VirtualTimeSource clock = VirtualTimeSource.create();
        Map<String, AtomicInteger> patched = new java.util.concurrent.ConcurrentHashMap<>();
        Plan patch = Plan.builder("patch-host").input(Input.required(HOST))
                .step(Step.mutating("patch").reads(HOST)
                        .run(ctx -> patched.computeIfAbsent(ctx.get(HOST), k -> new AtomicInteger()).incrementAndGet()))
                .build();
        Rollout rollout = Rollout.builder("monthly-patching", patch).inputs(t -> Inputs.of(HOST, t))
                .wave("non-production", w -> w.targets("dev-1", "dev-2"))
                .soak(Duration.ofDays(7))
                .wave("production", w -> w.targets("prod-1", "prod-2").maxConcurrency(1))
                .build();
        JournalStore journals;
        try {
            journals = JournalStore.directory(java.nio.file.Files.createTempDirectory("stepwise-demo-journals"));
        } catch (java.io.IOException e) {
            check(false, "a journal directory can be made: " + e.getMessage());
            return;
        }
        // a job that runs, say, daily from cron: it never waits in the process longer than 15 minutes
        Runner cronJob = Runner.create().withTimeSource(clock).withJournal(journals).parkLongerThan(Duration.ofMinutes(15));

        RolloutResult first = cronJob.run(rollout);
        System.out.println(first);
        System.out.println(Rollouts.status(journals, first.rolloutId()));
        check(first.status() == RolloutStatus.WAITING && first.resumeAt().equals(clock.now().plus(Duration.ofDays(7))),
                "the first run patches non-production and parks at the 7-day soak");

        clock.advance(Duration.ofDays(7));
        RolloutResult resumed = cronJob.resume(rollout, first.rolloutId());
        System.out.println(resumed);
        check(resumed.status() == RolloutStatus.SUCCEEDED, "a resume a week later finishes the rollout");
        check(patched.size() == 4 && patched.values().stream().allMatch(n -> n.get() == 1),
                "every target was patched exactly once across the two processes");
    }

    /** A plan with a precondition, a retried step, a branch and an end, dry-run then run live. */
    private void corePlan() {
        title("1. A plan of your own: precondition, retries, a branch");
        List<String> changes = new ArrayList<>();
        AtomicInteger installAttempts = new AtomicInteger();
        Plan plan = Plan.builder("patch-host")
                .describedAs("back up a host, scan it, and install what is missing")
                .input(Input.required(HOST).matching("[a-z0-9-]+"))
                .require("host answers", ctx -> true)
                .step(Step.mutating("backup")
                        .describedAs("snapshot the host's disk")
                        .predict(ctx -> List.of(Prediction.call("disk", "Snapshot", Map.of("host", ctx.get(HOST)))))
                        .run(ctx -> changes.add("snapshot of " + ctx.get(HOST))))
                .step(Step.readOnly("scan").output(MISSING).action(ctx -> 2))
                .branch("anything missing?", ctx -> ctx.get(MISSING) > 0,
                        then -> then.step(Step.mutating("install")
                                .retry(RetryPolicy.builder().maxAttempts(3).delay(Duration.ofMillis(200)).build())
                                .run(ctx -> {
                                    if (installAttempts.incrementAndGet() == 1) {
                                        throw new IllegalStateException("package mirror busy (a flaky first attempt)");
                                    }
                                    changes.add("installed " + ctx.get(MISSING) + " patches");
                                })),
                        otherwise -> otherwise.end("nothing to install"))
                .build();
        System.out.println(plan);

        RunResult dry = Runner.create().dryRun().run(plan, Inputs.of(HOST, "db-1"));
        System.out.println(dry);
        check(dry.status() == RunStatus.SUCCEEDED, "dry run succeeds");
        check(changes.isEmpty(), "dry run changes nothing");
        check(dry.step("backup").map(s -> s.status() == StepStatus.PREDICTED).orElse(false), "dry run predicts the backup");

        RunResult live = Runner.create().run(plan, Inputs.of(HOST, "db-1"));
        System.out.println(live);
        add(plan, live);
        check(live.status() == RunStatus.SUCCEEDED, "live run succeeds");
        check(changes.equals(List.of("snapshot of db-1", "installed 2 patches")), "live run makes exactly the predicted changes");
        check(live.step("install").map(s -> s.attempts() == 2).orElse(false), "the flaky install took two attempts");
    }

    /** The drivers runbook on three instances: managed Windows (online), unmanaged Windows (offline), Linux (refused). */
    private void driversUpgrade(FillInProxy proxy, AwsContext aws) {
        title("2. AWSSupport-UpgradeWindowsAWSDrivers, against Moto");
        String online = launch(aws, WINDOWS_AMI, "drivers");
        String offline = launch(aws, WINDOWS_AMI, "drivers");
        String linux = launch(aws, LINUX_AMI, "drivers");
        proxy.scenario().managedInstance(online, "Windows").managedInstance(linux, "Linux")
                .commandOutcome(online, "AWS-RunPowerShellScript", CommandOutcome.success("3"))
                .onlineAfterStart(offline)
                .automationOutcome(WindowsDriverUpgrade.RESCUE_DOCUMENT, AutomationOutcome.success()
                        .withOutput("runScriptForWindows.Output", "AwsEnaNetworkDriver upgraded to 2.8.0").afterPolls(2));
        Plan plan = WindowsDriverUpgrade.plan(aws);
        System.out.println(plan);

        RunResult dry = Runner.create().dryRun().run(plan, WindowsDriverUpgrade.inputs(online));
        System.out.println(dry);
        check(dry.isSuccess() && proxy.counts().count("CreateImage") == 0 && proxy.counts().sentCommands().size() == 1,
                "dry run of the online path makes no backup; its only command is the read-only domain-role check");

        RunResult onlineRun = Runner.create().run(plan, WindowsDriverUpgrade.inputs(online));
        System.out.println(onlineRun);
        add(plan, onlineRun);
        check(onlineRun.status() == RunStatus.SUCCEEDED && onlineRun.output(WindowsDriverUpgrade.PRE_UPGRADE_BACKUP).isPresent(),
                "managed Windows instance: backed up, then three drivers installed through SSM");
        check(proxy.counts().sentCommands().stream().filter(c -> c.documentName().equals("AWS-ConfigureAWSPackage"))
                .count() == 3, "exactly three driver packages were sent");

        RunResult refused = Runner.create().run(plan, WindowsDriverUpgrade.inputs(offline));
        System.out.println(refused);
        check(refused.status() == RunStatus.FAILED && proxy.counts().count("StopInstances") == 0,
                "unmanaged instance without AllowOffline: fails with the reason, nothing changed or upgraded");

        RunResult offlineRun = Runner.create().run(plan, WindowsDriverUpgrade.inputs(offline)
                .with(WindowsDriverUpgrade.ALLOW_OFFLINE, true));
        System.out.println(offlineRun);
        add(plan, offlineRun);
        check(offlineRun.status() == RunStatus.SUCCEEDED
                        && offlineRun.output(WindowsDriverUpgrade.OFFLINE_OUTPUT).orElse(List.of()).toString().contains("2.8.0"),
                "unmanaged instance with AllowOffline: stopped, backed up, upgraded by EC2Rescue, started, PV online");

        RunResult linuxRun = Runner.create().run(plan, WindowsDriverUpgrade.inputs(linux));
        System.out.println(linuxRun);
        check(linuxRun.status() == RunStatus.FAILED && linuxRun.reason().contains("upgrades Windows instances only"),
                "Linux instance: stops at the Windows check before any change");
    }

    /** A staged patch rollout: non-production, a week's soak on a virtual clock, then production if the patches match. */
    private void patchRollout(FillInProxy proxy, AwsContext aws) {
        title("3. A staged patch rollout: non-production, soak, compare, production");
        List<String> dev = List.of(launch(aws, WINDOWS_AMI, "dev"), launch(aws, LINUX_AMI, "dev"));
        List<String> prod = List.of(launch(aws, WINDOWS_AMI, "prod"), launch(aws, LINUX_AMI, "prod"),
                launch(aws, WINDOWS_AMI, "prod"));
        for (String id : List.of(dev.get(0), prod.get(0), prod.get(2))) {
            proxy.scenario().managedInstance(id, "Windows").patches(id,
                    Patch.missing("KB5031356").withTitle("2023-10 Cumulative Update").withSeverity("Critical"),
                    Patch.installed("KB5030214").withTitle("2023-09 Servicing Stack Update"));
        }
        for (String id : List.of(dev.get(1), prod.get(1))) {
            proxy.scenario().managedInstance(id, "Linux").patches(id, Patch.missing("openssl.x86_64").withSeverity("Important"));
        }
        // production installs exactly what non-production verified: the list goes to S3, where instances read it
        try (S3Client s3 = aws.configure(S3Client.builder()).credentialsProvider(aws.credentials()).forcePathStyle(true)
                .build()) {
            s3.createBucket(b -> b.bucket("demo-patch-lists"));
        }
        PatchRollout rollout = PatchRollout.builder("monthly-patching", aws)
                .nonProduction(PatchTargets.tagged(aws, "Env", "dev"))
                .production(PatchTargets.tagged(aws, "Env", "prod"))
                .soak(Duration.ofDays(7))
                .pin(Pin.s3("demo-patch-lists", "monthly/"))
                .productionWave(w -> w.maxConcurrency(2).maxErrors(0))
                .build();
        System.out.println(rollout);
        // The soak is a week; a virtual clock lets the demo show it without waiting.
        Runner runner = Runner.create().withTimeSource(VirtualTimeSource.create());

        PatchRolloutResult dry = rollout.dryRun(runner);
        System.out.println(dry);
        check(proxy.counts().sentCommands().stream().noneMatch(c -> c.documentName().equals("AWS-RunPatchBaseline")),
                "dry run of the rollout sends no Scan or Install");

        PatchRolloutResult live = rollout.run(runner.withRolloutListener(Demo::progress));
        System.out.println(live);
        add(live.result());
        check(live.status() == RolloutStatus.SUCCEEDED, "the staged rollout succeeds");
        check(live.backupImages().size() == 5, "every instance was backed up before its install");
        check(live.comparison().map(c -> c.matches()).orElse(false),
                "production's patches matched what non-production installed and verified");
    }

    /** A progress line per finished target, which is what a console progress bar follows. */
    private static void progress(RolloutEvent e) {
        if (e instanceof RolloutEvent.TargetFinished t) {
            int width = 20;
            int done = t.progress().total() == 0 ? width : width * t.progress().done() / t.progress().total();
            System.out.printf("  [%-16s] %s%s %s%n", t.wave(), "#".repeat(done), ".".repeat(width - done), t.progress());
        }
    }

    /** The Aviatrix controller stepped from 6.5 to 6.8 on the fake controller. */
    private void aviatrixUpgrade() {
        title("4. Stepping an Aviatrix controller from 6.5 to 6.8, on the fake controller");
        try (FakeController fake = FakeController.builder().version("6.5.2608").gateway("spoke-1").start()) {
            AviatrixClient client = AviatrixClient.builder().controller(fake.uri())
                    .username(FakeController.DEFAULT_USERNAME).password(FakeController.DEFAULT_PASSWORD.toCharArray())
                    .allowPlainHttpOnLoopback().unavailableRetryInterval(Duration.ofMillis(10)).build();
            ControllerUpgrade upgrade = ControllerUpgrade.builder().client(client).train(FakeController.DEFAULT_TRAIN)
                    .gateways("spoke-1").backup(BackupRequest.of(CloudType.AWS, "aws-primary", "controller-backups"))
                    .upgradeInitialDelay(Duration.ofMillis(10)).pollInterval(Duration.ofMillis(10)).build();
            Inputs to68 = Inputs.of(ControllerUpgrade.TARGET_VERSION, "6.8");
            System.out.println(upgrade.plan());

            RunResult dry = Runner.create().dryRun().run(upgrade.plan(), to68);
            System.out.println(dry);
            check(dry.isSuccess() && fake.backups().isEmpty() && fake.versionsReached().size() == 1,
                    "dry run lists every hop and changes nothing on the controller");

            RunResult live = Runner.create().run(upgrade.plan(), to68);
            System.out.println(live);
            add(upgrade.plan(), live);
            System.out.println("  versions reached: " + fake.versionsReached());
            check(live.status() == RunStatus.SUCCEEDED && fake.version().startsWith("6.8"), "the controller ends on 6.8");
            check(fake.backups().size() == 4, "a backup was taken before each of the three hops and after the last");
        }
    }

    private void add(Plan plan, RunResult result) {
        report = report == null ? HtmlReport.of(plan, result) : report.and(plan, result);
    }

    private void add(RolloutResult result) {
        report = report == null ? HtmlReport.of(result) : report.and(result);
    }

    /** The ecosystem modules: metrics from events (stepwise-micrometer), a Mermaid chart and JSON read back (stepwise-report). */
    private void observe() {
        title("4b. Metrics from events, a Mermaid chart, a result read back from JSON");
        AtomicInteger tries = new AtomicInteger();
        Plan plan = Plan.builder("restart-service").input(HOST)
                .step(Step.mutating("restart").reads(HOST)
                        .retry(RetryPolicy.builder().maxAttempts(3).delay(Duration.ofSeconds(10)).build())
                        .run(ctx -> {
                            if (tries.incrementAndGet() == 1) {
                                throw new IllegalStateException("service manager busy (a flaky first attempt)");
                            }
                        }))
                .build();
        Rollout rollout = Rollout.builder("service-restart", plan).inputs(t -> Inputs.of(HOST, t))
                .wave("canary", w -> w.targets("web-1"))
                .soak(Duration.ofHours(1))
                .wave("fleet", w -> w.targets("web-2", "web-3", "web-4").maxConcurrency(2))
                .build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MicrometerListener metrics = MicrometerListener.of(registry);
        RolloutResult result = Runner.create().withTimeSource(VirtualTimeSource.create()).withListener(metrics)
                .withRolloutListener(metrics).run(rollout);
        registry.getMeters().stream().filter(m -> m.getId().getName().matches("stepwise\\.(targets|checkpoints|step\\.retries)"))
                .forEach(m -> System.out.println("  " + m.getId().getName() + " " + m.getId().getTags() + " = "
                        + m.measure().iterator().next().getValue()));
        System.out.println(RolloutMermaid.of(result));
        add(result);
        check(registry.get("stepwise.targets").tag("status", "succeeded").counters().stream()
                        .mapToDouble(c -> c.count()).sum() == 4,
                "the metrics count four targets that succeeded, tagged by wave and never by target");
        check(registry.get("stepwise.step.retries").counter().count() == 1, "the metrics count the one retry");
        check(RolloutResults.fromJson(result.toJson()).toJson().equals(result.toJson()),
                "the rollout's JSON reads back into the same RolloutResult");
    }

    /** One self-contained page with every live run above: plan diagrams, timelines and tables. */
    private void writeReport() {
        title("5. The report");
        Path file = report.titled("Stepwise demo").writeTo(Path.of("target", "stepwise-demo-report.html").toAbsolutePath());
        System.out.println("  HTML report: " + file);
        try {
            String html = Files.readString(file);
            boolean loadsNothing = !html.matches("(?s).*(<script|<link|<img|\\ssrc=|\\shref=|url\\().*");
            check(html.contains("<svg") && loadsNothing,
                    "the report is one self-contained page with inline diagrams and nothing to download");
        } catch (IOException e) {
            check(false, "the report can be read back: " + e.getMessage());
        }
    }

    private static String launch(AwsContext aws, String ami, String env) {
        return aws.ec2().runInstances(r -> r.imageId(ami).minCount(1).maxCount(1)
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE)
                        .tags(Tag.builder().key("Env").value(env).build()).build())).instances().get(0).instanceId();
    }

    private static void title(String title) {
        System.out.println("\n" + "=".repeat(100) + "\n" + title + "\n" + "=".repeat(100) + "\n");
    }

    private void check(boolean ok, String what) {
        System.out.println((ok ? "  ok   " : "  FAIL ") + what);
        if (!ok) {
            failures.add(what);
        }
    }
}
