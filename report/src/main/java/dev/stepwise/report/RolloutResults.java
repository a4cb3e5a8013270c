package dev.stepwise.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.rollout.ApprovalDecision;
import dev.stepwise.core.rollout.Checkpoint;
import dev.stepwise.core.rollout.CheckpointResult;
import dev.stepwise.core.rollout.Limit;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.rollout.TargetResult;
import dev.stepwise.core.rollout.TargetStatus;
import dev.stepwise.core.rollout.WaveResult;
import dev.stepwise.core.rollout.WaveStatus;
import dev.stepwise.core.run.Failure;
import dev.stepwise.core.run.RunResult;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads back a {@link RolloutResult} that {@link RolloutResult#toJson()} wrote — from a file a CI job kept, or the
 * {@code --output json} of the command line — so it can be reported on, compared or checked later.
 *
 * <p>What comes back equals what was written in every field the JSON holds: statuses, reasons, times, limits,
 * checkpoints with their data and decisions, and each target's run (read by {@link RunResult#fromJson}; outputs and
 * checkpoint data come back as JSON values: maps, lists, strings, numbers, booleans). A failure comes back as its
 * type and message, without the original exception. Stateless and thread-safe.
 *
 * <pre>{@code
 * RolloutResult r = RolloutResults.fromJson(Files.readString(Path.of("rollout.json")));
 * HtmlReport.of(r).writeTo(Path.of("rollout.html"));
 * }</pre>
 */
public final class RolloutResults {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RolloutResults() {
    }

    /**
     * Reads a rollout's result from the JSON {@link RolloutResult#toJson()} writes.
     *
     * @throws ResultJsonException naming the field, the value and the rule when {@code json} is not such a result;
     *                             nothing is half-read
     */
    public static RolloutResult fromJson(String json) {
        Objects.requireNonNull(json, "json");
        JsonNode n;
        try {
            n = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ResultJsonException("Not a Stepwise rollout result: the text is not JSON ("
                    + e.getOriginalMessage() + ")", e);
        }
        if (n == null || !n.isObject()) {
            throw new ResultJsonException("Not a Stepwise rollout result: expected a JSON object, found "
                    + (n == null ? "nothing" : n.getNodeType()));
        }
        try {
            List<WaveResult> waves = new ArrayList<>();
            for (JsonNode w : n.path("waves")) {
                waves.add(wave(w));
            }
            return RolloutResult.builder().rollout(required(n, "rollout")).rolloutId(required(n, "rolloutId"))
                    .plan(text(n, "plan")).fingerprint(text(n, "fingerprint")).dryRun(n.path("dryRun").asBoolean())
                    .status(enumOf(RolloutStatus.class, n, "status")).reason(n.path("reason").asText(""))
                    .start(instant(n, "start")).end(instant(n, "end")).resumeAt(instant(n, "resumeAt"))
                    .waves(waves).build();
        } catch (PlanValidationException | IllegalArgumentException e) {
            // a builder refused a value the JSON held (a missing required field, an impossible limit)
            throw new ResultJsonException("Not a Stepwise rollout result: " + e.getMessage(), e);
        }
    }

    private static WaveResult wave(JsonNode w) {
        List<Integer> stages = new ArrayList<>();
        w.path("rampStages").forEach(s -> stages.add(s.asInt()));
        List<CheckpointResult> checkpoints = new ArrayList<>();
        for (JsonNode c : w.path("checkpoints")) {
            checkpoints.add(checkpoint(c));
        }
        List<TargetResult> targets = new ArrayList<>();
        for (JsonNode t : w.path("targets")) {
            targets.add(target(t));
        }
        return WaveResult.builder().name(required(w, "name")).status(enumOf(WaveStatus.class, w, "status"))
                .reason(w.path("reason").asText("")).targetSource(w.path("targetSource").asText(""))
                .maxConcurrency(limit(w, "maxConcurrency")).concurrency(w.path("concurrency").asInt())
                .maxErrors(limit(w, "maxErrors")).errorBudget(w.path("errorBudget").asInt())
                .ramp(w.path("ramp").asBoolean()).strict(w.path("strict").asBoolean()).rampStages(stages)
                .checkpoints(checkpoints).start(instant(w, "start")).end(instant(w, "end")).targets(targets).build();
    }

    @SuppressWarnings("unchecked")
    private static CheckpointResult checkpoint(JsonNode c) {
        CheckpointResult.Builder b = CheckpointResult.builder().kind(enumOf(Checkpoint.Kind.class, c, "kind"))
                .description(c.path("description").asText("")).outcome(enumOf(CheckpointResult.Outcome.class, c, "outcome"))
                .start(instant(c, "start")).end(instant(c, "end")).detail(c.path("detail").asText(""));
        if (c.hasNonNull("data")) {
            b.data(MAPPER.convertValue(c.get("data"), LinkedHashMap.class));
        }
        JsonNode d = c.get("decision");
        if (d != null && !d.isNull()) {
            b.decision(ApprovalDecision.builder().approved(d.path("approved").asBoolean()).by(required(d, "by"))
                    .comment(d.path("comment").asText("")).at(instant(d, "at")).timedOut(d.path("timedOut").asBoolean())
                    .build());
        }
        return b.build();
    }

    private static TargetResult target(JsonNode t) {
        TargetResult.Builder b = TargetResult.builder().target(required(t, "target"))
                .status(enumOf(TargetStatus.class, t, "status")).canary(t.path("canary").asBoolean())
                .start(instant(t, "start")).end(instant(t, "end")).note(t.path("note").asText(""));
        JsonNode f = t.get("failure");
        if (f != null && !f.isNull()) {
            b.failure(Failure.of(f.path("type").asText(""), f.path("message").asText("")));
        }
        JsonNode run = t.get("run");
        if (run != null && !run.isNull()) {
            b.run(RunResult.fromJson(run.toString()));
        }
        return b.build();
    }

    private static String required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull() || !v.isTextual()) {
            throw new ResultJsonException("Not a Stepwise rollout result: field \"" + field + "\" is "
                    + (v == null ? "missing" : v.isNull() ? "null" : "a " + v.getNodeType()) + "; it must be a string");
        }
        return v.asText();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instant(JsonNode n, String field) {
        String s = text(n, field);
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new ResultJsonException("Not a Stepwise rollout result: field \"" + field + "\" is \"" + s
                    + "\"; it must be an ISO-8601 instant such as 2026-03-01T10:15:30Z", e);
        }
    }

    private static Limit limit(JsonNode n, String field) {
        String s = required(n, field);
        try {
            return Limit.parse(s);
        } catch (RuntimeException e) {
            throw new ResultJsonException("Not a Stepwise rollout result: field \"" + field + "\" is \"" + s
                    + "\"; it must be a count such as 10 or a percentage such as 10%", e);
        }
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, JsonNode n, String field) {
        String s = required(n, field);
        try {
            return Enum.valueOf(type, s);
        } catch (IllegalArgumentException e) {
            throw new ResultJsonException("Not a Stepwise rollout result: field \"" + field + "\" is \"" + s
                    + "\"; it must be one of " + Arrays.toString(type.getEnumConstants()), e);
        }
    }

}
