package dev.stepwise.core.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.core.Durations;
import dev.stepwise.core.StepwiseJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.core.plan.Effect;
import dev.stepwise.core.plan.Prediction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Text and JSON renderings of run results. */
final class ResultRendering {
    private static final ObjectMapper MAPPER = StepwiseJson.newMapper();
    private static final int NAME_WIDTH = 44;

    private ResultRendering() {
    }

    static String table(RunResult r) {
        StringBuilder b = new StringBuilder();
        b.append(r.dryRun() ? "DRY RUN of " : "Run of ").append("plan ").append(r.plan())
                .append(r.target() == null ? "" : " on " + r.target())
                .append(" (run ").append(r.runId()).append("): ").append(r.status())
                .append(" in ").append(Durations.human(r.duration())).append('\n');
        if (r.dryRun()) {
            b.append("  Nothing was changed: READ_ONLY steps and checks ran for real; MUTATING steps were only predicted.\n");
        }
        if (!r.reason().isEmpty()) {
            b.append("  ").append(reasonLabel(r.status())).append(r.reason()).append('\n');
        }
        if (!r.inputs().isEmpty()) {
            b.append("  Inputs: ").append(join(r.inputs())).append('\n');
        }
        String header = String.format("  %-3s %-" + NAME_WIDTH + "s %-6s %-11s %-8s %-9s %s%n", "#", "step", "kind",
                "status", "attempts", "duration", "detail");
        b.append(header);
        int i = 0;
        for (StepResult s : r.steps()) {
            List<String> details = details(s);
            b.append(String.format("  %-3d %-" + NAME_WIDTH + "s %-6s %-11s %-8s %-9s %s%n", ++i, clip(s.name()),
                    s.kind().name().toLowerCase(java.util.Locale.ROOT), s.status(),
                    s.attempts() == 0 ? "-" : String.valueOf(s.attempts()),
                    s.status() == StepStatus.PREDICTED ? "-" : s.duration().map(Durations::human).orElse("-"),
                    details.isEmpty() ? "" : details.get(0)));
            for (int d = 1; d < details.size(); d++) {
                b.append(String.format("  %-3s %-" + NAME_WIDTH + "s %-6s %-11s %-8s %-9s %s%n", "", "", "", "", "", "",
                        details.get(d)));
            }
        }
        if (!r.outputs().isEmpty()) {
            b.append("  Outputs: ").append(join(r.outputs())).append('\n');
        }
        long continued = r.steps().stream().filter(s -> s.status() == StepStatus.FAILED).count();
        if (r.status() == RunStatus.SUCCEEDED && continued > 0) {
            b.append("  Note: ").append(continued).append(continued == 1 ? " step" : " steps")
                    .append(" failed and the plan continued past ").append(continued == 1 ? "it" : "them").append('\n');
        }
        return b.toString();
    }

    private static String reasonLabel(RunStatus status) {
        return switch (status) {
            case ENDED -> "Ended: ";
            case FAILED -> "Failed: ";
            case CANCELLED -> "Cancelled: ";
            case SUCCEEDED -> "Note: ";
        };
    }

    private static List<String> details(StepResult s) {
        List<String> out = new ArrayList<>();
        if (s.status() == StepStatus.PREDICTED && !s.predictions().isEmpty()) {
            for (Prediction p : s.predictions()) {
                out.add("would: " + p);
            }
        }
        if (!s.note().isEmpty()) {
            out.add(s.note());
        }
        if (s.output() != null) {
            out.add("-> " + s.output());
        }
        if (s.failure() != null) {
            out.add("failed: " + s.failure());
        }
        return out;
    }

    private static String clip(String s) {
        return s.length() <= NAME_WIDTH ? s : s.substring(0, NAME_WIDTH - 1) + "…";
    }

    private static String join(Map<String, ?> m) {
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        return b.toString();
    }

    static String toJson(RunResult r) {
        return StepwiseJson.pretty(toTree(r));
    }

    static ObjectNode toTree(RunResult r) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("plan", r.plan());
        n.put("fingerprint", r.fingerprint());
        n.put("runId", r.runId());
        n.put("target", r.target());
        n.put("dryRun", r.dryRun());
        n.put("status", r.status().name());
        n.put("reason", r.reason());
        n.put("start", str(r.start()));
        n.put("end", str(r.end()));
        n.put("durationMillis", r.duration().toMillis());
        n.set("inputs", MAPPER.valueToTree(r.inputs()));
        n.set("outputs", MAPPER.valueToTree(r.outputs()));
        n.set("failure", failure(r.failure()));
        ArrayNode steps = n.putArray("steps");
        for (StepResult s : r.steps()) {
            ObjectNode sn = steps.addObject();
            sn.put("name", s.name());
            sn.put("kind", s.kind().name());
            sn.put("effect", s.effect().name());
            sn.put("status", s.status().name());
            sn.put("attempts", s.attempts());
            sn.put("start", str(s.start()));
            sn.put("end", str(s.end()));
            if (s.duration().isPresent()) {
                sn.put("durationMillis", s.duration().get().toMillis());
            } else {
                sn.putNull("durationMillis");
            }
            sn.put("output", s.output());
            sn.set("failure", failure(s.failure()));
            ArrayNode preds = sn.putArray("predictions");
            for (Prediction p : s.predictions()) {
                ObjectNode pn = preds.addObject();
                pn.put("service", p.service());
                pn.put("operation", p.operation());
                pn.set("parameters", MAPPER.valueToTree(p.parameters()));
                pn.put("condition", p.condition());
            }
            sn.put("note", s.note());
        }
        return n;
    }

    private static JsonNode failure(Failure f) {
        if (f == null) {
            return MAPPER.nullNode();
        }
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", f.type());
        n.put("message", f.message());
        if (!f.details().isEmpty()) {
            n.set("details", MAPPER.valueToTree(f.details()));
        }
        return n;
    }

    private static String str(Instant i) {
        return i == null ? null : i.toString();
    }

    @SuppressWarnings("unchecked")
    static RunResult fromJson(String json) {
        JsonNode n;
        try {
            n = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new dev.stepwise.core.StepwiseException("Not a Stepwise run result: " + e.getOriginalMessage(), e);
        }
        List<StepResult> steps = new ArrayList<>();
        for (JsonNode s : n.path("steps")) {
            List<Prediction> preds = new ArrayList<>();
            for (JsonNode p : s.path("predictions")) {
                preds.add(Prediction.builder().service(p.path("service").asText())
                        .operation(p.path("operation").asText())
                        .parameters(MAPPER.convertValue(p.path("parameters"), LinkedHashMap.class))
                        .condition(p.path("condition").asText("")).build());
            }
            steps.add(StepResult.builder().name(s.path("name").asText())
                    .kind(StepResult.Kind.valueOf(s.path("kind").asText()))
                    .effect(Effect.valueOf(s.path("effect").asText()))
                    .status(StepStatus.valueOf(s.path("status").asText())).attempts(s.path("attempts").asInt())
                    .start(instant(s.get("start"))).end(instant(s.get("end"))).output(text(s.get("output")))
                    .failure(failureOf(s.get("failure"))).predictions(preds).note(s.path("note").asText("")).build());
        }
        return RunResult.builder().plan(n.path("plan").asText()).fingerprint(text(n.get("fingerprint")))
                .runId(n.path("runId").asText()).target(text(n.get("target"))).dryRun(n.path("dryRun").asBoolean())
                .status(RunStatus.valueOf(n.path("status").asText())).reason(n.path("reason").asText(""))
                .start(instant(n.get("start"))).end(instant(n.get("end")))
                .inputs(MAPPER.convertValue(n.path("inputs"), LinkedHashMap.class))
                .outputs(MAPPER.convertValue(n.path("outputs"), LinkedHashMap.class))
                .failure(failureOf(n.get("failure"))).steps(steps).build();
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static Instant instant(JsonNode n) {
        return n == null || n.isNull() ? null : Instant.parse(n.asText());
    }

    private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> MAP = new com.fasterxml.jackson.core.type.TypeReference<>() {
    };

    private static Failure failureOf(JsonNode n) {
        return n == null || n.isNull() ? null : Failure.of(n.path("type").asText(), n.path("message").asText(""),
                n.hasNonNull("details") ? MAPPER.convertValue(n.get("details"), MAP) : Map.of());
    }
}
