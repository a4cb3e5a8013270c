package dev.stepwise.aws.patch;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.AwsRetry;
import dev.stepwise.aws.CommandFailedException;
import dev.stepwise.aws.ssm.CommandResult;
import dev.stepwise.aws.ssm.SsmSteps;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Prediction;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.plan.StepContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import software.amazon.awssdk.services.ssm.model.DescribeInstancePatchesResponse;
import software.amazon.awssdk.services.ssm.model.DescribeInstancePatchStatesResponse;
import software.amazon.awssdk.services.ssm.model.InstancePatchState;
import software.amazon.awssdk.services.ssm.model.PatchComplianceData;

/**
 * Patch Manager steps: read compliance ({@code DescribeInstancePatchStates}, at most 50 ids a call, and
 * {@code DescribeInstancePatches}, every page), and Scan and Install through {@code AWS-RunPatchBaseline} on Run
 * Command (sent with {@link SsmSteps#run}, so at most 50 ids a command, polled to the end and cancelled with the
 * run). Compliance reads are READ_ONLY; Scan and Install are MUTATING and predict the exact {@code SendCommand}
 * — a Scan changes no patch, but it is a command on the instance and rewrites its compliance report, so a dry run
 * reads the last report instead of sending one. Thread-safe.
 *
 * <pre>{@code
 * PatchSteps patch = PatchSteps.using(aws);
 * PatchCompliance c = patch.compliance("i-0123456789abcdef0");
 * Step.Builder<PatchCompliance> scan = patch.scan("scan", PatchKeys.INSTANCE_ID, ctx -> null, PatchKeys.BEFORE);
 * }</pre>
 */
public final class PatchSteps {
    /** The Run Command document. */
    public static final String DOCUMENT = "AWS-RunPatchBaseline";
    /** The most instance ids one {@code DescribeInstancePatchStates} takes. */
    public static final int MAX_IDS_PER_STATES_CALL = 50;

    private final AwsContext aws;
    private final SsmSteps ssm;

    private PatchSteps(AwsContext aws) {
        this.aws = Objects.requireNonNull(aws, "aws");
        this.ssm = SsmSteps.using(aws);
    }

    /** Steps acting in {@code aws}. */
    public static PatchSteps using(AwsContext aws) {
        return new PatchSteps(aws);
    }

    /**
     * The parameters of one AWS-RunPatchBaseline command.
     *
     * @param operation           {@code Scan} or {@code Install}
     * @param reboot              the reboot option (Install only; ignored for Scan)
     * @param snapshotId          a GUID, or null
     * @param installOverrideList an s3:// or https:// URL, or null (Install only)
     * @return the parameters, in the order AWS-RunPatchBaseline lists them
     * @throws InvalidPatchSettingException listing every problem: an operation that is neither, a snapshot id that
     *                                      is not a GUID, a list URL that is not s3:// or https://
     */
    public static Map<String, List<String>> parameters(String operation, RebootOption reboot, String snapshotId,
            String installOverrideList) {
        return parameters(operation, reboot, snapshotId, installOverrideList, null);
    }

    /**
     * {@link #parameters(String, RebootOption, String, String)} with a {@code BaselineOverride} for an Install: an
     * {@code s3://} JSON array of baselines shaped like GetPatchBaseline's output, whose entry for the node's OS
     * replaces its baseline for this Install (reference §1 BaselineOverride).
     *
     * @throws InvalidPatchSettingException when the Install would carry both an InstallOverrideList and a
     *                                      BaselineOverride (reference §1: together they make the document fail), or a
     *                                      SnapshotId and a BaselineOverride (the snapshot outranks the override, which
     *                                      would then be silently ignored), or a BaselineOverride that is not
     *                                      {@code s3://}
     */
    public static Map<String, List<String>> parameters(String operation, RebootOption reboot, String snapshotId,
            String installOverrideList, String baselineOverride) {
        List<InvalidPatchSettingException.Violation> v = new ArrayList<>();
        if (baselineOverride != null && "Install".equals(operation)) {
            if (installOverrideList != null) {
                v.add(new InvalidPatchSettingException.Violation("BaselineOverride", baselineOverride, "cannot be given "
                        + "with InstallOverrideList " + installOverrideList + ": AWS-RunPatchBaseline fails when both are "
                        + "given (reference §1 InstallOverrideList)"));
            }
            if (snapshotId != null) {
                v.add(new InvalidPatchSettingException.Violation("BaselineOverride", baselineOverride, "would be ignored "
                        + "for SnapshotId " + snapshotId + ": a SnapshotId outranks a BaselineOverride (reference §1)"));
            }
            if (!baselineOverride.startsWith("s3://")) {
                v.add(new InvalidPatchSettingException.Violation("BaselineOverride", baselineOverride,
                        "must be an s3:// object: the reference documents it as an S3 JSON array (§1)"));
            }
        }
        if (!"Scan".equals(operation) && !"Install".equals(operation)) {
            v.add(new InvalidPatchSettingException.Violation("Operation", String.valueOf(operation),
                    "is not one of Scan, Install"));
        }
        if (snapshotId != null) {
            Checks.snapshotId(snapshotId, v);
        }
        if (installOverrideList != null && "Install".equals(operation)) {
            Checks.installOverrideList(installOverrideList, v);
        }
        Checks.throwIfAny(v);
        Map<String, List<String>> p = new LinkedHashMap<>();
        p.put("Operation", List.of(operation));
        if (snapshotId != null) {
            p.put("SnapshotId", List.of(snapshotId));
        }
        if ("Install".equals(operation)) {
            p.put("RebootOption", List.of(Objects.requireNonNull(reboot, "RebootOption").wireName()));
            if (installOverrideList != null) {
                p.put("InstallOverrideList", List.of(installOverrideList));
            }
            if (baselineOverride != null) {
                p.put("BaselineOverride", List.of(baselineOverride));
            }
        }
        return p;
    }

    /** The instance's compliance as last reported. */
    public PatchCompliance compliance(String instanceId) {
        return compliance(List.of(instanceId)).get(instanceId);
    }

    /** Each instance's compliance as last reported, in the order given; instances without a report are unreported. */
    public Map<String, PatchCompliance> compliance(List<String> instanceIds) {
        Checks.instanceIds(instanceIds);
        Map<String, InstancePatchState> states = new LinkedHashMap<>();
        for (int i = 0; i < instanceIds.size(); i += MAX_IDS_PER_STATES_CALL) {
            List<String> batch = instanceIds.subList(i, Math.min(instanceIds.size(), i + MAX_IDS_PER_STATES_CALL));
            String token = null;
            do {
                String t = token;
                DescribeInstancePatchStatesResponse resp = aws.ssm().describeInstancePatchStates(r -> r
                        .instanceIds(batch).maxResults(50).nextToken(t));
                resp.instancePatchStates().forEach(s -> states.put(s.instanceId(), s));
                token = resp.nextToken();
            } while (token != null && !token.isEmpty());
        }
        Map<String, PatchCompliance> out = new LinkedHashMap<>();
        for (String id : instanceIds) {
            InstancePatchState s = states.get(id);
            out.put(id, s == null ? PatchCompliance.unreported(id) : of(s, patches(id)));
        }
        return out;
    }

    /** Every patch SSM lists for the instance ({@code DescribeInstancePatches}, every page). */
    public List<PatchInfo> patches(String instanceId) {
        List<PatchInfo> out = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            DescribeInstancePatchesResponse resp = aws.ssm().describeInstancePatches(r -> r.instanceId(instanceId)
                    .maxResults(100).nextToken(t));
            for (PatchComplianceData p : resp.patches()) {
                out.add(new PatchInfo(p.kbId(), p.title(), p.classification(), p.severity(),
                        PatchState.parse(p.stateAsString())));
            }
            token = resp.nextToken();
        } while (token != null && !token.isEmpty());
        return out;
    }

    private static PatchCompliance of(InstancePatchState s, List<PatchInfo> patches) {
        PatchCounts c = new PatchCounts(n(s.installedCount()), n(s.installedOtherCount()),
                n(s.installedPendingRebootCount()), n(s.installedRejectedCount()), n(s.missingCount()),
                n(s.failedCount()), n(s.notApplicableCount()), n(s.criticalNonCompliantCount()),
                n(s.securityNonCompliantCount()), n(s.otherNonCompliantCount()));
        return new PatchCompliance(s.instanceId(), true, s.patchGroup(), s.baselineId(), s.snapshotId(),
                s.operationAsString(), s.operationEndTime(), c, patches);
    }

    private static int n(Integer i) {
        return i == null ? 0 : i;
    }

    /** READ_ONLY: the instance's compliance as last reported, without sending anything to it. */
    public Step.Builder<PatchCompliance> readCompliance(String name, Key<String> instanceId, Key<PatchCompliance> out) {
        return Step.readOnly(name).output(out).reads(instanceId).retry(AwsRetry.throttling())
                .describedAs("read the patch compliance the instance last reported (DescribeInstancePatchStates, "
                        + "DescribeInstancePatches)")
                .action(ctx -> compliance(ctx.get(instanceId)));
    }

    /**
     * MUTATING: AWS-RunPatchBaseline {@code Scan} on the instance, then its fresh compliance. A Scan installs
     * nothing and never reboots.
     *
     * @param snapshotId the SnapshotId for the scan, or a function answering null for none
     */
    public Step.Builder<PatchCompliance> scan(String name, Key<String> instanceId, Function<StepContext, String> snapshotId,
            Key<PatchCompliance> out) {
        Function<StepContext, Map<String, List<String>>> params = ctx -> parameters("Scan", null,
                snapshotId.apply(ctx), null);
        return Step.mutating(name).output(out).reads(instanceId).retry(AwsRetry.throttling())
                .describedAs("scan with " + DOCUMENT + " (Operation Scan: reports, installs nothing, never reboots), "
                        + "then read the new compliance")
                .predict(ctx -> List.of(send(ctx, ctx.get(instanceId), params.apply(ctx)), Prediction.of(
                        "then read the instance's new compliance (DescribeInstancePatchStates, DescribeInstancePatches)")))
                .action(ctx -> {
                    String id = ctx.get(instanceId);
                    SsmSteps.requireSuccess(ssm.run(ctx, DOCUMENT, List.of(id), params.apply(ctx)));
                    return compliance(id);
                });
    }

    /**
     * MUTATING: AWS-RunPatchBaseline {@code Install} on the instance; fails with {@link CommandFailedException}
     * unless the command succeeded. The dry run adds, per missing patch in {@code reported}, what would be
     * installed.
     *
     * @param parameters the command's parameters, e.g. from {@link #parameters}
     * @param reported   the key of the last reported compliance, to say what would be installed; may be null
     */
    public Step.Builder<CommandResult> install(String name, Key<String> instanceId,
            Function<StepContext, Map<String, List<String>>> parameters, Key<PatchCompliance> reported,
            Key<CommandResult> out) {
        return Step.mutating(name).output(out).reads(instanceId).retry(AwsRetry.throttling())
                .describedAs("install the approved missing patches with " + DOCUMENT + " (Operation Install)")
                .predict(ctx -> {
                    List<Prediction> p = new ArrayList<>();
                    p.add(send(ctx, ctx.get(instanceId), parameters.apply(ctx)));
                    if (reported != null) {
                        ctx.find(reported).ifPresent(c -> p.add(Prediction.of(wouldInstall(c, parameters.apply(ctx)))));
                    }
                    return p;
                })
                .action(ctx -> SsmSteps.requireSuccess(ssm.run(ctx, DOCUMENT, List.of(ctx.get(instanceId)), parameters.apply(ctx))));
    }

    static String wouldInstall(PatchCompliance c, Map<String, List<String>> params) {
        if (!c.reported()) {
            return "would install what the baseline approves and the instance misses; it has reported no compliance yet";
        }
        String pinned = params.containsKey("InstallOverrideList")
                ? " (limited to the install override list " + params.get("InstallOverrideList").get(0) + ")" : "";
        if (c.missing().isEmpty()) {
            return "would install nothing per the last report" + pinned;
        }
        return "would install " + c.missing().size() + " patch(es) per the last report" + pinned + ": "
                + String.join("; ", c.missing().stream().map(p -> p.id() + " " + p.title() + " [" + p.classification()
                + ", " + p.severity() + "]").toList());
    }

    /** The SendCommand {@link SsmSteps#run} makes for one instance, as SsmSteps predicts it. */
    static Prediction send(StepContext ctx, String instanceId, Map<String, List<String>> parameters) {
        return SsmSteps.predictSend(ctx, DOCUMENT, List.of(instanceId), parameters).get(0);
    }

    @Override
    public String toString() {
        return "PatchSteps{" + aws + "}";
    }
}
