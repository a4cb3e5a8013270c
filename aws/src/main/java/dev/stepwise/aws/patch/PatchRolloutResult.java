package dev.stepwise.aws.patch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.RolloutStatus;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link PatchRollout} did: its status and reason, the rollout id to resume it by, the comparison, a report per
 * wave and instance, and the core rollout result underneath (non-production, soak, production scan, the comparison
 * gate with its journaled data, production).
 *
 * <p>Renderings: a readable text ({@link #toString()}) and JSON ({@link #toJson()}) with the fields
 * {@code rollout, dryRun, status, reason, warnings[], comparison{matches, differences[{kind, patchId, title,
 * verifiedTitle, classification, severity, instances[]}]}, instances[{wave, instanceId, platform, status, before{…counts}, after{…counts},
 * installed[{id, title, classification, severity, state}], wouldInstall[…], failedPatches[…], pendingReboot,
 * backupImage, reason}], rolloutId, resumeAt, result{… RolloutResult#toJson …}}}. Immutable and thread-safe.
 *
 * <pre>{@code
 * PatchRolloutResult r = rollout.run(runner);
 * System.out.println(r);
 * r.comparison().ifPresent(c -> c.differences().forEach(System.out::println));
 * r.backupImages();
 * }</pre>
 */
public final class PatchRolloutResult {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String rollout;
    private final boolean dryRun;
    private final RolloutStatus status;
    private final String reason;
    private final RolloutResult result;
    private final PatchComparison comparison;
    private final List<InstanceReport> instances;
    private final List<String> warnings;
    private final List<String> notices;

    PatchRolloutResult(String rollout, boolean dryRun, RolloutStatus status, String reason, RolloutResult result,
            PatchComparison comparison, List<InstanceReport> instances, List<String> warnings) {
        this(rollout, dryRun, status, reason, result, comparison, instances, warnings, List.of());
    }

    private PatchRolloutResult(String rollout, boolean dryRun, RolloutStatus status, String reason, RolloutResult result,
            PatchComparison comparison, List<InstanceReport> instances, List<String> warnings, List<String> notices) {
        this.notices = List.copyOf(notices);
        this.rollout = Objects.requireNonNull(rollout, "rollout");
        this.dryRun = dryRun;
        this.status = Objects.requireNonNull(status, "status");
        this.reason = reason == null ? "" : reason;
        this.result = Objects.requireNonNull(result, "result");
        this.comparison = comparison;
        this.instances = List.copyOf(instances);
        this.warnings = List.copyOf(warnings);
    }

    public String rollout() {
        return rollout;
    }

    public boolean dryRun() {
        return dryRun;
    }

    /** How it finished: SUCCEEDED, HALTED (a wave's budget, the comparison, an approval), CANCELLED or WAITING (parked). */
    public RolloutStatus status() {
        return status;
    }

    /** Whether every wave ran and production was patched. */
    public boolean isSuccess() {
        return status.isSuccess();
    }

    /** Why it halted; empty on success. */
    public String reason() {
        return reason;
    }

    /** The core rollout's result: every wave, checkpoint (the gate's data among them) and target. */
    public RolloutResult result() {
        return result;
    }

    /** The id to resume this rollout by ({@link PatchRollout#resume}), to ask its status, or to approve it. */
    public String rolloutId() {
        return result.rolloutId();
    }

    /** When a parked ({@code WAITING}) rollout may go on; empty otherwise. */
    public Optional<java.time.Instant> resumeAt() {
        return Optional.ofNullable(result.resumeAt());
    }

    /** The comparison, once production was scanned (in a dry run: from the last reports). */
    public Optional<PatchComparison> comparison() {
        return Optional.ofNullable(comparison);
    }

    /** This result with one more warning. */
    PatchRolloutResult withWarning(String warning) {
        List<String> w = new java.util.ArrayList<>(warnings);
        w.add(warning);
        return new PatchRolloutResult(rollout, dryRun, status, reason, result, comparison, instances, w, notices);
    }

    /** This result with the notices a dry run previews. */
    PatchRolloutResult withNotices(List<String> previews) {
        return new PatchRolloutResult(rollout, dryRun, status, reason, result, comparison, instances, warnings, previews);
    }

    /**
     * A dry run's preview of the notices a live run would send: per announcement and destination, to whom, via what,
     * when, and the body. Production's preview names its instances, window, reboots and backups but not its patches:
     * those are the set non-production verifies, known only after its Install and production's scan. Empty for a
     * live run (what it sent is in the journaled gate data) or without announcements.
     */
    public List<String> notices() {
        return notices;
    }

    /** Warnings about the rollout's settings, such as an unpinned production stage. */
    public List<String> warnings() {
        return warnings;
    }

    /** Every instance's report, wave by wave. */
    public List<InstanceReport> instances() {
        return instances;
    }

    /** The reports of wave {@code wave}. */
    public List<InstanceReport> instances(String wave) {
        return instances.stream().filter(i -> i.wave().equals(wave)).toList();
    }

    /** The report of {@code instanceId} in {@code wave}. */
    public Optional<InstanceReport> instance(String wave, String instanceId) {
        return instances.stream().filter(i -> i.wave().equals(wave) && i.instanceId().equals(instanceId)).findFirst();
    }

    /** Every AMI backup taken, in order. */
    public List<String> backupImages() {
        return instances.stream().map(InstanceReport::backupImage).filter(s -> !s.isEmpty()).toList();
    }

    /** Returns this result if it succeeded; otherwise throws naming the rollout and the reason. */
    public PatchRolloutResult orThrow() {
        if (!isSuccess()) {
            throw new dev.stepwise.core.StepwiseException("Patch rollout " + rollout + " " + status + ": " + reason);
        }
        return this;
    }

    /** This result as JSON (fields as documented on the type). */
    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("rollout", rollout);
        n.put("dryRun", dryRun);
        n.put("status", status.name());
        n.put("reason", reason);
        warnings.forEach(n.putArray("warnings")::add);
        notices.forEach(n.putArray("notices")::add);
        if (comparison != null) {
            ObjectNode c = n.putObject("comparison");
            c.put("matches", comparison.matches());
            ArrayNode ds = c.putArray("differences");
            for (PatchDifference d : comparison.differences()) {
                ObjectNode o = ds.addObject();
                o.put("kind", d.kind().name());
                o.put("patchId", d.patchId());
                o.put("title", d.title());
                o.put("verifiedTitle", d.verifiedTitle());
                o.put("classification", d.classification());
                o.put("severity", d.severity());
                d.instances().forEach(o.putArray("instances")::add);
            }
        }
        ArrayNode is = n.putArray("instances");
        for (InstanceReport i : instances) {
            ObjectNode o = is.addObject();
            o.put("wave", i.wave());
            o.put("instanceId", i.instanceId());
            o.put("platform", i.platform());
            o.put("status", i.status());
            counts(o, "before", i.before().orElse(null));
            counts(o, "after", i.after().orElse(null));
            patches(o.putArray("installed"), i.installed());
            patches(o.putArray("wouldInstall"), i.wouldInstall());
            patches(o.putArray("failedPatches"), i.failedPatches());
            o.put("pendingReboot", i.pendingReboot());
            o.put("backupImage", i.backupImage());
            o.put("reason", i.reason());
        }
        try {
            n.put("rolloutId", result.rolloutId());
            n.put("resumeAt", result.resumeAt() == null ? null : result.resumeAt().toString());
            n.set("result", JSON.readTree(result.toJson()));
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void counts(ObjectNode o, String field, PatchCounts c) {
        if (c == null) {
            o.putNull(field);
            return;
        }
        ObjectNode n = o.putObject(field);
        n.put("installed", c.installed());
        n.put("installedOther", c.installedOther());
        n.put("installedPendingReboot", c.installedPendingReboot());
        n.put("installedRejected", c.installedRejected());
        n.put("missing", c.missing());
        n.put("failed", c.failed());
        n.put("notApplicable", c.notApplicable());
        n.put("criticalNonCompliant", c.criticalNonCompliant());
        n.put("securityNonCompliant", c.securityNonCompliant());
        n.put("otherNonCompliant", c.otherNonCompliant());
    }

    private static void patches(ArrayNode a, List<PatchInfo> ps) {
        for (PatchInfo p : ps) {
            ObjectNode o = a.addObject();
            o.put("id", p.id());
            o.put("title", p.title());
            o.put("classification", p.classification());
            o.put("severity", p.severity());
            o.put("state", p.state().name());
        }
    }

    /** A readable report: status, comparison, one line per instance, then the core rollout's tables. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Patch rollout ").append(rollout).append(dryRun ? " (dry run)" : "")
                .append(": ").append(status).append(reason.isEmpty() ? "" : " — " + reason).append('\n');
        warnings.forEach(w -> b.append("WARNING: ").append(w).append('\n'));
        if (!notices.isEmpty()) {
            b.append("Notices a live run would send (nothing was sent):\n");
            notices.forEach(x -> b.append("  ").append(x.replace("\n", "\n    ")).append('\n'));
        }
        if (comparison != null) {
            b.append(comparison).append('\n');
        }
        String wave = null;
        for (InstanceReport i : instances) {
            if (!i.wave().equals(wave)) {
                wave = i.wave();
                b.append("Wave ").append(wave).append(":\n");
            }
            b.append("  ").append(i.toString().substring(i.wave().length() + 1)).append('\n');
        }
        b.append('\n').append(result);
        return b.toString();
    }
}
