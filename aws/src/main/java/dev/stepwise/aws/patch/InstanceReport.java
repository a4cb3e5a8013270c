package dev.stepwise.aws.patch;

import java.util.List;
import java.util.Objects;

/**
 * What a patch rollout did to one instance in one wave: counts before and after, what was installed (or, in a dry
 * run, would be), failed patches, reboot state, backup image and why it failed. Immutable and thread-safe.
 *
 * <pre>{@code
 * result.instances("production").forEach(i -> System.out.println(i.instanceId() + " " + i.installed()));
 * }</pre>
 *
 * @param wave          the wave: {@code non-production}, {@code production-scan} or {@code production}
 * @param instanceId    the instance
 * @param platform      SSM's platform type, or empty
 * @param status        the target's status ({@code SUCCEEDED}, {@code FAILED}, {@code CANCELLED}, {@code NOT_STARTED})
 * @param before        counts before the install (after the scan; the last report in a dry run), or null
 * @param after         counts after the install and rescan, or null
 * @param installed     patches missing before and installed (or pending reboot) after
 * @param wouldInstall  in a dry run: the patches the last report lists as missing; empty otherwise
 * @param failedPatches patches in state {@code FAILED} after the rescan
 * @param pendingReboot whether patches wait for a reboot after the rescan
 * @param backupImage   the AMI backup, or empty
 * @param reason        why it failed or did not run; empty on success
 */
public record InstanceReport(String wave, String instanceId, String platform, String status, PatchCounts before,
        PatchCounts after, List<PatchInfo> installed, List<PatchInfo> wouldInstall, List<PatchInfo> failedPatches,
        boolean pendingReboot, String backupImage, String reason) {
    public InstanceReport {
        Objects.requireNonNull(wave, "wave");
        Objects.requireNonNull(instanceId, "instanceId");
        platform = platform == null ? "" : platform;
        installed = List.copyOf(installed);
        wouldInstall = List.copyOf(wouldInstall);
        failedPatches = List.copyOf(failedPatches);
        backupImage = backupImage == null ? "" : backupImage;
        reason = reason == null ? "" : reason;
    }

    /** Whether its run succeeded. */
    public boolean succeeded() {
        return "SUCCEEDED".equals(status);
    }

    @Override
    public String toString() {
        return wave + " " + instanceId + (platform.isEmpty() ? "" : " (" + platform + ")") + " " + status
                + (before == null ? "" : "; before: missing " + before.missing() + ", installed " + before.installed())
                + (after == null ? "" : "; after: missing " + after.missing() + ", installed " + after.installed()
                + ", pending reboot " + after.installedPendingReboot() + ", failed " + after.failed())
                + (installed.isEmpty() ? "" : "; installed " + installed.stream().map(PatchInfo::id).toList())
                + (wouldInstall.isEmpty() ? "" : "; would install " + wouldInstall.stream().map(PatchInfo::id).toList())
                + (pendingReboot ? "; REBOOT PENDING" : "")
                + (backupImage.isEmpty() ? "" : "; backup " + backupImage)
                + (reason.isEmpty() ? "" : "; " + reason);
    }
}
