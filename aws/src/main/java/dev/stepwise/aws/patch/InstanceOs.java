package dev.stepwise.aws.patch;

import java.util.Objects;

/**
 * An instance's operating system as SSM reports it in {@code DescribeInstanceInformation}: {@code PlatformType}
 * ({@code Windows}, {@code Linux}, {@code MacOS}), {@code PlatformName} and {@code PlatformVersion}. Patches are
 * compared per {@link #label() OS} (name and version), not per platform type: Linux repositories differ per
 * distribution and release (reference aws-patching-and-drivers.md §2, "Checking that two nodes got the same
 * patches", step 1). The format of the name and version strings is not documented by AWS (reference §5), so they
 * are compared as opaque, exact strings. Immutable and thread-safe.
 *
 * <p>A record: journaled as a step output and read back by Jackson.
 *
 * <pre>{@code
 * new InstanceOs("Linux", "Amazon Linux", "2").label();   // "Amazon Linux 2"
 * }</pre>
 *
 * @param type    {@code PlatformType}
 * @param name    {@code PlatformName}, or empty
 * @param version {@code PlatformVersion}, or empty
 */
public record InstanceOs(String type, String name, String version) {
    public InstanceOs {
        type = type == null ? "" : type;
        name = name == null ? "" : name;
        version = version == null ? "" : version;
    }

    /** The OS patches are compared within: {@code "<PlatformName> <PlatformVersion>"}, or the type when SSM gave no name. */
    public String label() {
        if (name.isEmpty()) {
            return type;
        }
        return version.isEmpty() ? name : name + " " + version;
    }

    /** Whether patch titles carry package versions (Linux: {@code name.arch:epoch:version-release}). */
    public boolean linux() {
        return "Linux".equalsIgnoreCase(type);
    }

    @Override
    public String toString() {
        return label() + " (" + type + ")";
    }
}
