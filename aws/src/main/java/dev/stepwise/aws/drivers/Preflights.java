package dev.stepwise.aws.drivers;

import static dev.stepwise.aws.drivers.WindowsDriverUpgrade.INSTANCE;
import static dev.stepwise.aws.drivers.WindowsDriverUpgrade.INSTANCE_ID;
import static dev.stepwise.aws.drivers.WindowsDriverUpgrade.REFUSE_STOP_LOSSES;
import static dev.stepwise.aws.drivers.WindowsDriverUpgrade.SUBNET_ID;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.AwsRetry;
import dev.stepwise.aws.ec2.Ec2Steps;
import dev.stepwise.aws.ec2.InstanceFacts;
import dev.stepwise.aws.ec2.OfflineFacts;
import dev.stepwise.aws.ssm.CommandResult;
import dev.stepwise.aws.ssm.SsmSteps;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Step;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;

/**
 * The read-only checks {@link WindowsDriverUpgrade} makes before any change. Each refuses with a
 * {@link DriverPreflightException} naming the instance, the fact and the rule. They are Stepwise's own steps: the
 * real runbook asserts only "Windows" and "managed" (reference, section 4, Steps).
 */
final class Preflights {
    /** The Windows Server versions AWS's current runbook page lists ([RB] ja_jp, reference section 4). */
    static final Set<String> SUPPORTED_WINDOWS = Set.of("2016", "2019", "2022", "2025");
    /**
     * The read-only command that reads the domain role. {@code Win32_ComputerSystem.DomainRole} is 4 on a backup and 5
     * on a primary domain controller (Microsoft Learn, "Win32_ComputerSystem class", DomainRole; the same numbering as
     * {@code DSROLE_MACHINE_ROLE}, learn.microsoft.com/windows/win32/api/dsrole/ne-dsrole-dsrole_machine_role). Not in
     * the project's reference file yet.
     */
    static final String DOMAIN_ROLE_COMMAND = "(Get-CimInstance -ClassName Win32_ComputerSystem).DomainRole";
    private static final Pattern SERVER_YEAR = Pattern.compile("Windows Server (\\d{4})");
    private static final String DC_RULE = "AWS says AWSSupport-UpgradeWindowsAWSDrivers fails on a domain controller; "
            + "upgrade one with the DSRM procedure of the EC2 Windows guide (Upgrading_PV_drivers.md)";

    private Preflights() {
    }

    /** READ_ONLY: refuses an instance EC2 does not report as Windows (the runbook's first assertion). */
    static Step.Builder<Void> windows() {
        return Step.readOnly("assertInstanceIsWindows").reads(INSTANCE)
                .describedAs("check that EC2 reports the instance as Windows")
                .run(ctx -> {
                    InstanceFacts i = ctx.get(INSTANCE);
                    if (!i.isWindows()) {
                        throw new DriverPreflightException(i.instanceId(), "EC2 reports its platform as "
                                + (i.platform().isEmpty() ? "Linux/UNIX (no platform)" : "\"" + i.platform() + "\""),
                                "the runbook upgrades Windows instances only (its first step asserts platform windows); "
                                        + "nothing was changed");
                    }
                });
    }

    /**
     * READ_ONLY, on both paths: the Windows version SSM reports (also for an instance whose agent is not online),
     * checked against the supported list; the output says what was found, or that it could not be checked (SSM does
     * not know the instance, or the PlatformName names no year: its format is not documented, reference section 5).
     */
    static Step.Builder<String> windowsVersion(SsmSteps ssm, Key<String> out) {
        return Step.readOnly("checkWindowsVersion").output(out).reads(INSTANCE_ID).retry(AwsRetry.throttling())
                .describedAs("check the Windows Server version SSM reports against 2016, 2019, 2022 and 2025")
                .action(ctx -> {
                    String id = ctx.get(INSTANCE_ID);
                    Optional<InstanceInformation> info = ssm.information(id);
                    if (info.isEmpty()) {
                        return "could not be checked: SSM does not know the instance, so it reports no Windows version";
                    }
                    String name = info.map(InstanceInformation::platformName).orElse("");
                    Matcher m = SERVER_YEAR.matcher(name == null ? "" : name);
                    if (!m.find()) {
                        return "could not be checked: SSM reports PlatformName \"" + name + "\", which names no Windows "
                                + "Server year (AWS does not document the format)";
                    }
                    if (!SUPPORTED_WINDOWS.contains(m.group(1))) {
                        throw new DriverPreflightException(id, "SSM reports \"" + name + "\"",
                                "AWS lists Windows Server 2016, 2019, 2022 and 2025 as supported by "
                                        + "AWSSupport-UpgradeWindowsAWSDrivers; nothing was changed");
                    }
                    return "Windows Server " + m.group(1) + " (supported), SSM reports \"" + name + "\"";
                });
    }

    /**
     * READ_ONLY (it only reads): asks the instance for its domain role through Run Command
     * ({@code AWS-RunPowerShellScript}) and refuses a domain controller or an answer it cannot read.
     */
    static Step.Builder<String> domainRole(SsmSteps ssm, Key<String> out) {
        return Step.readOnly("checkDomainRole").output(out).reads(INSTANCE_ID).retry(AwsRetry.throttling())
                .describedAs("ask the instance, through a read-only Run Command, whether it is a domain controller")
                .action(ctx -> {
                    String id = ctx.get(INSTANCE_ID);
                    CommandResult r = SsmSteps.requireSuccess(ssm.run(ctx, "AWS-RunPowerShellScript", List.of(id),
                            Map.of("commands", List.of(DOMAIN_ROLE_COMMAND))));
                    String output = r.outputOf(id).strip();
                    int role;
                    try {
                        role = Integer.parseInt(output);
                    } catch (NumberFormatException e) {
                        throw new DriverPreflightException(id, "its domain role could not be read (the command printed \""
                                + (output.length() > 80 ? output.substring(0, 80) + "..." : output) + "\")",
                                DC_RULE + ", so Stepwise does not go on without knowing; nothing was changed");
                    }
                    if (role == 4 || role == 5) {
                        throw new DriverPreflightException(id, "it is a " + (role == 5 ? "primary" : "backup")
                                + " domain controller (Win32_ComputerSystem.DomainRole " + role + ")",
                                DC_RULE + "; nothing was changed");
                    }
                    return "DomainRole " + role + " (not a domain controller)";
                });
    }

    /**
     * READ_ONLY: the offline path's preconditions (EBS root, not encrypted, no Marketplace product code, a subnet in
     * the instance's Availability Zone), and what a stop would lose, refused when {@code RefuseStopLosses} is true.
     */
    static Step.Builder<OfflineFacts> offline(AwsContext aws, Key<OfflineFacts> out) {
        Ec2Steps ec2 = Ec2Steps.using(aws);
        return Step.readOnly("checkOfflineUpgrade").output(out).reads(INSTANCE_ID, SUBNET_ID, REFUSE_STOP_LOSSES)
                .retry(AwsRetry.throttling())
                .describedAs("check the root volume, Marketplace product codes and subnet for EC2Rescue, and name "
                        + "what stopping the instance would lose")
                .action(ctx -> {
                    String id = ctx.get(INSTANCE_ID);
                    OfflineFacts f = ec2.offlineFacts(id, ctx.get(SUBNET_ID));
                    String rescue = "AWSSupport-StartEC2RescueWorkflow ";
                    if (!"ebs".equals(f.rootDeviceType())) {
                        throw new DriverPreflightException(id, "its root device type is \"" + f.rootDeviceType() + "\"",
                                rescue + "asserts an EBS root volume; nothing was changed");
                    }
                    if (f.rootEncrypted()) {
                        throw new DriverPreflightException(id, "its root volume " + f.rootVolumeId() + " is encrypted",
                                rescue + "asserts that the root volume is not encrypted; nothing was changed");
                    }
                    if (!f.marketplaceCodes().isEmpty()) {
                        throw new DriverPreflightException(id, "it carries the Marketplace product code(s) "
                                + f.marketplaceCodes(), rescue + "does not support Marketplace AMIs; nothing was changed");
                    }
                    if (!f.subnetId().isEmpty() && !f.subnetAvailabilityZone().equals(f.availabilityZone())) {
                        throw new DriverPreflightException(id, "SubnetId " + f.subnetId() + " is in "
                                + (f.subnetAvailabilityZone().isEmpty() ? "no known zone" : f.subnetAvailabilityZone())
                                + ", the instance in " + f.availabilityZone(),
                                "the subnet must be in the instance's Availability Zone; nothing was changed");
                    }
                    if (ctx.get(REFUSE_STOP_LOSSES) && !f.stopConsequences().isEmpty()) {
                        throw new DriverPreflightException(id, String.join("; ", f.stopConsequences()),
                                "RefuseStopLosses is true and the offline upgrade stops and starts the instance; "
                                        + "nothing was changed");
                    }
                    return f;
                });
    }
}
