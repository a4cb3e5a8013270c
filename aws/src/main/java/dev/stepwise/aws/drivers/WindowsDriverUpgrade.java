package dev.stepwise.aws.drivers;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.ec2.Ec2Steps;
import dev.stepwise.aws.ec2.InstanceFacts;
import dev.stepwise.aws.ssm.AutomationResult;
import dev.stepwise.aws.ssm.SsmSteps;
import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.OnFailure;
import dev.stepwise.core.plan.Prediction;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.plan.StepContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code AWSSupport-UpgradeWindowsAWSDrivers} runbook as a Stepwise plan, with the same parameters and
 * output names: it upgrades the ENA, NVMe and PV drivers of a Windows instance, online through SSM when the
 * instance is managed, otherwise offline through {@code AWSSupport-StartEC2RescueWorkflow} when
 * {@code AllowOffline} is true — always behind an AMI backup, which the result names even when a later step
 * fails.
 *
 * <p>Safer than the runbook: bad parameters are refused before any call; the backup is tagged with the run
 * and never made twice by a retried or resumed step; an unmanaged instance without {@code AllowOffline}
 * ends with the reason and nothing changed; the offline path starts the instance again if it was running
 * when found, also after a failed upgrade. Parameters: {@link #INSTANCE_ID} (required, {@code i-} and 8 or
 * 17 hex digits), {@link #ALLOW_OFFLINE} (default false), {@link #FORCE_UPGRADE} (default false),
 * {@link #SUBNET_ID} (default {@code SelectedInstanceSubnet}), {@link #AUTOMATION_ASSUME_ROLE} (optional,
 * passed to the EC2Rescue automation). The plan is immutable and thread-safe.
 *
 * <pre>{@code
 * Plan plan = WindowsDriverUpgrade.plan(aws);
 * RunResult dry = Runner.create().dryRun().run(plan, WindowsDriverUpgrade.inputs("i-0123456789abcdef0"));
 * RunResult live = Runner.create().run(plan, WindowsDriverUpgrade.inputs("i-0123456789abcdef0").with(WindowsDriverUpgrade.ALLOW_OFFLINE, true));
 * live.output(WindowsDriverUpgrade.PRE_UPGRADE_BACKUP).ifPresent(ami -> System.out.println("backup: " + ami));
 * }</pre>
 */
public final class WindowsDriverUpgrade {
    /** The runbook's name, which is also the plan's. */
    public static final String NAME = "AWSSupport-UpgradeWindowsAWSDrivers";

    public static final Key<String> INSTANCE_ID = Key.of("InstanceId", String.class);
    public static final Key<Boolean> ALLOW_OFFLINE = Key.of("AllowOffline", Boolean.class);
    public static final Key<Boolean> FORCE_UPGRADE = Key.of("ForceUpgrade", Boolean.class);
    public static final Key<String> SUBNET_ID = Key.of("SubnetId", String.class);
    public static final Key<String> AUTOMATION_ASSUME_ROLE = Key.of("AutomationAssumeRole", String.class);

    public static final Key<String> PRE_UPGRADE_BACKUP = Key.of("preUpgradeBackup.ImageId", String.class);
    public static final Key<String> PRE_OFFLINE_UPGRADE_BACKUP = Key.of("preOfflineUpgradeBackup.ImageId", String.class);
    public static final Key<String> ENA_OUTPUT = Key.of("installAwsEnaNetworkDriverOnInstance.Output", String.class);
    public static final Key<String> NVME_OUTPUT = Key.of("installAWSNVMeOnInstance.Output", String.class);
    public static final Key<String> PV_OUTPUT = Key.of("installAWSPVDriverOnInstance.Output", String.class);
    public static final Key<String> OFFLINE_OUTPUT = Key.of("upgradeDriversOffline.Output", String.class);
    public static final Key<String> FORCE_OFFLINE_OUTPUT = Key.of("forceUpgradeDriversOffline.Output", String.class);

    /** The instance as found before anything changed. */
    public static final Key<InstanceFacts> INSTANCE = Key.of("instance", InstanceFacts.class);
    /** Whether SSM manages the instance with an online agent. */
    public static final Key<Boolean> MANAGED = Key.of("managed", Boolean.class);
    private static final Key<String> STATE_AFTER_STOP = Key.of("stateAfterStop", String.class);
    private static final Key<String> STATE_AFTER_FORCE_STOP = Key.of("stateAfterForceStop", String.class);
    private static final Key<Boolean> ENA_ENABLED = Key.of("enaEnabled", Boolean.class);
    private static final Key<AutomationResult> RESCUE = Key.of("rescue", AutomationResult.class);
    private static final Key<AutomationResult> FORCE_RESCUE = Key.of("forceRescue", AutomationResult.class);
    private static final Key<String> STATE_AT_END = Key.of("stateAtEnd", String.class);

    /** The Automation document the offline path runs. */
    public static final String RESCUE_DOCUMENT = "AWSSupport-StartEC2RescueWorkflow";
    private static final String SCRIPT_RESOURCE = "upgrade-drivers-offline.ps1";
    private static final String ROLE_ARN = "arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}";

    private WindowsDriverUpgrade() {
    }

    /** The runbook's inputs for one instance, with every other parameter at its default. */
    public static Inputs inputs(String instanceId) {
        return Inputs.of(INSTANCE_ID, Objects.requireNonNull(instanceId, "instanceId"));
    }

    /** The plan, acting in {@code aws}. */
    public static Plan plan(AwsContext aws) {
        Ec2Steps ec2 = Ec2Steps.using(aws);
        SsmSteps ssm = SsmSteps.using(aws);
        return Plan.builder(NAME)
                .describedAs("upgrade the ENA, NVMe and PV drivers of a Windows instance, online through SSM or "
                        + "offline through EC2Rescue, always behind an AMI backup")
                .input(Input.required(INSTANCE_ID).matching("i-([0-9a-f]{8}|[0-9a-f]{17})")
                        .describedAs("the Windows instance to upgrade"))
                .input(Input.optional(ALLOW_OFFLINE, false)
                        .describedAs("allow stopping the instance for an offline upgrade when SSM cannot reach it"))
                .input(Input.optional(FORCE_UPGRADE, false)
                        .describedAs("offline only: upgrade even drivers that are already the latest"))
                .input(Input.optional(SUBNET_ID, "SelectedInstanceSubnet")
                        .rule("be SelectedInstanceSubnet, CreateNewVPC or a subnet id (subnet- and 8 or 17 hex digits)",
                                s -> s.equals("SelectedInstanceSubnet") || s.equals("CreateNewVPC")
                                        || s.matches("subnet-([0-9a-f]{8}|[0-9a-f]{17})"))
                        .describedAs("offline only: the subnet of the EC2Rescue helper instance"))
                .input(Input.optional(AUTOMATION_ASSUME_ROLE).matching(ROLE_ARN)
                        .describedAs("the IAM role the EC2Rescue automation runs as"))
                .step(ec2.describe("describeInstance", INSTANCE_ID, INSTANCE))
                .require("the instance is Windows", ctx -> ctx.get(INSTANCE).isWindows())
                .step(ssm.isManaged("assertInstanceIsManaged", INSTANCE_ID, MANAGED))
                .branch("SSM manages the instance (online upgrade)?", ctx -> ctx.get(MANAGED),
                        online -> online
                                .step(ec2.createImage("preUpgradeBackup", INSTANCE_ID, PRE_UPGRADE_BACKUP, false))
                                .step(ssm.installPackage("installAwsEnaNetworkDriverOnInstance", INSTANCE_ID,
                                        "AwsEnaNetworkDriver", null, ENA_OUTPUT))
                                .step(ssm.installPackage("installAWSNVMeOnInstance", INSTANCE_ID, "AWSNVMe", null,
                                        NVME_OUTPUT))
                                .step(ssm.installPackage("installAWSPVDriverOnInstance", INSTANCE_ID, "AWSPVDriver",
                                        "Uninstall and reinstall", PV_OUTPUT)),
                        offline -> offline
                                .when("AllowOffline is false?", ctx -> !ctx.get(ALLOW_OFFLINE),
                                        refuse -> refuse.end("the instance is not managed by SSM (or its agent is not "
                                                + "online) and AllowOffline is false: nothing was changed"))
                                .step(ec2.stop("stopInstance", INSTANCE_ID, STATE_AFTER_STOP))
                                .step(ec2.forceStop("forceStopInstance", INSTANCE_ID, STATE_AFTER_FORCE_STOP))
                                .step(ec2.createImage("preOfflineUpgradeBackup", INSTANCE_ID, PRE_OFFLINE_UPGRADE_BACKUP, true))
                                .step(ec2.enableEnaSupport("enableENASupport", INSTANCE_ID, ENA_ENABLED)
                                        .onFailure(OnFailure.goTo("restoreInstanceState")))
                                .branch("ForceUpgrade is true?", ctx -> ctx.get(FORCE_UPGRADE),
                                        forced -> forced.step(rescue(ssm, "forceUpgradeDriversOffline", true, FORCE_RESCUE,
                                                FORCE_OFFLINE_OUTPUT).onFailure(OnFailure.goTo(
                                                "restoreInstanceState"))),
                                        normal -> normal.step(rescue(ssm, "upgradeDriversOffline", false, RESCUE,
                                                OFFLINE_OUTPUT).onFailure(OnFailure.goTo(
                                                "restoreInstanceState"))))
                                .step(restore(ec2, aws)))
                .build();
    }

    /** Runs the EC2Rescue workflow with the upgrade script; its output is the script's output on Windows. */
    private static Step.Builder<String> rescue(SsmSteps ssm, String name, boolean force, Key<AutomationResult> result,
            Key<String> out) {
        Step.Builder<AutomationResult> start = ssm.startAutomation(name, RESCUE_DOCUMENT, ctx -> rescueParameters(ctx, force),
                result);
        Step<AutomationResult> inner = start.build();
        return Step.mutating(name).output(out).reads(INSTANCE_ID).retry(inner.retry())
                .describedAs("upgrade the drivers offline with " + RESCUE_DOCUMENT + (force ? " (forced)" : ""))
                .predict(inner::predict)
                .action(ctx -> {
                    AutomationResult r = inner.action().execute(ctx);
                    return r.output("runScriptForWindows.Output");
                });
    }

    static Map<String, List<String>> rescueParameters(StepContext ctx, boolean force) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        p.put("InstanceId", List.of(ctx.get(INSTANCE_ID)));
        p.put("OfflineScript", List.of(offlineScript(force)));
        p.put("SubnetId", List.of(ctx.get(SUBNET_ID)));
        p.put("CreatePreEC2RescueBackup", List.of("False"));
        p.put("CreatePostEC2RescueBackup", List.of("False"));
        p.put("UniqueId", List.of(ctx.runId()));
        ctx.find(AUTOMATION_ASSUME_ROLE).ifPresent(role -> p.put("AutomationAssumeRole", List.of(role)));
        return p;
    }

    /** The offline upgrade script, base64 of its UTF-16LE text, as EC2Rescue expects for PowerShell. */
    public static String offlineScript(boolean force) {
        try (InputStream in = WindowsDriverUpgrade.class.getResourceAsStream(SCRIPT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the offline upgrade script " + SCRIPT_RESOURCE + " is missing from stepwise-aws");
            }
            String script = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("__FORCE__", force ? "$true" : "$false");
            return Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_16LE));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the offline upgrade script", e);
        }
    }

    /** Starts the instance again if it was running when the plan found it; otherwise leaves it stopped. */
    private static Step.Builder<String> restore(Ec2Steps ec2, AwsContext aws) {
        Step<String> start = ec2.start("restoreInstanceState", INSTANCE_ID, STATE_AT_END).build();
        return Step.mutating("restoreInstanceState").output(STATE_AT_END).reads(INSTANCE_ID, INSTANCE)
                .retry(start.retry())
                .describedAs("start the instance again if it was running when found")
                .predict(ctx -> ctx.get(INSTANCE).isRunning() ? start.predict(ctx)
                        : List.of(Prediction.of("leave the instance stopped, as it was found")))
                .action(ctx -> ctx.get(INSTANCE).isRunning() ? start.action().execute(ctx)
                        : Ec2Steps.using(aws).describe(ctx.get(INSTANCE_ID)).state());
    }
}
