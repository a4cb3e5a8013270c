package dev.stepwise.examples.tool;

import java.util.List;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;

/**
 * A stand-in for your own in-house tool: it lists the Windows instances that SSM can reach, the ones a drivers
 * upgrade could take online. {@code DriverAuditIT} shows how to test such a tool with the AWS testkit.
 */
public final class DriverAudit {
    private final Ec2Client ec2;
    private final SsmClient ssm;

    public DriverAudit(Ec2Client ec2, SsmClient ssm) {
        this.ec2 = ec2;
        this.ssm = ssm;
    }

    /** Ids of running Windows instances whose SSM agent is online. */
    public List<String> onlineWindowsInstances() {
        List<String> windows = ec2.describeInstancesPaginator().reservations().stream()
                .flatMap(r -> r.instances().stream())
                .filter(i -> "windows".equalsIgnoreCase(i.platformAsString()) && "running".equals(i.state().nameAsString()))
                .map(i -> i.instanceId()).toList();
        if (windows.isEmpty()) {
            return List.of();
        }
        return ssm.describeInstanceInformationPaginator(r -> r.filters(f -> f.key("InstanceIds").values(windows)))
                .instanceInformationList().stream()
                .filter(i -> "Online".equals(i.pingStatusAsString()))
                .map(InstanceInformation::instanceId).toList();
    }
}
