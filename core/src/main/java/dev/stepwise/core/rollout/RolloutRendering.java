package dev.stepwise.core.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.core.StepwiseJson;
import dev.stepwise.core.Durations;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.core.run.Failure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Text, timeline and JSON renderings of rollout results. */
final class RolloutRendering {
    private static final ObjectMapper MAPPER = StepwiseJson.newMapper();
    /** Succeeded targets listed per wave in the table; failed, cancelled and canary targets are always listed. */
    static final int SUCCEEDED_SHOWN = 20;
    private static final int TARGET_WIDTH = 24;
    private static final int PREDICTIONS_SHOWN = 3;

    private RolloutRendering() {
    }

    static String table(RolloutResult r) {
        StringBuilder b = new StringBuilder();
        b.append(r.dryRun() ? "DRY RUN of rollout " : "Rollout ").append(r.rollout()).append(" of plan ").append(r.plan())
                .append(" (rollout ").append(r.rolloutId()).append("): ").append(r.status());
        if (r.end() != null) {
            b.append(" in ").append(Durations.human(r.duration()));
        }
        b.append('\n');
        if (r.dryRun()) {
            b.append("  Nothing was changed: targets were resolved and each target's plan was dry-run; checkpoints are shown, not evaluated.\n");
        }
        if (r.status() == RolloutStatus.WAITING) {
            b.append("  Waiting: ").append(r.reason()).append("; resume at or after ").append(r.resumeAt())
                    .append(" (resume(rollout, \"").append(r.rolloutId()).append("\"))\n");
        } else if (!r.reason().isEmpty()) {
            b.append("  ").append(r.status() == RolloutStatus.CANCELLED ? "Cancelled: " : "Halted: ").append(r.reason())
                    .append('\n');
        }
        int i = 0;
        for (WaveResult w : r.waves()) {
            for (CheckpointResult c : w.checkpoints()) {
                b.append("     before wave ").append(w.name()).append(": ").append(c).append('\n');
            }
            b.append("  ").append(++i).append(". wave ").append(w.name()).append(": ").append(w.status());
            if (w.start() != null) {
                b.append(" in ").append(Durations.human(w.duration()));
            }
            if (w.status() != WaveStatus.NOT_STARTED || !w.targets().isEmpty()) {
                b.append(": ").append(w.progress());
            }
            b.append('\n');
            if (!w.reason().isEmpty()) {
                b.append("     ").append(w.reason()).append('\n');
            }
            b.append("     ").append(w.targetSource()).append("; concurrency ").append(limitText(w.concurrency(),
                    w.maxConcurrency().toString(), w.start() != null)).append(", error budget ")
                    .append(limitText(w.errorBudget(), w.maxErrors().toString(), w.start() != null))
                    .append(w.ramp() ? ", ramp " + w.rampStages() + " with canary" : "").append(w.strict() ? ", strict" : "")
                    .append('\n');
            if (!w.targets().isEmpty()) {
                b.append(String.format("     %-5s %-" + TARGET_WIDTH + "s %-11s %-9s %s%n", "#", "target", "status",
                        "duration", "detail"));
                int shownSucceeded = 0;
                int hidden = 0;
                int n = 0;
                for (TargetResult t : w.targets()) {
                    n++;
                    boolean plain = t.status() == TargetStatus.SUCCEEDED && !t.canary();
                    if (plain && shownSucceeded >= SUCCEEDED_SHOWN) {
                        hidden++;
                        continue;
                    }
                    if (plain) {
                        shownSucceeded++;
                    }
                    List<String> details = details(t, r.dryRun());
                    b.append(String.format("     %-5d %-" + TARGET_WIDTH + "s %-11s %-9s %s%n", n, clip(t.target()),
                            t.status(), t.start() == null ? "-" : Durations.human(t.duration()),
                            details.isEmpty() ? "" : details.get(0)));
                    for (int d = 1; d < details.size(); d++) {
                        b.append(String.format("     %-5s %-" + TARGET_WIDTH + "s %-11s %-9s %s%n", "", "", "", "",
                                details.get(d)));
                    }
                }
                if (hidden > 0) {
                    b.append("     … and ").append(hidden).append(" more succeeded (see toJson() for every target)\n");
                }
            }
        }
        return b.toString();
    }

    private static String limitText(int effective, String setting, boolean resolved) {
        return resolved ? effective + " (set " + setting + ")" : setting;
    }

    private static List<String> details(TargetResult t, boolean dryRun) {
        List<String> out = new ArrayList<>();
        if (t.canary()) {
            out.add("canary");
        }
        String reason = t.reason();
        if (!reason.isEmpty()) {
            out.add(reason);
        }
        if (t.run() != null && !t.run().outputs().isEmpty() && !dryRun) {
            StringBuilder o = new StringBuilder("-> ");
            t.run().outputs().forEach((k, v) -> o.append(o.length() == 3 ? "" : ", ").append(k).append('=').append(v));
            out.add(o.toString());
        }
        if (dryRun) {
            List<String> p = predictions(t.run());
            p.stream().limit(PREDICTIONS_SHOWN).forEach(s -> out.add("would: " + s));
            if (p.size() > PREDICTIONS_SHOWN) {
                out.add("… and " + (p.size() - PREDICTIONS_SHOWN) + " more predicted calls (see run())");
            }
        }
        return out;
    }

    private static String clip(String s) {
        return s.length() <= TARGET_WIDTH ? s : s.substring(0, TARGET_WIDTH - 1) + "…";
    }

    static String timeline(RolloutResult r) {
        StringBuilder b = new StringBuilder();
        b.append(r.dryRun() ? "Dry run of rollout " : "Rollout ").append(r.rollout()).append(" (").append(r.rolloutId())
                .append("), started ").append(r.start()).append('\n');
        for (WaveResult w : r.waves()) {
            for (CheckpointResult c : w.checkpoints()) {
                line(b, r.start(), c.start(), c.kind().name().toLowerCase(Locale.ROOT) + " \"" + c.description() + "\": "
                        + c.outcome() + (c.detail().isEmpty() ? "" : " (" + c.detail() + ")")
                        + (c.duration().isZero() ? "" : ", took " + Durations.human(c.duration())));
            }
            if (w.start() != null) {
                line(b, r.start(), w.start(), "wave " + w.name() + " started: " + w.total() + " target(s), concurrency "
                        + w.concurrency() + ", error budget " + w.errorBudget()
                        + (w.ramp() ? ", ramp " + w.rampStages() : "") + (w.strict() ? ", strict" : ""));
                line(b, r.start(), w.end(), "wave " + w.name() + " " + w.status() + ": " + w.progress()
                        + (w.reason().isEmpty() ? "" : " — " + w.reason()));
            } else {
                Instant at = w.checkpoints().isEmpty() ? null : w.checkpoints().get(w.checkpoints().size() - 1).end();
                line(b, r.start(), at, "wave " + w.name() + " " + w.status() + (w.reason().isEmpty() ? "" : ": " + w.reason()));
            }
        }
        if (r.end() != null) {
            line(b, r.start(), r.end(), "rollout " + r.status() + (r.reason().isEmpty() ? "" : ": " + r.reason()));
        }
        return b.toString();
    }

    private static void line(StringBuilder b, Instant origin, Instant at, String text) {
        String offset = at == null || origin == null ? "" : "+" + Durations.human(Duration.between(origin, at));
        b.append(String.format("  %-12s %s%n", offset, text));
    }

    static String toJson(RolloutResult r) {
        return StepwiseJson.pretty(toTree(r));
    }

    static ObjectNode toTree(RolloutResult r) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("rollout", r.rollout());
        n.put("rolloutId", r.rolloutId());
        n.put("plan", r.plan());
        n.put("fingerprint", r.fingerprint());
        n.put("dryRun", r.dryRun());
        n.put("status", r.status().name());
        n.put("reason", r.reason());
        n.put("start", str(r.start()));
        n.put("end", str(r.end()));
        n.put("durationMillis", r.duration().toMillis());
        n.put("resumeAt", str(r.resumeAt()));
        ArrayNode waves = n.putArray("waves");
        for (WaveResult w : r.waves()) {
            ObjectNode wn = waves.addObject();
            wn.put("name", w.name());
            wn.put("status", w.status().name());
            wn.put("reason", w.reason());
            wn.put("targetSource", w.targetSource());
            wn.put("maxConcurrency", w.maxConcurrency().toString());
            wn.put("concurrency", w.concurrency());
            wn.put("maxErrors", w.maxErrors().toString());
            wn.put("errorBudget", w.errorBudget());
            wn.put("ramp", w.ramp());
            wn.put("strict", w.strict());
            ArrayNode stages = wn.putArray("rampStages");
            w.rampStages().forEach(stages::add);
            wn.put("start", str(w.start()));
            wn.put("end", str(w.end()));
            wn.put("durationMillis", w.duration().toMillis());
            ObjectNode counts = wn.putObject("counts");
            counts.put("total", w.total());
            counts.put("succeeded", w.count(TargetStatus.SUCCEEDED));
            counts.put("failed", w.count(TargetStatus.FAILED));
            counts.put("cancelled", w.count(TargetStatus.CANCELLED));
            counts.put("notStarted", w.count(TargetStatus.NOT_STARTED));
            ArrayNode cps = wn.putArray("checkpoints");
            for (CheckpointResult c : w.checkpoints()) {
                ObjectNode cn = cps.addObject();
                cn.put("kind", c.kind().name());
                cn.put("description", c.description());
                cn.put("outcome", c.outcome().name());
                cn.put("start", str(c.start()));
                cn.put("end", str(c.end()));
                cn.put("durationMillis", c.duration().toMillis());
                cn.put("detail", c.detail());
                if (!c.data().isEmpty()) {
                    cn.set("data", MAPPER.valueToTree(c.data()));
                }
                ApprovalDecision d = c.decision();
                if (d == null) {
                    cn.putNull("decision");
                } else {
                    ObjectNode dn = cn.putObject("decision");
                    dn.put("approved", d.approved());
                    dn.put("by", d.by());
                    dn.put("comment", d.comment());
                    dn.put("at", str(d.at()));
                    dn.put("timedOut", d.timedOut());
                }
            }
            ArrayNode targets = wn.putArray("targets");
            for (TargetResult t : w.targets()) {
                ObjectNode tn = targets.addObject();
                tn.put("target", t.target());
                tn.put("status", t.status().name());
                tn.put("canary", t.canary());
                tn.put("start", str(t.start()));
                tn.put("end", str(t.end()));
                tn.put("durationMillis", t.duration().toMillis());
                tn.put("note", t.note());
                Failure f = t.failure();
                if (f == null) {
                    tn.putNull("failure");
                } else {
                    ObjectNode fn = tn.putObject("failure");
                    fn.put("type", f.type());
                    fn.put("message", f.message());
                }
                if (t.run() == null) {
                    tn.putNull("run");
                } else {
                    tn.set("run", runTree(t.run()));
                }
            }
        }
        return n;
    }

    private static String str(Instant i) {
        return i == null ? null : i.toString();
    }

    /** A target's run as a tree: its own JSON, read back (the run's rendering belongs to {@code run}). */
    private static com.fasterxml.jackson.databind.JsonNode runTree(dev.stepwise.core.run.RunResult run) {
        try {
            return MAPPER.readTree(run.toJson());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the run of plan " + run.plan() + " wrote JSON it cannot read: "
                    + e.getOriginalMessage(), e);
        }
    }


    /** For renderings: the predictions of a dry-run target, one line each. */
    private static List<String> predictions(dev.stepwise.core.run.RunResult run) {
        List<String> out = new ArrayList<>();
        if (run == null) {
            return out;
        }
        run.steps().stream().filter(s -> s.status() == dev.stepwise.core.run.StepStatus.PREDICTED)
                .forEach(s -> s.predictions().forEach(p -> out.add(s.name() + ": " + p)));
        return out;
    }
}
