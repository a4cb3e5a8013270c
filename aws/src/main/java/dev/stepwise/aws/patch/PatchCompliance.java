package dev.stepwise.aws.patch;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One instance's patch compliance as last reported to SSM: its counts ({@code DescribeInstancePatchStates}) and
 * its patch list ({@code DescribeInstancePatches}). An instance that never reported has {@code reported} false,
 * zero counts and no patches. Immutable and thread-safe.
 *
 * <p>A record, not a generated value: compliance read from SSM, journaled as a step output and read back by Jackson;
 * users read it, and tests of {@link PatchComparison} build it. Its canonical constructor is public only because a
 * record cannot hide it.
 *
 * <pre>{@code
 * PatchCompliance c = PatchSteps.using(aws).compliance("i-0123456789abcdef0");
 * c.patches(PatchState.MISSING).forEach(System.out::println);
 * }</pre>
 *
 * @param instanceId   the instance
 * @param reported     whether SSM has a report for it
 * @param patchGroup   its patch group, or empty
 * @param baselineId   the baseline it was scanned against, or empty
 * @param snapshotId   the snapshot of its last operation, or empty
 * @param operation    its last operation ({@code Scan} or {@code Install}), or empty
 * @param operationEnd when that operation ended, or null
 * @param counts       the counts
 * @param patches      the patches, in the order SSM listed them
 */
public record PatchCompliance(String instanceId, boolean reported, String patchGroup, String baselineId,
        String snapshotId, String operation, Instant operationEnd, PatchCounts counts, List<PatchInfo> patches) {

    public PatchCompliance {
        Objects.requireNonNull(instanceId, "instanceId");
        patchGroup = patchGroup == null ? "" : patchGroup;
        baselineId = baselineId == null ? "" : baselineId;
        snapshotId = snapshotId == null ? "" : snapshotId;
        operation = operation == null ? "" : operation;
        Objects.requireNonNull(counts, "counts");
        patches = List.copyOf(patches);
    }

    /** An instance with no report. */
    public static PatchCompliance unreported(String instanceId) {
        return new PatchCompliance(instanceId, false, "", "", "", "", null, PatchCounts.NONE, List.of());
    }

    /** The patches in {@code state}. */
    public List<PatchInfo> patches(PatchState state) {
        return patches.stream().filter(p -> p.state() == state).toList();
    }

    /** The ids of the patches in {@code state}. */
    public Set<String> ids(PatchState state) {
        return patches.stream().filter(p -> p.state() == state).map(PatchInfo::id)
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    /** What an Install would install: the {@code MISSING} patches. */
    public List<PatchInfo> missing() {
        return patches(PatchState.MISSING);
    }

    /** Whether patches wait for a reboot. */
    public boolean pendingReboot() {
        return counts.installedPendingReboot() > 0 || !patches(PatchState.INSTALLED_PENDING_REBOOT).isEmpty();
    }

    @Override
    public String toString() {
        if (!reported) {
            return instanceId + ": no patch compliance reported yet";
        }
        return instanceId + " (" + (operation.isEmpty() ? "?" : operation) + (operationEnd == null ? "" : " " + operationEnd)
                + "): " + counts + (patches.isEmpty() ? "" : "; missing " + ids(PatchState.MISSING));
    }
}
