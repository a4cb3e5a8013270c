package dev.stepwise.aws.patch;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * What a patch rollout did to one instance in one wave: counts before and after, what was installed (or, in a dry
 * run, would be), failed patches, reboot state, backup image and why it failed.
 *
 * <p>Made by {@link PatchRollout}; tests of code that reads reports build one with {@link #builder(String, String)}
 * (defaults: status {@code SUCCEEDED}, no counts, no patches, no pending reboot, no backup, no reason). Immutable
 * and thread-safe; {@link #toBuilder()} starts a changed copy.
 *
 * <pre>{@code
 * result.instances("production").forEach(i -> System.out.println(i.instanceId() + " " + i.installed()));
 * InstanceReport failed = InstanceReport.builder("production", "i-0123456789abcdef0").
 *     status("FAILED").
 *     reason("Install failed").
 *     build();
 * }</pre>
 */
@Value.Immutable
public abstract class InstanceReport {

    InstanceReport() {
    }

    /** A builder for the report of {@code instanceId} in {@code wave}, with the defaults above. */
    public static Builder builder(String wave, String instanceId) {
        return new Builder().wave(wave).instanceId(instanceId);
    }

    /** A builder holding this report's values. */
    public Builder toBuilder() {
        return new Builder().from(this);
    }

    /** The wave: {@code non-production}, {@code production-scan} or {@code production}. */
    public abstract String wave();

    /** The instance. */
    public abstract String instanceId();

    /** SSM's platform type, or empty. */
    @Value.Default
    public String platform() {
        return "";
    }

    /** The target's status ({@code SUCCEEDED}, {@code FAILED}, {@code CANCELLED}, {@code NOT_STARTED}). */
    @Value.Default
    public String status() {
        return "SUCCEEDED";
    }

    /** Counts before the install (after the scan; the last report in a dry run), if known. */
    public abstract Optional<PatchCounts> before();

    /** Counts after the install and rescan, if known. */
    public abstract Optional<PatchCounts> after();

    /** Patches missing before and installed (or pending reboot) after. */
    public abstract List<PatchInfo> installed();

    /** In a dry run: the patches the last report lists as missing; empty otherwise. */
    public abstract List<PatchInfo> wouldInstall();

    /** Patches in state {@code FAILED} after the rescan. */
    public abstract List<PatchInfo> failedPatches();

    /** Whether patches wait for a reboot after the rescan. */
    @Value.Default
    public boolean pendingReboot() {
        return false;
    }

    /** The AMI backup, or empty. */
    @Value.Default
    public String backupImage() {
        return "";
    }

    /** Why it failed or did not run; empty on success. */
    @Value.Default
    public String reason() {
        return "";
    }

    /** Whether its run succeeded. */
    public boolean succeeded() {
        return "SUCCEEDED".equals(status());
    }

    @Override
    public String toString() {
        PatchCounts before = before().orElse(null);
        PatchCounts after = after().orElse(null);
        return wave() + " " + instanceId() + (platform().isEmpty() ? "" : " (" + platform() + ")") + " " + status()
                + (before == null ? "" : "; before: missing " + before.missing() + ", installed " + before.installed())
                + (after == null ? "" : "; after: missing " + after.missing() + ", installed " + after.installed()
                + ", pending reboot " + after.installedPendingReboot() + ", failed " + after.failed())
                + (installed().isEmpty() ? "" : "; installed " + installed().stream().map(PatchInfo::id).toList())
                + (wouldInstall().isEmpty() ? "" : "; would install " + wouldInstall().stream().map(PatchInfo::id).toList())
                + (pendingReboot() ? "; REBOOT PENDING" : "")
                + (backupImage().isEmpty() ? "" : "; backup " + backupImage())
                + (reason().isEmpty() ? "" : "; " + reason());
    }

    /** Builds an {@link InstanceReport}. Not thread-safe; reusable. */
    public static final class Builder extends ImmutableInstanceReport.Builder {
        Builder() {
        }
    }
}
