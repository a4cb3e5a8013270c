package dev.stepwise.examples.reliability;

import dev.stepwise.aviatrix.ControllerUpgrade;
import dev.stepwise.aviatrix.testkit.FakeController;
import dev.stepwise.aviatrix.testkit.FakeController.RecordedRequest;
import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.drivers.WindowsDriverUpgrade;
import dev.stepwise.aws.patch.PatchRollout;
import dev.stepwise.aws.patch.PatchRolloutResult;
import dev.stepwise.aws.patch.PatchTargets;
import dev.stepwise.aws.testkit.AutomationOutcome;
import dev.stepwise.aws.testkit.CommandOutcome;
import dev.stepwise.aws.testkit.FillInProxy;
import dev.stepwise.aws.testkit.Patch;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import dev.stepwise.report.HtmlReport;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Run by {@link SecretScanIT} in a child JVM with every logger at TRACE: every built-in plan, plus a plan with a
 * secret input, live, journaled to files, with every report written and printed. The secrets it used (the ones
 * only known at run time: the CIDs and API tokens the fake issued) go to a file outside the scanned directory.
 *
 * <p>Arguments: the Moto endpoint, the directory to write journals and reports to, the file to list secrets in.
 */
public final class SecretScanRun {
    /** A secret input value, to prove the journal and the results redact secret inputs. */
    static final String SECRET_INPUT = "Secret-Input-Value-7f3a9c2e";
    static final Key<String> DB_PASSWORD = Key.secret("DbPassword", String.class);
    static final Key<String> DB_HOST = Key.of("DbHost", String.class);
    static final Key<String> CONNECTED = Key.of("connected", String.class);

    private SecretScanRun() {
    }

    public static void main(String[] args) throws IOException {
        URI moto = URI.create(args[0]);
        Path out = Path.of(args[1]);
        Path secretsFile = Path.of(args[2]);
        Path reports = Files.createDirectories(out.resolve("reports"));
        Set<String> secrets = new LinkedHashSet<>();
        Runner runner = Runner.create().withTimeSource(VirtualTimeSource.create())
                .withJournal(JournalStore.directory(out.resolve("journals")));

        try (FillInProxy proxy = FillInProxy.start(moto); AwsContext aws = Reliability.aws(proxy)) {
            String online = Reliability.launch(aws, Reliability.WINDOWS_AMI, "secrets-dev");
            proxy.scenario().managedInstance(online, "Windows");
            proxy.scenario().commandOutcome(online, "AWS-ConfigureAWSPackage",
                    CommandOutcome.success("Successfully installed").afterPolls(1))
                    .commandOutcome(online, "AWS-RunPowerShellScript", CommandOutcome.success("3"));
            // a throttle makes the SDK and the step retry, so retry log lines are in the scan too
            proxy.faults().throttle("SendCommand").times(3);
            write(reports, "drivers-online", WindowsDriverUpgrade.plan(aws),
                    runner.run(WindowsDriverUpgrade.plan(aws), WindowsDriverUpgrade.inputs(online)));
            proxy.faults().clear();

            String offline = Reliability.launch(aws, Reliability.WINDOWS_AMI, "secrets-dev");
            proxy.scenario().onlineAfterStart(offline).automationOutcome(WindowsDriverUpgrade.RESCUE_DOCUMENT,
                    AutomationOutcome.success().withOutput("runScriptForWindows.Output", "upgraded"));
            write(reports, "drivers-offline", WindowsDriverUpgrade.plan(aws), runner.run(WindowsDriverUpgrade.plan(aws),
                    WindowsDriverUpgrade.inputs(offline).with(WindowsDriverUpgrade.ALLOW_OFFLINE, true)));

            String dev = Reliability.launch(aws, Reliability.WINDOWS_AMI, "secrets-patch-dev");
            String prod = Reliability.launch(aws, Reliability.WINDOWS_AMI, "secrets-patch-prod");
            for (String id : List.of(dev, prod)) {
                proxy.scenario().managedInstance(id, "Windows");
                proxy.scenario().patches(id, Patch.missing("KB5031356"));
            }
            PatchRolloutResult patched = PatchRollout.builder("secret-scan-patching", aws)
                    .nonProduction(PatchTargets.tagged(aws, "Env", "secrets-patch-dev"))
                    .production(PatchTargets.tagged(aws, "Env", "secrets-patch-prod"))
                    .unpinnedProduction()
                    .soak(Duration.ZERO).build().run(runner);
            text(reports, "patch-rollout.txt", patched.toString());
            text(reports, "patch-rollout.json", patched.toJson());
            text(reports, "patch-rollout-result.txt", patched.result().toString());
            text(reports, "patch-rollout-result.json", patched.result().toJson());
            html = html.and(patched.result());
            System.out.println(patched);
        }

        try (FakeController ok = FakeController.builder().version("6.5.2608").gateway("spoke-1").start();
                FakeController failing = FakeController.builder().version("6.5.2608").start()) {
            failing.failUpgradeAtHop(2, "Upgrade failed on the controller.");
            AtomicBoolean expired = new AtomicBoolean();
            ControllerUpgrade upgrade = ControllerUpgrade.builder().client(Reliability.aviatrix(ok).build())
                    .train(FakeController.DEFAULT_TRAIN).gateways("spoke-1").backup(Reliability.BACKUP)
                    .onHopCompleted(r -> {
                        if (expired.compareAndSet(false, true)) {
                            ok.expireSessions();
                        }
                    }).build();
            System.out.println(upgrade);
            Inputs target = Inputs.of(ControllerUpgrade.TARGET_VERSION, "6.8");
            write(reports, "aviatrix-dry", upgrade.plan(), runner.dryRun().run(upgrade.plan(), target));
            write(reports, "aviatrix-live", upgrade.plan(), runner.run(upgrade.plan(), target));
            ControllerUpgrade doomed = ControllerUpgrade.builder().client(Reliability.aviatrix(failing).build())
                    .train(FakeController.DEFAULT_TRAIN).backup(Reliability.BACKUP).build();
            write(reports, "aviatrix-failed", doomed.plan(), runner.run(doomed.plan(), target));
            for (FakeController fake : List.of(ok, failing)) {
                for (RecordedRequest r : fake.requests()) {
                    if (r.params().containsKey("CID")) {
                        secrets.add(r.params().get("CID"));
                    }
                    r.headers().getOrDefault("x-access-key", List.of()).forEach(secrets::add);
                }
            }
        }

        Plan withSecret = Plan.builder("database-maintenance")
                .input(Input.required(DB_HOST))
                .input(Input.required(DB_PASSWORD).rule("be at least 12 characters", s -> s.length() >= 12))
                .step(Step.mutating("connect").output(CONNECTED).reads(DB_HOST, DB_PASSWORD)
                        .action(ctx -> "connected to " + ctx.get(DB_HOST) + " with a password of "
                                + ctx.get(DB_PASSWORD).length() + " characters"))
                .build();
        write(reports, "secret-input", withSecret,
                runner.run(withSecret, Inputs.of(DB_HOST, "db-1.internal", DB_PASSWORD, SECRET_INPUT)));
        html.writeTo(reports.resolve("all-runs.html"));

        Files.write(secretsFile, secrets, StandardCharsets.UTF_8);
    }

    /** Every report as one HTML page too, so the scan covers the HTML rendering. */
    private static HtmlReport html;

    private static void write(Path dir, String name, Plan plan, RunResult r) {
        html = html == null ? HtmlReport.of(plan, r) : html.and(plan, r);
        System.out.println(r);
        text(dir, name + ".txt", r.toString());
        text(dir, name + ".json", r.toJson());
    }

    private static void text(Path dir, String name, String text) {
        try {
            Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
