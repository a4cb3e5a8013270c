package dev.stepwise.aws.patch;

/**
 * One instance's patch counts, as {@code DescribeInstancePatchStates} reports them. Immutable and thread-safe.
 *
 * <p>A record, not a generated value: counts as SSM reports them, journaled inside PatchCompliance and read back by
 * Jackson; users only read it. Its canonical constructor is public only because a record cannot hide it, and it
 * may gain components.
 *
 * <pre>{@code
 * PatchCounts c = compliance.counts();
 * boolean compliant = c.isCompliant();
 * }</pre>
 *
 * @param installed            {@code InstalledCount}
 * @param installedOther       {@code InstalledOtherCount}
 * @param installedPendingReboot {@code InstalledPendingRebootCount}
 * @param installedRejected    {@code InstalledRejectedCount}
 * @param missing              {@code MissingCount}
 * @param failed               {@code FailedCount}
 * @param notApplicable        {@code NotApplicableCount}
 * @param criticalNonCompliant {@code CriticalNonCompliantCount}
 * @param securityNonCompliant {@code SecurityNonCompliantCount}
 * @param otherNonCompliant    {@code OtherNonCompliantCount}
 */
public record PatchCounts(int installed, int installedOther, int installedPendingReboot, int installedRejected,
        int missing, int failed, int notApplicable, int criticalNonCompliant, int securityNonCompliant,
        int otherNonCompliant) {

    /** All zero: an instance that has reported nothing. */
    public static final PatchCounts NONE = new PatchCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Whether nothing is missing, failed or waiting for a reboot. */
    public boolean isCompliant() {
        return missing == 0 && failed == 0 && installedPendingReboot == 0;
    }

    @Override
    public String toString() {
        return "installed " + installed + ", installed-other " + installedOther + ", pending reboot "
                + installedPendingReboot + ", rejected " + installedRejected + ", missing " + missing + ", failed "
                + failed + ", not applicable " + notApplicable + "; non-compliant: critical " + criticalNonCompliant
                + ", security " + securityNonCompliant + ", other " + otherNonCompliant;
    }
}
