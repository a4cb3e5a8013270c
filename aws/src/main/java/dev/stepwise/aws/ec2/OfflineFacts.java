package dev.stepwise.aws.ec2;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What EC2 says about an instance that matters before stopping it: the root volume, Marketplace product codes,
 * the Availability Zone of the instance and of a chosen subnet, and what a stop and start would lose.
 *
 * <p>A record read from EC2 ({@code DescribeInstances}, {@code DescribeVolumes}, {@code DescribeInstanceTypes},
 * {@code DescribeAddresses}, {@code DescribeSubnets}), journaled as a step output; users only read it. Its
 * canonical constructor is public only because a record cannot hide it, and it may gain components.
 *
 * @param instanceId             the instance
 * @param rootDeviceType         {@code ebs} or {@code instance-store}
 * @param rootVolumeId           the EBS volume behind the root device, or empty
 * @param rootEncrypted          whether that volume is encrypted
 * @param marketplaceCodes       the instance's product codes of type {@code marketplace}
 * @param availabilityZone       the instance's Availability Zone
 * @param instanceType           the instance type
 * @param instanceStoreGb        the instance type's instance-store capacity in GB (0 when it has none); its data is
 *                               lost by a stop
 * @param instanceStoreDisks     how many instance-store disks the type has
 * @param publicIp               the instance's public IPv4 address, or empty
 * @param elasticIp              whether that address is an Elastic IP (then a stop and start keeps it)
 * @param subnetId               the subnet asked for the helper instance, or empty for the instance's own
 * @param subnetAvailabilityZone that subnet's Availability Zone, or empty
 */
public record OfflineFacts(String instanceId, String rootDeviceType, String rootVolumeId, boolean rootEncrypted,
        List<String> marketplaceCodes, String availabilityZone, String instanceType, long instanceStoreGb,
        int instanceStoreDisks, String publicIp, boolean elasticIp, String subnetId, String subnetAvailabilityZone) {

    public OfflineFacts {
        Objects.requireNonNull(instanceId, "instanceId");
        rootDeviceType = nz(rootDeviceType);
        rootVolumeId = nz(rootVolumeId);
        marketplaceCodes = marketplaceCodes == null ? List.of() : List.copyOf(marketplaceCodes);
        availabilityZone = nz(availabilityZone);
        instanceType = nz(instanceType);
        publicIp = nz(publicIp);
        subnetId = nz(subnetId);
        subnetAvailabilityZone = nz(subnetAvailabilityZone);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** Whether a stop would lose instance-store data. */
    public boolean losesInstanceStore() {
        return instanceStoreGb > 0 || instanceStoreDisks > 0;
    }

    /** Whether a stop and start would change the public IP address (it has one, and it is not an Elastic IP). */
    public boolean changesPublicIp() {
        return !publicIp.isEmpty() && !elasticIp;
    }

    /** The concrete consequences of stopping and starting this instance, one sentence each; empty when none. */
    public List<String> stopConsequences() {
        List<String> out = new ArrayList<>();
        if (losesInstanceStore()) {
            out.add("the data on " + instanceStoreDisks + " instance-store disk(s) (" + instanceStoreGb + " GB, "
                    + instanceType + ") of " + instanceId + " would be lost");
        }
        if (changesPublicIp()) {
            out.add("the public IP address " + publicIp + " of " + instanceId + " would change (it is not an Elastic IP)");
        }
        return out;
    }

    @Override
    public String toString() {
        return instanceId + " (root " + rootDeviceType + (rootEncrypted ? ", encrypted" : "") + ", " + availabilityZone
                + (marketplaceCodes.isEmpty() ? "" : ", Marketplace " + marketplaceCodes)
                + (losesInstanceStore() ? ", instance store " + instanceStoreGb + " GB" : "")
                + (publicIp.isEmpty() ? "" : ", public IP " + publicIp + (elasticIp ? " (Elastic IP)" : "")) + ")"
                + (stopConsequences().isEmpty() ? "" : "; a stop: " + String.join("; ", stopConsequences()));
    }
}
