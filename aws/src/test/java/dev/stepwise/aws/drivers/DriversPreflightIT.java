package dev.stepwise.aws.drivers;

import static dev.stepwise.aws.drivers.WindowsDriverUpgrade.ALLOW_OFFLINE;
import static dev.stepwise.aws.drivers.WindowsDriverUpgrade.REFUSE_STOP_LOSSES;
import static dev.stepwise.aws.drivers.WindowsDriverUpgrade.SUBNET_ID;
import static dev.stepwise.aws.drivers.WindowsDriverUpgrade.WINDOWS_VERSION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.Testbed;
import dev.stepwise.aws.testkit.CommandOutcome;
import dev.stepwise.aws.testkit.FillInProxy;
import dev.stepwise.aws.testkit.ManagedInstance;
import dev.stepwise.aws.testkit.MotoExtension;
import dev.stepwise.aws.testkit.SentCommand;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.Subnet;

/**
 * The preflights, read-only and before any change, in dry runs too: each refusal names the instance, the fact and the
 * rule, and the proxy counts no mutating call (the only command sent is the read-only domain-role check).
 */
class DriversPreflightIT {
    @RegisterExtension
    static final MotoExtension MOTO = MotoExtension.create();

    private FillInProxy proxy;
    private AwsContext aws;
    private Plan plan;
    private final Runner runner = Runner.create().withTimeSource(VirtualTimeSource.create());

    @BeforeEach
    void setUp() {
        proxy = MOTO.proxy();
        aws = Testbed.context(proxy);
        plan = WindowsDriverUpgrade.plan(aws);
    }

    @AfterEach
    void tearDown() {
        aws.close();
    }

    private String launch(InstanceType type, boolean encryptedRoot) {
        return aws.ec2().runInstances(r -> {
            r.imageId(Testbed.WINDOWS_AMI).instanceType(type).minCount(1).maxCount(1);
            if (encryptedRoot) {
                r.blockDeviceMappings(b -> b.deviceName("/dev/sda1").ebs(e -> e.volumeSize(30).encrypted(true)));
            }
        }).instances().get(0).instanceId();
    }

    private Inputs offline(String id) {
        return WindowsDriverUpgrade.inputs(id).with(ALLOW_OFFLINE, true);
    }

    /** No mutating call at all: the read-only domain-role command is the only SendCommand allowed. */
    private void assertNothingChanged(String id) {
        long readOnly = proxy.counts().sentCommands().stream()
                .filter(c -> c.documentName().equals("AWS-RunPowerShellScript")).count();
        assertThat(Testbed.mutatingCalls(proxy) - readOnly).as("mutating calls: %s", proxy.counts()).isZero();
        assertThat(Testbed.images(aws)).isEmpty();
        assertThat(Testbed.state(aws, id)).isEqualTo("running");
    }

    private static void assertRefused(RunResult r, String id, String fact, String rule) {
        assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.FAILED);
        assertThat(r.failure().type()).isEqualTo(DriverPreflightException.class.getName());
        assertThat(r.failure().details()).containsEntry("instanceId", id);
        assertThat(r.reason()).contains("Instance " + id + ": ").contains(fact).contains(rule);
    }

    @Test
    void offline_whenRootVolumeEncrypted_isRefusedBeforeTheStop_inTheDryRunToo() {
        String id = launch(InstanceType.T3_MEDIUM, true);
        RunResult dry = runner.dryRun().run(plan, offline(id));
        assertRefused(dry, id, "is encrypted", "asserts that the root volume is not encrypted");
        RunResult live = runner.run(plan, offline(id));
        assertRefused(live, id, "is encrypted", "asserts that the root volume is not encrypted");
        assertThat(live.reason()).contains("nothing was changed");
        assertNothingChanged(id);
    }

    @Test
    void offline_whenMarketplaceAmi_isRefusedBeforeTheStop() {
        String id = launch(InstanceType.T3_MEDIUM, false);
        proxy.scenario().marketplaceProductCode(id, "a1b2c3d4e5f6g7h8i9j0k1l2m");
        RunResult r = runner.run(plan, offline(id));
        assertRefused(r, id, "Marketplace product code(s) [a1b2c3d4e5f6g7h8i9j0k1l2m]",
                "does not support Marketplace AMIs");
        assertNothingChanged(id);
    }

    @Test
    void offline_whenSubnetInAnotherZone_isRefused_andInTheSameZone_passes() {
        String id = launch(InstanceType.T3_MEDIUM, false);
        String zone = aws.ec2().describeInstances(r -> r.instanceIds(id)).reservations().get(0).instances().get(0)
                .placement().availabilityZone();
        var subnets = aws.ec2().describeSubnets().subnets();
        Subnet other = subnets.stream().filter(s -> !s.availabilityZone().equals(zone)).findFirst().orElseThrow();
        Subnet same = subnets.stream().filter(s -> s.availabilityZone().equals(zone)).findFirst().orElseThrow();

        RunResult r = runner.run(plan, offline(id).with(SUBNET_ID, other.subnetId()));
        assertRefused(r, id, "SubnetId " + other.subnetId() + " is in " + other.availabilityZone() + ", the instance in "
                + zone, "must be in the instance's Availability Zone");
        assertNothingChanged(id);

        RunResult dry = runner.dryRun().run(plan, offline(id).with(SUBNET_ID, same.subnetId()));
        assertThat(dry.status()).as(dry.toString()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void dryRun_namesTheConcreteLossesOfTheOfflinePath_forThisInstance() {
        String id = launch(InstanceType.fromValue("m5d.large"), false);
        String ip = aws.ec2().describeInstances(r -> r.instanceIds(id)).reservations().get(0).instances().get(0)
                .publicIpAddress();
        assertThat(ip).as("Moto gives the instance a public IP").isNotBlank();
        RunResult dry = runner.dryRun().run(plan, offline(id));
        assertThat(dry.status()).as(dry.toString()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(dry.toString()).contains("the data on 1 instance-store disk(s) (75 GB, m5d.large) of " + id
                + " would be lost").contains("the public IP address " + ip + " of " + id + " would change");
        assertNothingChanged(id);
    }

    @Test
    void dryRun_withAnElasticIp_saysNothingOfAPublicIpChange() {
        String id = launch(InstanceType.T3_MEDIUM, false);
        String alloc = aws.ec2().allocateAddress(r -> r.domain("vpc")).allocationId();
        aws.ec2().associateAddress(r -> r.allocationId(alloc).instanceId(id));
        RunResult dry = runner.dryRun().run(plan, offline(id));
        assertThat(dry.status()).as(dry.toString()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(dry.toString()).doesNotContain("would change").contains("Elastic IP");
    }

    @Test
    void refuseStopLosses_whenTheStopWouldLoseInstanceStoreData_refusesBeforeTheStop() {
        String id = launch(InstanceType.fromValue("m5d.large"), false);
        RunResult r = runner.run(plan, offline(id).with(REFUSE_STOP_LOSSES, true));
        assertRefused(r, id, "instance-store disk(s) (75 GB, m5d.large)", "RefuseStopLosses is true");
        assertNothingChanged(id);
    }

    @Test
    void online_whenDomainController_isRefusedAfterOnlyTheReadOnlyCommand() {
        String id = Testbed.launch(aws, Testbed.WINDOWS_AMI);
        proxy.scenario().managedInstance(id, "Windows")
                .commandOutcome(id, "AWS-RunPowerShellScript", CommandOutcome.success("5\r\n"));
        RunResult r = runner.run(plan, WindowsDriverUpgrade.inputs(id));
        assertRefused(r, id, "it is a primary domain controller (Win32_ComputerSystem.DomainRole 5)",
                "fails on a domain controller");
        assertThat(proxy.counts().sentCommands()).singleElement().satisfies(c -> {
            assertThat(c.documentName()).isEqualTo("AWS-RunPowerShellScript");
            assertThat(c.parameters().get("commands")).containsExactly(Preflights.DOMAIN_ROLE_COMMAND);
        });
        assertNothingChanged(id);
    }

    @Test
    void online_whenTheDomainRoleCannotBeRead_isRefused() {
        String id = Testbed.launch(aws, Testbed.WINDOWS_AMI);
        proxy.scenario().managedInstance(id, "Windows");
        RunResult dry = runner.dryRun().run(plan, WindowsDriverUpgrade.inputs(id));
        assertRefused(dry, id, "its domain role could not be read", "does not go on without knowing");
        assertNothingChanged(id);
    }

    @Test
    void online_whenSsmReportsAnUnsupportedWindows_isRefused() {
        String id = Testbed.launch(aws, Testbed.WINDOWS_AMI);
        proxy.scenario().managedInstance(ManagedInstance.windows(id)
                .withPlatform("Microsoft Windows Server 2012 R2 Standard", "6.3.9600"));
        RunResult r = runner.run(plan, WindowsDriverUpgrade.inputs(id));
        assertRefused(r, id, "SSM reports \"Microsoft Windows Server 2012 R2 Standard\"",
                "Windows Server 2016, 2019, 2022 and 2025");
        assertThat(proxy.counts().sentCommands()).isEmpty();
        assertNothingChanged(id);
    }

    @Test
    void online_whenThePlatformNameNamesNoYear_saysItCouldNotBeChecked_andGoesOn() {
        String id = Testbed.launch(aws, Testbed.WINDOWS_AMI);
        proxy.scenario().managedInstance(ManagedInstance.windows(id).withPlatform("Windows", "10.0.20348"))
                .commandOutcome(id, "AWS-RunPowerShellScript", CommandOutcome.success("3"));
        RunResult r = runner.run(plan, WindowsDriverUpgrade.inputs(id));
        assertThat(r.status()).as(r.toString()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.output(WINDOWS_VERSION).orElseThrow()).startsWith("could not be checked")
                .contains("\"Windows\"");
        assertThat(proxy.counts().sentCommands()).extracting(SentCommand::documentName).hasSize(4);
    }

    @Test
    void online_onASupportedWindows_namesTheVersionFound() {
        String id = Testbed.launch(aws, Testbed.WINDOWS_AMI);
        proxy.scenario().managedInstance(id, "Windows")
                .commandOutcome(id, "AWS-RunPowerShellScript", CommandOutcome.success("3"));
        RunResult dry = runner.dryRun().run(plan, WindowsDriverUpgrade.inputs(id));
        assertThat(dry.output(WINDOWS_VERSION)).contains(
                "Windows Server 2019 (supported), SSM reports \"Microsoft Windows Server 2019 Datacenter\"");
        assertThat(dry.output(WindowsDriverUpgrade.DOMAIN_ROLE)).contains("DomainRole 3 (not a domain controller)");
    }

    @Test
    void offline_whenSsmDoesNotKnowTheInstance_saysTheWindowsVersionCouldNotBeChecked() {
        String id = launch(InstanceType.T3_MEDIUM, false);
        RunResult dry = runner.dryRun().run(plan, offline(id));
        assertThat(dry.output(WINDOWS_VERSION)).contains(
                "could not be checked: SSM does not know the instance, so it reports no Windows version");
    }

    @Test
    void offline_whenSsmReportsAnUnsupportedWindowsWithALostAgent_isRefusedBeforeTheStop() {
        String id = launch(InstanceType.T3_MEDIUM, false);
        proxy.scenario().managedInstance(ManagedInstance.windows(id)
                .withPlatform("Microsoft Windows Server 2012 R2 Standard", "6.3.9600")
                .withPingStatus(ManagedInstance.PingStatus.CONNECTION_LOST));
        RunResult r = runner.run(plan, offline(id));
        assertRefused(r, id, "SSM reports \"Microsoft Windows Server 2012 R2 Standard\"",
                "Windows Server 2016, 2019, 2022 and 2025");
        assertNothingChanged(id);
    }
}
