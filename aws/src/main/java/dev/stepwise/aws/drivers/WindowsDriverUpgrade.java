package dev.stepwise.aws.drivers;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.AwsRetry;
import dev.stepwise.aws.CommandFailedException;
import dev.stepwise.aws.ec2.Ec2Steps;
import dev.stepwise.aws.ec2.InstanceFacts;
import dev.stepwise.aws.ec2.OfflineFacts;
import dev.stepwise.aws.ssm.AutomationResult;
import dev.stepwise.aws.ssm.SsmSteps;
import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.OnFailure;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Prediction;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.plan.StepContext;
import dev.stepwise.core.poll.PollTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A Stepwise plan modelled on AWS's {@code AWSSupport-UpgradeWindowsAWSDrivers} runbook: the same parameters and
 * output names, online through SSM ({@code AWS-ConfigureAWSPackage} for ENA, NVMe and PV) when SSM manages the
 * instance, otherwise offline through {@code AWSSupport-StartEC2RescueWorkflow} when {@code AllowOffline} is true —
 * always behind an AMI backup, which the result names even when a later step fails.
 *
 * <p><b>What follows AWS's runbook</b> (reference {@code aws-patching-and-drivers.md}, section 4): the parameters and
 * their defaults, the order Windows check → managed check → backup → three package installs (online) or stop →
 * force-stop → backup → enable ENA → EC2Rescue with an upgrade script, forced or not (offline), and the output
 * names. An unmanaged instance with {@code AllowOffline} false ends {@code FAILED}, like the runbook's failed
 * assertion.
 *
 * <p><b>What is Stepwise's own</b> (the runbook's definition and its offline scripts are not public, section 5):
 * <ul>
 *   <li>Read-only preflights before any change, in dry runs too: Windows; online, the Windows Server version SSM
 *       reports (2016, 2019, 2022, 2025; otherwise the output says it could not be checked) and the domain role,
 *       read through a read-only Run Command (a domain controller is refused); offline, an EBS root that is not
 *       encrypted, no Marketplace product code, a subnet in the instance's Availability Zone, and the concrete
 *       losses of a stop (instance-store data, a public IP that is not an Elastic IP), refused when
 *       {@link #REFUSE_STOP_LOSSES} is true. A refusal is a {@link DriverPreflightException}.</li>
 *   <li>The backup is tagged with the run, the step and the plan in its creating call ({@code TagSpecifications}), so
 *       no crash leaves an untagged image; a retried or resumed step finds it instead of making a second.</li>
 *   <li>A failed stop or backup starts the instance again if it was running; a failed offline upgrade (or a domain
 *       controller found by the script) first returns ENA support to its original value, so the instance never
 *       boots with ENA support enabled but perhaps without the ENA driver.</li>
 *   <li>The {@linkplain OfflineScript offline script} injects ENA and NVMe only; PV, which no documented tool
 *       installs offline, is installed online once the instance runs again and SSM reports it {@code Online}
 *       ({@link #PV_AFTER_OFFLINE_OUTPUT}); if that never happens the run ends {@code FAILED}, saying so.</li>
 *   <li>{@code UniqueId} for EC2Rescue is derived from the run id: 16 lowercase letters and digits
 *       ({@link #uniqueId(String)}), since run ids may hold {@code .} and {@code _} and its pattern is not
 *       documented. {@code upgradeDriversOffline.Output} lists the child automation's outputs, one
 *       {@code name=value} element per value (the real element format is not documented).</li>
 * </ul>
 *
 * <p>AWS's warnings, which the parameters' descriptions repeat: the backup AMI persists and securing or deleting
 * it is the caller's job; the offline path stops and starts the instance, so instance-store data is lost and the
 * public IP changes unless it is an Elastic IP; the runbook fails on domain controllers and, with SSM VPC
 * endpoints, outside us-east-1. The plan is immutable and thread-safe.
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

    /** (Required) The Windows instance: {@code i-} and 8 or 17 hex digits. */
    public static final Key<String> INSTANCE_ID = Key.of("InstanceId", String.class);
    /** (Default false) Allow the offline upgrade, which stops the instance: instance-store data is lost and the public IP changes unless it is an Elastic IP. */
    public static final Key<Boolean> ALLOW_OFFLINE = Key.of("AllowOffline", Boolean.class);
    /** (Default false, offline only) Reinstall drivers that are already the latest. */
    public static final Key<Boolean> FORCE_UPGRADE = Key.of("ForceUpgrade", Boolean.class);
    /** (Default {@code SelectedInstanceSubnet}, offline only) The EC2Rescue helper's subnet: in the instance's zone, with access to the SSM endpoints. */
    public static final Key<String> SUBNET_ID = Key.of("SubnetId", String.class);
    /** (Optional) The IAM role passed to the EC2Rescue automation. */
    public static final Key<String> AUTOMATION_ASSUME_ROLE = Key.of("AutomationAssumeRole", String.class);
    /** (Stepwise's own, default false) Refuse the offline path when a stop would lose instance-store data or a public IP. */
    public static final Key<Boolean> REFUSE_STOP_LOSSES = Key.of("RefuseStopLosses", Boolean.class);

    /** The online backup AMI; it persists after the run. */
    public static final Key<String> PRE_UPGRADE_BACKUP = Key.of("preUpgradeBackup.ImageId", String.class);
    /** The offline backup AMI; it persists after the run. */
    public static final Key<String> PRE_OFFLINE_UPGRADE_BACKUP = Key.of("preOfflineUpgradeBackup.ImageId", String.class);
    /** The output of installing {@code AwsEnaNetworkDriver} online. */
    public static final Key<String> ENA_OUTPUT = Key.of("installAwsEnaNetworkDriverOnInstance.Output", String.class);
    /** The output of installing {@code AWSNVMe} online. */
    public static final Key<String> NVME_OUTPUT = Key.of("installAWSNVMeOnInstance.Output", String.class);
    /** The output of installing {@code AWSPVDriver} online ({@code Uninstall and reinstall}). */
    public static final Key<String> PV_OUTPUT = Key.of("installAWSPVDriverOnInstance.Output", String.class);
    /** The EC2Rescue automation's outputs, one {@code name=value} element per value. */
    public static final Key<List<String>> OFFLINE_OUTPUT = Key.listOf("upgradeDriversOffline.Output", String.class);
    /** The same for the forced upgrade. */
    public static final Key<List<String>> FORCE_OFFLINE_OUTPUT = Key.listOf("forceUpgradeDriversOffline.Output", String.class);
    /** (Stepwise's own) The output of installing PV online after the offline upgrade. */
    public static final Key<String> PV_AFTER_OFFLINE_OUTPUT = Key.of("installAWSPVDriverAfterOfflineUpgrade.Output", String.class);

    /** The instance as found before anything changed. */
    public static final Key<InstanceFacts> INSTANCE = Key.of("instance", InstanceFacts.class);
    /** Whether SSM manages the instance with an online agent. */
    public static final Key<Boolean> MANAGED = Key.of("managed", Boolean.class);
    /** What the Windows version check found, or that it could not be checked. */
    public static final Key<String> WINDOWS_VERSION = Key.of("windowsVersion", String.class);
    /** What the domain role check found. */
    public static final Key<String> DOMAIN_ROLE = Key.of("domainRole", String.class);
    /** The offline preflight's facts, with the concrete losses of a stop. */
    public static final Key<OfflineFacts> OFFLINE_FACTS = Key.of("offlineFacts", OfflineFacts.class);
    private static final Key<String> STATE_AFTER_STOP = Key.of("stateAfterStop", String.class);
    private static final Key<String> STATE_AFTER_FORCE_STOP = Key.of("stateAfterForceStop", String.class);
    private static final Key<Boolean> ENA_ENABLED = Key.of("enaEnabled", Boolean.class);
    private static final Key<Boolean> ENA_AT_END = Key.of("enaSupportAtEnd", Boolean.class);
    private static final Key<String> STATE_AT_END = Key.of("stateAtEnd", String.class);

    /** The Automation document the offline path runs. */
    public static final String RESCUE_DOCUMENT = "AWSSupport-StartEC2RescueWorkflow";
    private static final String ROLE_ARN = "arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}";
    private static final String STOP_WARNING = "the instance is stopped and started: data on instance-store volumes "
            + "is lost and the public IP address changes unless it is an Elastic IP";

    private WindowsDriverUpgrade() {
    }

    /** The runbook's inputs for one instance, with every other parameter at its default. */
    public static Inputs inputs(String instanceId) {
        return Inputs.of(INSTANCE_ID, Objects.requireNonNull(instanceId, "instanceId"));
    }

    /**
     * The plan, acting in {@code aws}; {@code AutomationAssumeRole}, when given, is passed to the EC2Rescue automation
     * only, and every other call runs with {@code aws}'s own credentials.
     */
    public static Plan plan(AwsContext aws) {
        return build(aws, null);
    }

    /**
     * The plan with every call run as the automation role, as the real runbook runs each of its steps as
     * {@code AutomationAssumeRole}: opt-in, because automation roles usually trust only the SSM service, not the
     * caller. {@code asRole} must assume the role ({@code AwsContext.builder()...assumeRole(arn)}); the plan passes the
     * same role to EC2Rescue, and refuses an {@code AutomationAssumeRole} input naming another. The caller owns and
     * closes {@code asRole}.
     *
     * <pre>{@code
     * try (AwsContext asRole = aws.toBuilder().assumeRole("arn:aws:iam::123456789012:role/AutomationRole").build()) {
     *     RunResult r = Runner.create().run(WindowsDriverUpgrade.planRunningAsAutomationRole(asRole), inputs);
     * }
     * }</pre>
     *
     * @throws PlanValidationException when {@code asRole} assumes no role
     */
    public static Plan planRunningAsAutomationRole(AwsContext asRole) {
        String role = asRole.roleArn().orElseThrow(() -> new PlanValidationException(NAME, List.of("the AwsContext "
                + "assumes no role: build it with assumeRole(<the AutomationAssumeRole ARN>) to run every call as "
                + "that role")));
        return build(asRole, role);
    }

    private static Plan build(AwsContext aws, String runAsRole) {
        Input.Builder<String> roleInput = runAsRole == null
                ? Input.optional(AUTOMATION_ASSUME_ROLE).matching(ROLE_ARN)
                        .describedAs("the IAM role the EC2Rescue automation runs as (other calls use the caller's "
                                + "credentials unless the plan was built with planRunningAsAutomationRole)")
                : Input.optional(AUTOMATION_ASSUME_ROLE, runAsRole)
                        .rule("be " + runAsRole + ", the role every call of this plan runs as", runAsRole::equals)
                        .describedAs("the IAM role every call of this plan runs as, also passed to EC2Rescue");
        Ec2Steps ec2 = Ec2Steps.using(aws);
        SsmSteps ssm = SsmSteps.using(aws);
        return Plan.builder(NAME)
                .describedAs("upgrade the ENA, NVMe and PV drivers of a Windows instance, online through SSM or "
                        + "offline through EC2Rescue, always behind an AMI backup that persists after the run")
                .input(Input.required(INSTANCE_ID).matching("i-([0-9a-f]{8}|[0-9a-f]{17})")
                        .describedAs("the Windows Server instance to upgrade (not a domain controller: the runbook "
                                + "fails on one)"))
                .input(Input.optional(ALLOW_OFFLINE, false)
                        .describedAs("allow an offline upgrade when the online one cannot run; " + STOP_WARNING))
                .input(Input.optional(FORCE_UPGRADE, false)
                        .describedAs("offline only: upgrade even drivers that are already the latest"))
                .input(Input.optional(SUBNET_ID, "SelectedInstanceSubnet")
                        .rule("be SelectedInstanceSubnet, CreateNewVPC or a subnet id (subnet- and 8 or 17 hex digits)",
                                s -> s.equals("SelectedInstanceSubnet") || s.equals("CreateNewVPC")
                                        || s.matches("subnet-([0-9a-f]{8}|[0-9a-f]{17})"))
                        .describedAs("offline only: the EC2Rescue helper's subnet; it must be in the instance's "
                                + "Availability Zone and reach the SSM endpoints"))
                .input(roleInput)
                .input(Input.optional(REFUSE_STOP_LOSSES, false)
                        .describedAs("Stepwise's own: refuse the offline path when " + STOP_WARNING.replace(
                                "the instance is stopped and started: ", "a stop would lose data or the public IP: ")))
                .step(ec2.describe("describeInstance", INSTANCE_ID, INSTANCE))
                .step(Preflights.windows())
                .step(ssm.isManaged("assertInstanceIsManaged", INSTANCE_ID, MANAGED))
                .step(Preflights.windowsVersion(ssm, WINDOWS_VERSION))
                .branch("SSM manages the instance (online upgrade)?", ctx -> ctx.get(MANAGED),
                        online -> online
                                .step(Preflights.domainRole(ssm, DOMAIN_ROLE))
                                .step(ec2.createImage("preUpgradeBackup", INSTANCE_ID, PRE_UPGRADE_BACKUP, false)
                                        .describedAs("create an AMI backup (it persists after the run: securing or "
                                                + "deleting it is yours), tagged in the same call"))
                                .step(ssm.installPackage("installAwsEnaNetworkDriverOnInstance", INSTANCE_ID,
                                        "AwsEnaNetworkDriver", null, ENA_OUTPUT))
                                .step(ssm.installPackage("installAWSNVMeOnInstance", INSTANCE_ID, "AWSNVMe", null,
                                        NVME_OUTPUT))
                                .step(ssm.installPackage("installAWSPVDriverOnInstance", INSTANCE_ID, "AWSPVDriver",
                                        "Uninstall and reinstall", PV_OUTPUT)),
                        offline -> offline
                                .require("AllowOffline is true (SSM does not manage the instance with an online agent, "
                                        + "so only the offline upgrade could run; nothing was changed or upgraded)",
                                        ctx -> ctx.get(ALLOW_OFFLINE))
                                .step(Preflights.offline(aws, OFFLINE_FACTS))
                                .step(warnedStop(ec2).onFailure(OnFailure.goTo("restoreInstanceState")))
                                .step(ec2.forceStop("forceStopInstance", INSTANCE_ID, STATE_AFTER_FORCE_STOP)
                                        .onFailure(OnFailure.goTo("restoreInstanceState")))
                                .step(ec2.createImage("preOfflineUpgradeBackup", INSTANCE_ID, PRE_OFFLINE_UPGRADE_BACKUP, true)
                                        .onFailure(OnFailure.goTo("restoreInstanceState")))
                                .step(ec2.enableEnaSupport("enableENASupport", INSTANCE_ID, ENA_ENABLED)
                                        .onFailure(OnFailure.goTo("restoreEnaSupport")))
                                .branch("ForceUpgrade is true?", ctx -> ctx.get(FORCE_UPGRADE),
                                        forced -> forced.step(rescue(ssm, "forceUpgradeDriversOffline", true,
                                                FORCE_OFFLINE_OUTPUT).onFailure(OnFailure.goTo("restoreEnaSupport"))),
                                        normal -> normal.step(rescue(ssm, "upgradeDriversOffline", false,
                                                OFFLINE_OUTPUT).onFailure(OnFailure.goTo("restoreEnaSupport"))))
                                .step(restoreEna(ec2))
                                .step(restore(ec2))
                                .step(pvAfterOffline(ssm, aws)))
                .build();
    }

    /** The graceful stop, whose dry run names what this instance would lose. */
    private static Step.Builder<String> warnedStop(Ec2Steps ec2) {
        Step<String> stop = ec2.stop("stopInstance", INSTANCE_ID, STATE_AFTER_STOP).build();
        return stop.toBuilder().reads(INSTANCE_ID, OFFLINE_FACTS).predict(ctx -> {
            List<Prediction> out = new ArrayList<>();
            ctx.find(OFFLINE_FACTS).ifPresent(f -> f.stopConsequences().forEach(c -> out.add(Prediction.of(c))));
            out.addAll(stop.predict(ctx));
            return out;
        });
    }

    private static boolean driversInstalled(StepContext ctx) {
        return ctx.find(OFFLINE_OUTPUT).isPresent() || ctx.find(FORCE_OFFLINE_OUTPUT).isPresent();
    }

    /** Runs EC2Rescue with the upgrade script; a domain controller found by the script fails the step. */
    private static Step.Builder<List<String>> rescue(SsmSteps ssm, String name, boolean force, Key<List<String>> out) {
        Step<AutomationResult> inner = ssm.startAutomation(name, RESCUE_DOCUMENT, ctx -> rescueParameters(ctx, force),
                Key.of(name + ".result", AutomationResult.class)).build();
        return Step.mutating(name).output(out).reads(INSTANCE_ID).retry(inner.retry())
                .describedAs("upgrade ENA and NVMe offline with " + RESCUE_DOCUMENT + (force ? " (forced)" : "")
                        + "; Stepwise's own script, see OfflineScript")
                .predict(inner::predict)
                .action(ctx -> {
                    AutomationResult r = inner.action().execute(ctx);
                    String script = r.output("runScriptForWindows.Output");
                    if (script.contains(OfflineScript.DOMAIN_CONTROLLER_MARKER)) {
                        throw new DriverPreflightException(ctx.get(INSTANCE_ID), "the offline script found a domain "
                                + "controller (ProductType LanmanNt) and changed no driver", "AWS says "
                                + "AWSSupport-UpgradeWindowsAWSDrivers fails on a domain controller; the plan restores "
                                + "ENA support and the instance's state");
                    }
                    List<String> outputs = new ArrayList<>();
                    new TreeMap<>(r.outputs()).forEach((k, v) -> v.forEach(x -> outputs.add(k + "=" + x)));
                    return outputs;
                });
    }

    static Map<String, List<String>> rescueParameters(StepContext ctx, boolean force) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        p.put("InstanceId", List.of(ctx.get(INSTANCE_ID)));
        p.put("OfflineScript", List.of(OfflineScript.of(force).encoded()));
        p.put("SubnetId", List.of(ctx.get(SUBNET_ID)));
        p.put("CreatePreEC2RescueBackup", List.of("False"));
        p.put("CreatePostEC2RescueBackup", List.of("False"));
        p.put("UniqueId", List.of(uniqueId(ctx.runId())));
        ctx.find(AUTOMATION_ASSUME_ROLE).ifPresent(role -> p.put("AutomationAssumeRole", List.of(role)));
        return p;
    }

    /**
     * The {@code UniqueId} passed to EC2Rescue for a run: the first 16 hex digits of the SHA-256 of the run id, so
     * short and alphanumeric whatever the run id holds (its pattern is not documented).
     */
    public static String uniqueId(String runId) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(runId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** The offline script as sent, base64 of ASCII text (see {@link OfflineScript}). */
    public static String offlineScript(boolean force) {
        return OfflineScript.of(force).encoded();
    }

    /** Returns ENA support to its value when found, unless the drivers were installed. */
    private static Step.Builder<Boolean> restoreEna(Ec2Steps ec2) {
        return Step.mutating("restoreEnaSupport").output(ENA_AT_END).reads(INSTANCE_ID, INSTANCE)
                .retry(AwsRetry.throttling())
                .rerunnable("compares ENA support with its value when found before changing it")
                .describedAs("return ENA support to its value when found if the drivers were not installed, so the "
                        + "instance never boots with ENA support but without the ENA driver")
                .predict(ctx -> List.of(Prediction.call("ec2", "ModifyInstanceAttribute", Map.of("InstanceId",
                        ctx.get(INSTANCE_ID), "EnaSupport", ctx.get(INSTANCE).enaSupport())).withCondition(
                        "the offline upgrade did not install the drivers and ENA support was changed")))
                .action(ctx -> {
                    String id = ctx.get(INSTANCE_ID);
                    boolean original = ctx.get(INSTANCE).enaSupport();
                    boolean now = ec2.describe(id).enaSupport();
                    if (driversInstalled(ctx) || now == original) {
                        return now;
                    }
                    return ec2.setEnaSupport(id, original);
                });
    }

    /** Starts the instance again if it was running when the plan found it; otherwise leaves it stopped. */
    private static Step.Builder<String> restore(Ec2Steps ec2) {
        Step<String> start = ec2.start("restoreInstanceState", INSTANCE_ID, STATE_AT_END).build();
        return Step.mutating("restoreInstanceState").output(STATE_AT_END).reads(INSTANCE_ID, INSTANCE)
                .retry(start.retry())
                .describedAs("start the instance again if it was running when found")
                .predict(ctx -> ctx.get(INSTANCE).isRunning() ? start.predict(ctx)
                        : List.of(Prediction.of("leave the instance stopped, as it was found")))
                .action(ctx -> ctx.get(INSTANCE).isRunning() ? start.action().execute(ctx)
                        : ec2.describe(ctx.get(INSTANCE_ID)).state());
    }

    /**
     * PV after the offline upgrade: once the instance runs and SSM reports it Online, {@code AWS-ConfigureAWSPackage}
     * installs {@code AWSPVDriver} (its MSI is the only documented installer). Does nothing when the offline
     * upgrade did not install the drivers; fails, naming what was done, when PV cannot be installed.
     */
    private static Step.Builder<String> pvAfterOffline(SsmSteps ssm, AwsContext aws) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("action", List.of("Install"));
        params.put("installationType", List.of("Uninstall and reinstall"));
        params.put("name", List.of("AWSPVDriver"));
        return Step.mutating("installAWSPVDriverAfterOfflineUpgrade").output(PV_AFTER_OFFLINE_OUTPUT)
                .reads(INSTANCE_ID, INSTANCE).retry(AwsRetry.throttling())
                .rerunnable("looks for the command this run and step sent, by its comment, before sending")
                .describedAs("install AWSPVDriver online with AWS-ConfigureAWSPackage once SSM reports the instance "
                        + "Online (no documented tool installs PV offline)")
                .predict(ctx -> SsmSteps.predictSend(ctx, "AWS-ConfigureAWSPackage", List.of(ctx.get(INSTANCE_ID)),
                        params).stream().map(p -> p.withCondition("the offline upgrade installed the drivers and SSM "
                        + "reports the instance Online")).toList())
                .action(ctx -> {
                    String id = ctx.get(INSTANCE_ID);
                    if (!driversInstalled(ctx)) {
                        return "not attempted: the offline upgrade did not install the drivers";
                    }
                    String done = "ENA and NVMe were upgraded offline, but AWSPVDriver was not upgraded";
                    if (!ctx.get(INSTANCE).isRunning()) {
                        throw new CommandFailedException(done + ": the instance was found stopped and is left "
                                + "stopped; start it and install AWSPVDriver with AWS-ConfigureAWSPackage");
                    }
                    try {
                        ssm.awaitOnline(ctx, id, aws.timings().instanceStateTimeout());
                    } catch (PollTimeoutException e) {
                        throw new CommandFailedException(done + ": SSM did not report " + id + " Online within "
                                + e.timeout() + " after the start (last: " + e.lastState() + ")", e);
                    }
                    return SsmSteps.requireSuccess(ssm.run(ctx, "AWS-ConfigureAWSPackage", List.of(id), params)).outputOf(id);
                });
    }
}
