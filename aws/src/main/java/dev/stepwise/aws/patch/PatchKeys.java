package dev.stepwise.aws.patch;

import dev.stepwise.aws.ssm.CommandResult;
import dev.stepwise.core.plan.Key;
import java.util.List;

/**
 * The inputs and outputs of the per-instance patch plans {@link PatchRollout} runs, for a database backup step
 * that needs the instance ({@code ctx.get(PatchKeys.INSTANCE_ID)}) and for reading a target's run. Immutable.
 *
 * <pre>{@code
 * Step.mutating("dbBackup").reads(PatchKeys.INSTANCE_ID).run(ctx -> backupDatabaseOn(ctx.get(PatchKeys.INSTANCE_ID)));
 * }</pre>
 */
public final class PatchKeys {
    /** The instance to patch (input). */
    public static final Key<String> INSTANCE_ID = Key.of("InstanceId", String.class);
    /** The instance's operating system, read from SSM at the start of every per-instance plan. */
    public static final Key<InstanceOs> OS = Key.of("os", InstanceOs.class);
    /**
     * Production only: the patches non-production verified for this instance's OS, recalled from the comparison
     * gate's verdict in the rollout journal (never from the memory of the process that evaluated it).
     */
    public static final Key<List<PatchInfo>> PINNED = Key.listOf("pinned", PatchInfo.class);
    /** Production only, when pinned to a list: the {@code InstallOverrideList} URL the verified list was published to. */
    public static final Key<String> OVERRIDE_LIST = Key.of("installOverrideList", String.class);
    /** Compliance as last reported before the run touched anything (READ_ONLY; what a dry run shows). */
    public static final Key<PatchCompliance> REPORTED = Key.of("reportedCompliance", PatchCompliance.class);
    /** Compliance after this run's Scan: the "before" picture. */
    public static final Key<PatchCompliance> BEFORE = Key.of("complianceBefore", PatchCompliance.class);
    /** Non-production only: compliance from the rescan after the soak (the health check's picture). */
    public static final Key<PatchCompliance> SOAKED = Key.of("complianceAfterSoak", PatchCompliance.class);
    /** Where a non-production instance's BaselineOverride was written ({@code s3://…}), with a cut-off date. */
    public static final Key<String> BASELINE_OVERRIDE = Key.of("baselineOverride", String.class);
    /** The AMI backup's image id. */
    public static final Key<String> BACKUP_IMAGE = Key.of("backupImageId", String.class);
    /** The Install command's outcome. */
    public static final Key<CommandResult> INSTALL = Key.of("install", CommandResult.class);
    /** Compliance after the Install and a rescan: the "after" picture. */
    public static final Key<PatchCompliance> AFTER = Key.of("complianceAfter", PatchCompliance.class);
    /**
     * The patches this run installed and the rescan verified (missing before, installed or pending reboot after);
     * empty in a dry run, which installs nothing.
     */
    public static final Key<List<PatchInfo>> VERIFIED = Key.listOf("verified", PatchInfo.class);

    private PatchKeys() {
    }
}
