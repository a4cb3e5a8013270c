package dev.stepwise.aws.patch;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.core.notify.Announcement;
import dev.stepwise.core.notify.Delivery;
import dev.stepwise.core.notify.Moment;
import dev.stepwise.core.notify.Notice;
import dev.stepwise.core.notify.Severity;
import dev.stepwise.core.rollout.GateVerdict;
import dev.stepwise.core.rollout.MaintenanceWindow;
import dev.stepwise.core.rollout.RolloutResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * Notices that name what changes: per stage, the instances (id and {@code Name} tag), the patches (id, version,
 * title, severity), the window, the expected reboots and the backups. Sent from a gate, so the rollout journals the
 * notice it sent (subject, body, deliveries) and a resume never sends it again. Only instance ids, tags and patch
 * facts go in; no secret. Stateless.
 */
final class PatchNotices {
    private PatchNotices() {
    }

    /**
     * What a stage's notice says.
     *
     * @param patchesPending when not null, the patches are not known yet and this says when they will be (a dry run's
     *                       preview of production's notice); {@code patchesByOs} is then empty
     */
    record Facts(String stage, Map<String, String> instances, Map<String, List<PatchInfo>> patchesByOs,
            MaintenanceWindow window, String reboots, String backups, String patchesPending) {
        Facts(String stage, Map<String, String> instances, Map<String, List<PatchInfo>> patchesByOs,
                MaintenanceWindow window, String reboots, String backups) {
            this(stage, instances, patchesByOs, window, reboots, backups, null);
        }
    }

    /** Sends {@code a}'s notice of {@code facts}; a required announcement fails the gate when any delivery failed. */
    static GateVerdict send(Announcement a, String rollout, RolloutResult soFar, Facts facts, Instant now) {
        Notice notice = notice(a, rollout, soFar.rolloutId(), facts, now);
        String subject = notice.subject();
        StringBuilder body = new StringBuilder(notice.body());
        return sendBuilt(a, notice, subject, body, now);
    }

    /**
     * What a dry run shows of the notice a live run would send: for each destination, "would send … to … via … at …",
     * then the body. Nothing is sent.
     */
    static List<String> preview(Announcement a, String rollout, Facts facts, Instant at) {
        Notice notice = notice(a, rollout, "<rollout id>", facts, at);
        List<String> out = new ArrayList<>();
        for (Delivery d : a.notifications().preview(notice)) {
            out.add(d + (a.leadTime().isZero() ? "" : ", then a live run waits " + a.leadTime() + " before " + facts.stage()
                    + " starts") + (a.isRequired() ? " (required: a failed delivery halts)" : "") + "\n" + notice.body());
        }
        return out;
    }

    /** The notice of {@code facts}: a subject a person reads, and a plain-text body. */
    static Notice notice(Announcement a, String rollout, String rolloutId, Facts facts, Instant now) {
        Instant starts = now.plus(a.leadTime());
        int patchCount = facts.patchesByOs().values().stream().mapToInt(List::size).sum();
        String subject = "Patching " + facts.stage() + ": " + facts.instances().size() + " instance(s), "
                + (facts.patchesPending() == null ? patchCount + " patch(es)" : "the patches verified in non-production")
                + ", from " + (facts.window() == null ? starts : "the window " + facts.window().description()
                + " after " + starts);
        StringBuilder body = new StringBuilder();
        body.append("Stepwise rollout ").append(rollout).append(" (").append(rolloutId).append(") will patch ")
                .append(facts.stage()).append(".\n\n");
        body.append("When: no earlier than ").append(starts)
                .append(facts.window() == null ? "" : ", and only inside the window " + facts.window().description())
                .append('\n');
        body.append("\nInstances:\n");
        facts.instances().forEach((id, name) -> body.append("  ").append(id).append(name.isEmpty() ? "" : " (" + name + ")")
                .append('\n'));
        body.append("\nPatches:\n");
        if (facts.patchesPending() != null) {
            body.append("  ").append(facts.patchesPending()).append('\n');
        }
        facts.patchesByOs().forEach((os, ps) -> {
            body.append("  ").append(os.isEmpty() ? "(OS not reported)" : os).append(":\n");
            if (ps.isEmpty()) {
                body.append("    none\n");
            }
            for (PatchInfo p : ps) {
                String version = PatchComparison.version(p);
                body.append("    ").append(p.id()).append(version.isEmpty() ? "" : " version " + version)
                        .append(version.isEmpty() && !p.title().isEmpty() ? " - " + p.title() : "")
                        .append(p.severity().isEmpty() ? "" : " [" + p.severity() + "]").append('\n');
            }
        });
        body.append("\nReboots: ").append(facts.reboots()).append('\n');
        body.append("Backups: ").append(facts.backups()).append('\n');
        return Notice.builder().moment(Moment.BEFORE_WAVE).severity(Severity.INFO).subject(subject)
                .body(body.toString()).audience(a.notifications().audience()).source("rollout " + rollout + " ("
                        + rolloutId + ")").at(now).build();
    }

    private static GateVerdict sendBuilt(Announcement a, Notice notice, String subject, StringBuilder body, Instant now) {
        List<Delivery> deliveries = a.notifications().send(notice);
        List<Object> shown = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (Delivery d : deliveries) {
            shown.add(Map.of("destination", d.destination(), "outcome", d.outcome().name(), "detail", d.detail()));
            if (d.outcome() != Delivery.Outcome.SENT) {
                failed.add(d.destination() + ": " + d.detail());
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("subject", subject);
        data.put("body", body.toString());
        data.put("sentAt", now.toString());
        data.put("deliveries", shown);
        if (!failed.isEmpty() && a.isRequired()) {
            return GateVerdict.fail("the required notice could not be sent: " + String.join("; ", failed), data);
        }
        return GateVerdict.pass("notice \"" + subject + "\" sent to " + a.notifications().audience()
                + (failed.isEmpty() ? "" : "; not delivered to " + failed), data);
    }

    /** Each instance's {@code Name} tag (empty without one), in the order given. */
    static Map<String, String> names(AwsContext aws, List<String> ids) {
        Map<String, String> out = new LinkedHashMap<>();
        ids.forEach(id -> out.put(id, ""));
        for (int i = 0; i < ids.size(); i += 200) {
            List<String> batch = ids.subList(i, Math.min(ids.size(), i + 200));
            for (var page : aws.ec2().describeInstancesPaginator(r -> r.filters(
                    Filter.builder().name("instance-id").values(batch).build()))) {
                page.reservations().stream().flatMap(res -> res.instances().stream()).forEach(inst -> inst.tags().stream()
                        .filter(t -> t.key().equals("Name")).findFirst().ifPresent(t -> out.put(inst.instanceId(), t.value())));
            }
        }
        return out;
    }
}
