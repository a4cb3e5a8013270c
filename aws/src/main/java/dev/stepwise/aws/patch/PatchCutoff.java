package dev.stepwise.aws.patch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.AwsRetry;
import dev.stepwise.aws.ssm.SsmSteps;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Prediction;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.plan.StepContext;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.model.GetPatchBaselineResponse;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;
import software.amazon.awssdk.services.ssm.model.PatchFilter;
import software.amazon.awssdk.services.ssm.model.PatchFilterGroup;
import software.amazon.awssdk.services.ssm.model.PatchRule;

/**
 * A cut-off for long soaks, with only what the reference documents (aws-patching-and-drivers.md §1): non-production's
 * Install gets a {@code BaselineOverride} — an S3 JSON array shaped like {@code GetPatchBaseline}'s output, whose entry
 * for the node's OS replaces the default baseline — holding the instance's own baseline with every approval rule set
 * to {@code ApproveUntilDate} (a {@code YYYY-MM-DD} date, evaluated in UTC) instead of {@code ApproveAfterDays}. A
 * patch released after that date is then not approved, so not installed in non-production, so not verified, so not in
 * production's list.
 *
 * <p>What the documented tools cannot do, and is therefore refused rather than guessed: {@code ApproveUntilDate}
 * does not work on Debian or Ubuntu (reference §1 "Approval rules"); a {@code BaselineOverride} given with an
 * {@code InstallOverrideList} makes the document fail (§1), and a {@code SnapshotId} outranks it (§1). Which baseline
 * an instance uses is read from its last patch state ({@code BaselineId}, DescribeInstancePatchStates, after the
 * rollout's own Scan); explicitly approved patches ({@code ApprovedPatches}) are kept as they are, and how AWS
 * combines them with {@code ApproveUntilDate} is not documented in the reference. Stateless.
 */
final class PatchCutoff {
    private static final Logger log = LoggerFactory.getLogger(PatchCutoff.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The OperatingSystem values on which ApproveUntilDate does not work (reference §1 "Approval rules"). */
    static final Set<String> UNSUPPORTED_OS = Set.of("UBUNTU", "DEBIAN");

    private PatchCutoff() {
    }

    /**
     * The non-production instances whose {@code PlatformName} (DescribeInstanceInformation, read-only) names Debian
     * or Ubuntu, as violations. {@code PlatformName}'s format is not documented (reference §5), so this matches the
     * words case-insensitively; the baseline's documented {@code OperatingSystem} is checked again before each
     * Install ({@link #writeOverride}).
     */
    static List<InvalidPatchSettingException.Violation> unsupported(AwsContext aws, List<String> instanceIds,
            LocalDate date) {
        List<InvalidPatchSettingException.Violation> v = new ArrayList<>();
        Map<String, InstanceInformation> info = SsmSteps.using(aws).managed(instanceIds);
        for (String id : instanceIds) {
            InstanceInformation i = info.get(id);
            String name = i == null || i.platformName() == null ? "" : i.platformName();
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.contains("ubuntu") || lower.contains("debian")) {
                v.add(violation(id + " (" + name + ")", date));
            }
        }
        return v;
    }

    private static InvalidPatchSettingException.Violation violation(String what, LocalDate date) {
        return new InvalidPatchSettingException.Violation("nonProductionApproveUntil", date + " for " + what,
                "ApproveUntilDate does not work on Debian or Ubuntu (reference aws-patching-and-drivers.md §1 \"Approval "
                        + "rules\"), so the cut-off cannot hold there: leave those instances out of non-production or "
                        + "drop the cut-off");
    }

    /** Where instance {@code instanceId}'s override is written in rollout {@code rolloutId}. */
    static String key(Pin pin, String rolloutName, String rolloutId, String instanceId) {
        return pin.keyPrefix().orElse("") + rolloutName + "/" + rolloutId + "-baseline-override/" + instanceId + ".json";
    }

    static String url(Pin pin, String rolloutName, String rolloutId, String instanceId) {
        return "s3://" + pin.bucket().orElseThrow() + "/" + key(pin, rolloutName, rolloutId, instanceId);
    }

    /**
     * MUTATING (one S3 PutObject, the same object every time: safe to repeat): reads the baseline the instance's scan
     * reported ({@code before}'s {@code BaselineId}) with GetPatchBaseline, refuses Debian/Ubuntu and a baseline with
     * no approval rules, and writes the one-entry BaselineOverride with {@code ApproveUntilDate = date} to the pin's
     * bucket. Outputs its {@code s3://} URL.
     */
    static Step.Builder<String> writeOverride(AwsContext aws, Pin pin, String rolloutName, LocalDate date,
            Key<String> instanceId, Key<PatchCompliance> before, Key<String> out) {
        return Step.mutating("writeBaselineOverride").output(out).reads(instanceId, before).retry(AwsRetry.throttling())
                .rerunnable("writes the same object to the same key each time")
                .describedAs("write a BaselineOverride to S3: this instance's baseline, approving only patches released "
                        + "up to " + date + " (ApproveUntilDate)")
                .predict(ctx -> List.of(Prediction.call("ssm", "GetPatchBaseline", Map.of("BaselineId",
                                ctx.find(before).map(PatchCompliance::baselineId).orElse("<the scanned baseline>"))),
                        Prediction.call("s3", "PutObject", Map.of("Bucket", pin.bucket().orElseThrow(), "Key",
                                key(pin, rolloutName, ctx.rolloutId().orElse("<rollout id>"), ctx.get(instanceId))))))
                .action(ctx -> write(aws, pin, rolloutName, date, ctx, ctx.get(instanceId), ctx.get(before)));
    }

    private static String write(AwsContext aws, Pin pin, String rolloutName, LocalDate date, StepContext ctx,
            String instanceId, PatchCompliance before) {
        String baselineId = before.baselineId();
        if (baselineId == null || baselineId.isBlank()) {
            throw new PatchTargetException(instanceId + " reported no BaselineId after its scan: the baseline to cut off "
                    + "at " + date + " is unknown, so no BaselineOverride can be written");
        }
        GetPatchBaselineResponse b = aws.ssm().getPatchBaseline(r -> r.baselineId(baselineId));
        String os = b.operatingSystemAsString();
        if (os != null && UNSUPPORTED_OS.contains(os)) {
            throw new InvalidPatchSettingException(List.of(violation(instanceId + " (baseline " + baselineId + ", " + os
                    + ")", date)));
        }
        if (!b.approvalRules().hasPatchRules() || b.approvalRules().patchRules().isEmpty()) {
            throw new InvalidPatchSettingException("nonProductionApproveUntil", date + " for " + instanceId,
                    "its baseline " + baselineId + " has no approval rules, so ApproveUntilDate has nothing to cut off");
        }
        String json = overrideJson(b, date);
        String rolloutId = ctx.rolloutId().orElseThrow(() -> new PatchTargetException("run " + ctx.runId()
                + " is not a target's run of a rollout: the BaselineOverride's key needs the rollout id"));
        String key = key(pin, rolloutName, rolloutId, instanceId);
        try (S3Client s3 = aws.configure(S3Client.builder()).credentialsProvider(aws.credentials())
                .forcePathStyle(aws.endpoint().isPresent()).build()) {
            s3.putObject(r -> r.bucket(pin.bucket().orElseThrow()).key(key).contentType("application/json"),
                    RequestBody.fromString(json));
        }
        String url = "s3://" + pin.bucket().orElseThrow() + "/" + key;
        log.info("Wrote the BaselineOverride of {} (baseline {}, {}, approve until {}) to {}", instanceId, baselineId, os,
                date, url);
        return url;
    }

    /**
     * The BaselineOverride: a JSON array with one entry shaped like GetPatchBaseline's output (reference §1), every
     * approval rule with {@code ApproveUntilDate} instead of {@code ApproveAfterDays} (the model takes one or the
     * other, reference §1 "Approval rules").
     */
    static String overrideJson(GetPatchBaselineResponse b, LocalDate date) {
        ObjectNode e = JSON.createObjectNode();
        e.put("BaselineId", b.baselineId());
        e.put("Name", b.name());
        e.put("OperatingSystem", b.operatingSystemAsString());
        if (b.globalFilters() != null) {
            e.set("GlobalFilters", filters(b.globalFilters()));
        }
        ArrayNode rules = e.putObject("ApprovalRules").putArray("PatchRules");
        for (PatchRule r : b.approvalRules().patchRules()) {
            ObjectNode n = rules.addObject();
            if (r.patchFilterGroup() != null) {
                n.set("PatchFilterGroup", filters(r.patchFilterGroup()));
            }
            if (r.complianceLevelAsString() != null) {
                n.put("ComplianceLevel", r.complianceLevelAsString());
            }
            n.put("ApproveUntilDate", date.toString());
            if (r.enableNonSecurity() != null) {
                n.put("EnableNonSecurity", r.enableNonSecurity());
            }
        }
        ArrayNode approved = e.putArray("ApprovedPatches");
        b.approvedPatches().forEach(approved::add);
        if (b.approvedPatchesComplianceLevelAsString() != null) {
            e.put("ApprovedPatchesComplianceLevel", b.approvedPatchesComplianceLevelAsString());
        }
        if (b.approvedPatchesEnableNonSecurity() != null) {
            e.put("ApprovedPatchesEnableNonSecurity", b.approvedPatchesEnableNonSecurity());
        }
        ArrayNode rejected = e.putArray("RejectedPatches");
        b.rejectedPatches().forEach(rejected::add);
        if (b.rejectedPatchesActionAsString() != null) {
            e.put("RejectedPatchesAction", b.rejectedPatchesActionAsString());
        }
        ArrayNode sources = e.putArray("Sources");
        b.sources().forEach(s -> {
            ObjectNode n = sources.addObject().put("Name", s.name()).put("Configuration", s.configuration());
            ArrayNode products = n.putArray("Products");
            s.products().forEach(products::add);
        });
        ArrayNode all = JSON.createArrayNode();
        all.add(e);
        return all.toString();
    }

    private static ObjectNode filters(PatchFilterGroup g) {
        ObjectNode n = JSON.createObjectNode();
        ArrayNode fs = n.putArray("PatchFilters");
        for (PatchFilter f : g.patchFilters()) {
            ObjectNode fn = fs.addObject().put("Key", f.keyAsString());
            ArrayNode vs = fn.putArray("Values");
            f.values().forEach(vs::add);
        }
        return n;
    }
}
