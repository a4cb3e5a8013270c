package dev.stepwise.core.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.core.StepwiseJson;
import dev.stepwise.core.journal.JournalEntry.AttemptFailed;
import dev.stepwise.core.journal.JournalEntry.CheckDecided;
import dev.stepwise.core.journal.JournalEntry.RunClosed;
import dev.stepwise.core.journal.JournalEntry.RunFinished;
import dev.stepwise.core.journal.JournalEntry.RunResumed;
import dev.stepwise.core.journal.JournalEntry.RunStarted;
import dev.stepwise.core.journal.JournalEntry.StepFailed;
import dev.stepwise.core.journal.JournalEntry.StepStarted;
import dev.stepwise.core.journal.JournalEntry.StepSucceeded;
import dev.stepwise.core.plan.Effect;
import dev.stepwise.core.rollout.ApprovalDecision;
import dev.stepwise.core.run.Failure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one place that turns {@link JournalEntry}s into journal lines and back; every {@link JournalStore} uses it,
 * so the format has one owner.
 *
 * <p>A line is one JSON object with a {@code type} ({@code run-started}, {@code run-resumed},
 * {@code step-started}, {@code attempt-failed}, {@code step-succeeded}, {@code step-failed}, {@code check},
 * {@code run-finished}, {@code run-closed}; for rollouts {@code rollout-started}, {@code rollout-resumed},
 * {@code wave-targets}, {@code wave-started}, {@code wave-ended}, {@code checkpoint-started},
 * {@code approval-requested}, {@code announcement-sent}, {@code checkpoint-ended}, {@code rollout-parked}, {@code rollout-finished}, and the
 * outside decision {@code approval-given}) and an ISO-8601 {@code at}; the other fields follow the entry's
 * components. Readers ignore fields and types they do not know, so a newer writer's journal stays readable.
 * Stateless and thread-safe.
 */
public final class JournalCodec {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = StepwiseJson.newMapper();
    private JournalCodec() {
    }

    /** {@code entry} as one JSON line, without the line break. */
    public static String encode(JournalEntry entry) {
        ObjectNode n = JSON.createObjectNode();
        if (entry instanceof RunStarted e) {
            head(n, "run-started", e.at());
            n.put("plan", e.plan()).put("fingerprint", e.fingerprint()).put("runId", e.runId()).put("target", e.target());
            n.set("inputs", JSON.valueToTree(e.inputs()));
            ArrayNode secrets = n.putArray("secretInputs");
            e.secretInputs().forEach(secrets::add);
        } else if (entry instanceof RunResumed e) {
            head(n, "run-resumed", e.at());
        } else if (entry instanceof StepStarted e) {
            row(head(n, "step-started", e.at()), e.row(), e.name()).put("effect", e.effect().name());
        } else if (entry instanceof AttemptFailed e) {
            row(head(n, "attempt-failed", e.at()), e.row(), e.name()).put("attempt", e.attempt());
            failure(n, e.failure());
        } else if (entry instanceof StepSucceeded e) {
            row(head(n, "step-succeeded", e.at()), e.row(), e.name()).put("attempts", e.attempts());
            if (e.redacted()) {
                n.put("redacted", true);
            } else if (e.output() != null) {
                n.set("output", JSON.valueToTree(e.output()));
            }
        } else if (entry instanceof StepFailed e) {
            row(head(n, "step-failed", e.at()), e.row(), e.name()).put("attempts", e.attempts());
            failure(n, e.failure());
        } else if (entry instanceof CheckDecided e) {
            row(head(n, "check", e.at()), e.row(), e.name()).put("outcome", e.outcome());
        } else if (entry instanceof RunFinished e) {
            head(n, "run-finished", e.at()).put("status", e.status()).put("reason", e.reason());
            if (e.failure() != null) {
                failure(n, e.failure());
            }
        } else if (entry instanceof RunClosed e) {
            head(n, "run-closed", e.at()).put("reason", e.reason());
        } else if (entry instanceof JournalEntry.RolloutStarted e) {
            head(n, "rollout-started", e.at()).put("rolloutId", e.rolloutId()).put("rollout", e.rollout())
                    .put("plan", e.plan()).put("fingerprint", e.fingerprint());
            ArrayNode waves = n.putArray("waves");
            e.waves().forEach(waves::add);
            n.set("parameters", JSON.valueToTree(e.parameters()));
        } else if (entry instanceof JournalEntry.RolloutResumed e) {
            head(n, "rollout-resumed", e.at()).put("override", e.override());
        } else if (entry instanceof JournalEntry.WaveTargets e) {
            head(n, "wave-targets", e.at()).put("wave", e.wave());
            ArrayNode targets = n.putArray("targets");
            e.targets().forEach(targets::add);
        } else if (entry instanceof JournalEntry.WaveStarted e) {
            head(n, "wave-started", e.at()).put("wave", e.wave());
        } else if (entry instanceof JournalEntry.WaveEnded e) {
            head(n, "wave-ended", e.at()).put("wave", e.wave()).put("status", e.status()).put("reason", e.reason());
        } else if (entry instanceof JournalEntry.CheckpointStarted e) {
            head(n, "checkpoint-started", e.at()).put("wave", e.wave()).put("index", e.index()).put("kind", e.kind())
                    .put("description", e.description());
        } else if (entry instanceof JournalEntry.ApprovalRequested e) {
            head(n, "approval-requested", e.at()).put("wave", e.wave()).put("index", e.index());
        } else if (entry instanceof JournalEntry.AnnouncementSent e) {
            head(n, "announcement-sent", e.at()).put("wave", e.wave()).put("index", e.index())
                    .put("leadTime", e.leadTime().toString()).put("detail", e.detail());
        } else if (entry instanceof JournalEntry.SoakWatched e) {
            head(n, "soak-watched", e.at()).put("wave", e.wave()).put("index", e.index()).put("held", e.held())
                    .put("detail", e.detail());
            if (!e.data().isEmpty()) {
                n.set("data", JSON.valueToTree(e.data()));
            }
        } else if (entry instanceof JournalEntry.CheckpointEnded e) {
            head(n, "checkpoint-ended", e.at()).put("wave", e.wave()).put("index", e.index()).put("outcome", e.outcome())
                    .put("detail", e.detail());
            if (e.decision() != null) {
                ApprovalDecision d = e.decision();
                ObjectNode dn = n.putObject("decision").put("approved", d.approved()).put("by", d.by())
                        .put("comment", d.comment()).put("timedOut", d.timedOut());
                dn.put("at", d.at() == null ? null : d.at().toString());
            }
            if (!e.data().isEmpty()) {
                n.set("data", JSON.valueToTree(e.data()));
            }
        } else if (entry instanceof JournalEntry.RolloutParked e) {
            head(n, "rollout-parked", e.at()).put("reason", e.reason()).put("resumeAt", e.resumeAt().toString());
        } else if (entry instanceof JournalEntry.RolloutFinished e) {
            head(n, "rollout-finished", e.at()).put("status", e.status()).put("reason", e.reason());
        } else if (entry instanceof JournalEntry.ApprovalGiven e) {
            head(n, "approval-given", e.at()).put("wave", e.wave()).put("index", e.index()).put("approved", e.approved())
                    .put("by", e.by()).put("comment", e.comment());
        }
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new JournalException("A journal entry could not be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The entry on {@code line}; empty for a type this version does not know (a newer writer's).
     *
     * @throws JournalException if the line is not a JSON object with a type and a time (for example a line a
     *                          crash cut short)
     */
    public static Optional<JournalEntry> decode(String line) {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new JournalException("not a JSON journal line: " + e.getOriginalMessage(), e);
        }
        if (n == null || !n.isObject() || !n.path("type").isTextual() || !n.path("at").isTextual()) {
            throw new JournalException("not a journal entry: it needs a \"type\" and an \"at\"");
        }
        Instant at;
        try {
            at = Instant.parse(n.path("at").asText());
        } catch (RuntimeException e) {
            throw new JournalException("journal entry time \"" + n.path("at").asText() + "\" is not an ISO-8601 instant", e);
        }
        int row = n.path("row").asInt(-1);
        String name = n.path("name").asText("");
        JournalEntry entry = switch (n.path("type").asText()) {
            case "run-started" -> new RunStarted(at, n.path("runId").asText(""), n.path("plan").asText(),
                    n.path("fingerprint").asText(""), n.path("target").isTextual() ? n.path("target").asText() : null,
                    map(n.get("inputs")), strings(n.get("secretInputs")));
            case "run-resumed" -> new RunResumed(at);
            case "step-started" -> new StepStarted(at, row, name, effect(n.path("effect").asText("MUTATING")));
            case "attempt-failed" -> new AttemptFailed(at, row, name, n.path("attempt").asInt(), failure(n.get("failure")));
            case "step-succeeded" -> new StepSucceeded(at, row, name, n.path("attempts").asInt(),
                    plain(n.get("output")), n.path("redacted").asBoolean(false));
            case "step-failed" -> new StepFailed(at, row, name, n.path("attempts").asInt(), failure(n.get("failure")));
            case "check" -> new CheckDecided(at, row, name, n.path("outcome").asText(""));
            case "run-finished" -> new RunFinished(at, n.path("status").asText(), n.path("reason").asText(""),
                    n.hasNonNull("failure") ? failure(n.get("failure")) : null);
            case "run-closed" -> new RunClosed(at, n.path("reason").asText(""));
            case "rollout-started" -> new JournalEntry.RolloutStarted(at, n.path("rolloutId").asText(""),
                    n.path("rollout").asText(""), n.path("plan").asText(""), n.path("fingerprint").asText(""),
                    strings(n.get("waves")), map(n.get("parameters")));
            case "rollout-resumed" -> new JournalEntry.RolloutResumed(at, n.path("override").asText(""));
            case "wave-targets" -> new JournalEntry.WaveTargets(at, n.path("wave").asText(""), strings(n.get("targets")));
            case "wave-started" -> new JournalEntry.WaveStarted(at, n.path("wave").asText(""));
            case "wave-ended" -> new JournalEntry.WaveEnded(at, n.path("wave").asText(""), n.path("status").asText(""),
                    n.path("reason").asText(""));
            case "checkpoint-started" -> new JournalEntry.CheckpointStarted(at, n.path("wave").asText(""),
                    n.path("index").asInt(), n.path("kind").asText(""), n.path("description").asText(""));
            case "approval-requested" -> new JournalEntry.ApprovalRequested(at, n.path("wave").asText(""),
                    n.path("index").asInt());
            case "announcement-sent" -> new JournalEntry.AnnouncementSent(at, n.path("wave").asText(""),
                    n.path("index").asInt(), Duration.parse(n.path("leadTime").asText("PT0S")), n.path("detail").asText(""));
            case "soak-watched" -> new JournalEntry.SoakWatched(at, n.path("wave").asText(""), n.path("index").asInt(),
                    n.path("held").asBoolean(), n.path("detail").asText(""), map(n.get("data")));
            case "checkpoint-ended" -> new JournalEntry.CheckpointEnded(at, n.path("wave").asText(""),
                    n.path("index").asInt(), n.path("outcome").asText(""), n.path("detail").asText(""),
                    decision(n.get("decision")), map(n.get("data")));
            case "rollout-parked" -> new JournalEntry.RolloutParked(at, n.path("reason").asText(""),
                    Instant.parse(n.path("resumeAt").asText()));
            case "rollout-finished" -> new JournalEntry.RolloutFinished(at, n.path("status").asText(""),
                    n.path("reason").asText(""));
            case "approval-given" -> new JournalEntry.ApprovalGiven(at, n.path("wave").asText(""), n.path("index").asInt(),
                    n.path("approved").asBoolean(), n.path("by").asText("unknown"), n.path("comment").asText(""));
            default -> null;
        };
        return Optional.ofNullable(entry);
    }

    private static ObjectNode head(ObjectNode n, String type, Instant at) {
        return n.put("type", type).put("at", at.toString());
    }

    private static ObjectNode row(ObjectNode n, int row, String name) {
        return n.put("row", row).put("name", name);
    }

    private static void failure(ObjectNode n, Failure f) {
        ObjectNode fn = n.putObject("failure");
        fn.put("type", f.type());
        fn.put("message", f.message());
        if (!f.details().isEmpty()) {
            try {
                fn.set("details", JSON.valueToTree(f.details()));
            } catch (IllegalArgumentException e) {
                // details Jackson cannot write must not cost the journal its entry: say so instead
                fn.putObject("details").put("unwritable", e.getMessage());
            }
        }
    }

    private static Failure failure(JsonNode n) {
        if (n == null || n.isNull()) {
            return Failure.of("unknown", "");
        }
        return Failure.of(n.path("type").asText("unknown"), n.path("message").asText(""), map(n.get("details")));
    }

    private static ApprovalDecision decision(JsonNode n) {
        if (n == null || !n.isObject()) {
            return null;
        }
        String by = n.path("by").asText("");
        return ApprovalDecision.builder().approved(n.path("approved").asBoolean()).by(by.isBlank() ? "unknown" : by)
                .comment(n.path("comment").asText(""))
                .at(n.hasNonNull("at") ? Instant.parse(n.path("at").asText()) : null)
                .timedOut(n.path("timedOut").asBoolean(false)).build();
    }

    private static Effect effect(String s) {
        try {
            return Effect.valueOf(s);
        } catch (IllegalArgumentException e) {
            // an unknown effect is treated as the one that may have changed something
            return Effect.MUTATING;
        }
    }

    private static Object plain(JsonNode n) {
        return n == null || n.isNull() ? null : JSON.convertValue(n, Object.class);
    }

    private static Map<String, Object> map(JsonNode n) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (n != null && n.isObject()) {
            n.fields().forEachRemaining(e -> m.put(e.getKey(), plain(e.getValue())));
        }
        return m;
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            n.forEach(s -> out.add(s.asText()));
        }
        return out;
    }
}
