package dev.stepwise.core.journal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.core.internal.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one run's journal says: the plan and its fingerprint, the inputs (secret ones redacted), and per row
 * of the plan (step, check, branch) whether it started, how it ended, its attempts and output. Read with
 * {@link JournalStore#read(String)}; a resumed run uses it to skip finished steps and restore their outputs.
 * Immutable and thread-safe.
 *
 * <p>The journal is JSON lines, one event per line, each with a {@code type}: {@code run-started},
 * {@code run-resumed}, {@code step-started}, {@code attempt-failed}, {@code step-succeeded},
 * {@code step-failed}, {@code check}, {@code run-finished}, {@code run-closed}.
 */
public final class RunJournal {

    /**
     * What the journal says about one row of the plan.
     *
     * @param row            the row's index in plan order
     * @param name           the step's name or the check's description
     * @param started        whether it started
     * @param status         {@code SUCCEEDED} or {@code FAILED} once it ended, else empty
     * @param attempts       attempts recorded
     * @param output         the output as plain JSON values (maps, lists, strings, numbers), or null
     * @param outputRedacted whether the output was a secret and so was not written
     * @param outcome        for checks and branches: {@code held}, {@code failed}, {@code then} or {@code otherwise}
     */
    public record Row(int row, String name, boolean started, String status, int attempts, Object output,
            boolean outputRedacted, String outcome) {

        public boolean succeeded() {
            return "SUCCEEDED".equals(status);
        }

        /** Started, but the journal does not say how it ended: the run stopped inside it. */
        public boolean unfinished() {
            return started && status.isEmpty();
        }
    }

    private final String runId;
    private final String plan;
    private final String fingerprint;
    private final String target;
    private final Map<String, Object> inputs;
    private final Set<String> secretInputs;
    private final Map<Integer, Row> rows;
    private final String lastStatus;
    private final String lastReason;
    private final boolean closed;
    private final int tornLines;

    private RunJournal(String runId, String plan, String fingerprint, String target, Map<String, Object> inputs,
            Set<String> secretInputs, Map<Integer, Row> rows, String lastStatus, String lastReason, boolean closed,
            int tornLines) {
        this.runId = runId;
        this.plan = plan;
        this.fingerprint = fingerprint;
        this.target = target;
        this.inputs = Collections.unmodifiableMap(inputs);
        this.secretInputs = Collections.unmodifiableSet(secretInputs);
        this.rows = Collections.unmodifiableMap(rows);
        this.lastStatus = lastStatus;
        this.lastReason = lastReason;
        this.closed = closed;
        this.tornLines = tornLines;
    }

    /** Parses journal lines; lines that are not JSON (a write cut short by a crash) are counted and skipped. */
    public static RunJournal parse(String runId, List<String> lines) {
        String plan = null;
        String fingerprint = null;
        String target = null;
        Map<String, Object> inputs = new LinkedHashMap<>();
        Set<String> secrets = new LinkedHashSet<>();
        Map<Integer, Row> rows = new LinkedHashMap<>();
        String status = null;
        String reason = "";
        boolean closed = false;
        int torn = 0;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = Json.MAPPER.readTree(line);
            } catch (Exception e) {
                torn++;
                continue;
            }
            String type = n.path("type").asText();
            int row = n.path("row").asInt(-1);
            String name = n.path("name").asText("");
            Row old = rows.getOrDefault(row, new Row(row, name, false, "", 0, null, false, ""));
            switch (type) {
                case "run-started" -> {
                    plan = n.path("plan").asText();
                    fingerprint = n.path("fingerprint").asText();
                    target = n.path("target").isNull() ? null : n.path("target").asText(null);
                    n.path("inputs").fields().forEachRemaining(e -> inputs.put(e.getKey(), plain(e.getValue())));
                    n.path("secretInputs").forEach(s -> secrets.add(s.asText()));
                }
                case "run-resumed" -> status = null;
                case "step-started" -> rows.put(row, new Row(row, name, true, "", Math.max(old.attempts(), 0), null, false, ""));
                case "attempt-failed" -> rows.put(row, new Row(row, name, true, old.status(), n.path("attempt").asInt(),
                        old.output(), old.outputRedacted(), old.outcome()));
                case "step-succeeded" -> rows.put(row, new Row(row, name, true, "SUCCEEDED", n.path("attempts").asInt(),
                        plain(n.get("output")), n.path("redacted").asBoolean(false), ""));
                case "step-failed" -> rows.put(row, new Row(row, name, true, "FAILED", n.path("attempts").asInt(), null,
                        false, ""));
                case "check" -> rows.put(row, new Row(row, name, true, "SUCCEEDED", 1, null, false,
                        n.path("outcome").asText()));
                case "run-finished" -> {
                    status = n.path("status").asText();
                    reason = n.path("reason").asText("");
                }
                case "run-closed" -> {
                    closed = true;
                    reason = n.path("reason").asText("");
                }
                default -> {
                    // a newer writer's event type: ignored, as the format promises
                }
            }
        }
        if (plan == null) {
            throw new JournalException("The journal of run " + runId + " has no run-started line: it is empty or not a "
                    + "Stepwise journal");
        }
        return new RunJournal(runId, plan, fingerprint, target, inputs, secrets, rows, status, reason, closed, torn);
    }

    private static Object plain(JsonNode n) {
        return n == null || n.isNull() ? null : Json.MAPPER.convertValue(n, Object.class);
    }

    public String runId() {
        return runId;
    }

    public String plan() {
        return plan;
    }

    public String fingerprint() {
        return fingerprint;
    }

    /** The rollout target of the run, if any. */
    public Optional<String> target() {
        return Optional.ofNullable(target);
    }

    /** The inputs as written, by name; secret ones are absent (see {@link #secretInputs()}). */
    public Map<String, Object> inputs() {
        return inputs;
    }

    /** Names of the secret inputs, whose values were not written and must be given again to resume. */
    public Set<String> secretInputs() {
        return secretInputs;
    }

    /** What the journal says of each row that started, by row index. */
    public Map<Integer, Row> rows() {
        return rows;
    }

    /** How the last session of the run finished, if it did (a crash leaves this empty). */
    public Optional<String> status() {
        return Optional.ofNullable(lastStatus);
    }

    /** The reason recorded with the last finish or close. */
    public String reason() {
        return lastReason;
    }

    /** Whether someone closed the run; a closed run cannot be resumed. */
    public boolean isClosed() {
        return closed;
    }

    /** How many unreadable lines (cut short by a crash) were skipped. */
    public int tornLines() {
        return tornLines;
    }

    /** Names of the rows that started but whose end the journal does not record. */
    public List<String> unfinished() {
        List<String> out = new ArrayList<>();
        rows.values().stream().filter(Row::unfinished).forEach(r -> out.add(r.name()));
        return out;
    }

    @Override
    public String toString() {
        long done = rows.values().stream().filter(Row::succeeded).count();
        return "RunJournal{run " + runId + " of plan " + plan + ", " + done + " row(s) done"
                + (unfinished().isEmpty() ? "" : ", unfinished " + unfinished())
                + ", status " + (lastStatus == null ? "none (stopped without finishing)" : lastStatus)
                + (closed ? ", closed" : "") + (tornLines > 0 ? ", " + tornLines + " torn line(s) skipped" : "") + "}";
    }
}
