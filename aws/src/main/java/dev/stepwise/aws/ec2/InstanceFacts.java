package dev.stepwise.aws.ec2;

import java.util.Objects;

/**
 * What EC2 says about one instance, as a plan needs it.
 *
 * <p>A record, not a generated value: facts read from EC2, journaled as a step output and read back by Jackson; users
 * only read it. Its canonical constructor is public only because a record cannot hide it, and it may gain
 * components.
 *
 * @param instanceId       the id
 * @param state            the state name: {@code pending}, {@code running}, {@code stopping}, {@code stopped}, …
 * @param platform         EC2's platform string: {@code windows} for Windows, empty otherwise (read through
 *                         {@code platformAsString()}, since the SDK's enum does not know lowercase values)
 * @param subnetId         the subnet, or empty
 * @param availabilityZone the Availability Zone, or empty
 * @param enaSupport       whether ENA support is enabled
 * @param rootDeviceType   {@code ebs} or {@code instance-store}
 */
public record InstanceFacts(String instanceId, String state, String platform, String subnetId, String availabilityZone,
        boolean enaSupport, String rootDeviceType) {

    public InstanceFacts {
        Objects.requireNonNull(instanceId, "instanceId");
        state = state == null ? "" : state;
        platform = platform == null ? "" : platform;
        subnetId = subnetId == null ? "" : subnetId;
        availabilityZone = availabilityZone == null ? "" : availabilityZone;
        rootDeviceType = rootDeviceType == null ? "" : rootDeviceType;
    }

    /** Whether EC2 reports the instance as Windows. */
    public boolean isWindows() {
        return "windows".equalsIgnoreCase(platform);
    }

    public boolean isRunning() {
        return "running".equals(state);
    }

    public boolean isStopped() {
        return "stopped".equals(state);
    }

    @Override
    public String toString() {
        return instanceId + " (" + state + ", " + (isWindows() ? "Windows" : platform.isEmpty() ? "Linux/UNIX" : platform)
                + (subnetId.isEmpty() ? "" : ", " + subnetId) + (enaSupport ? ", ENA" : "") + ")";
    }
}
