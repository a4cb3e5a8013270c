package dev.stepwise.core.journal;

import dev.stepwise.core.run.Failure;
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
 * <p>The journal is a sequence of {@link JournalEntry}s, stored as lines by {@link JournalCodec}.
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
     * @param failure        the last failure recorded for it, or null
     */
    public record Row(int row, String name, boolean started, String status, int attempts, Object output,
            boolean outputRedacted, String outcome, Failure failure) {

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
    private final Failure failure;
    private final boolean closed;
    private final int tornLines;
    private final List<JournalEntry> entries;

    private RunJournal(String runId, String plan, String fingerprint, String target, Map<String, Object> inputs,
            Set<String> secretInputs, Map<Integer, Row> rows, String lastStatus, String lastReason, Failure failure,
            boolean closed, int tornLines, List<JournalEntry> entries) {
        this.runId = runId;
        this.plan = plan;
        this.fingerprint = fingerprint;
        this.target = target;
        this.inputs = Collections.unmodifiableMap(inputs);
        this.secretInputs = Collections.unmodifiableSet(secretInputs);
        this.rows = Collections.unmodifiableMap(rows);
        this.lastStatus = lastStatus;
        this.lastReason = lastReason;
        this.failure = failure;
        this.closed = closed;
        this.tornLines = tornLines;
        this.entries = List.copyOf(entries);
    }

    /**
     * Decodes journal lines with {@link JournalCodec}; lines that cannot be decoded (a write cut short by a crash)
     * are counted and skipped, and entry types this version does not know are ignored.
     */
    public static RunJournal parse(String runId, List<String> lines) {
        List<JournalEntry> entries = new ArrayList<>();
        int torn = 0;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JournalCodec.decode(line).ifPresent(entries::add);
            } catch (JournalException e) {
                torn++;
            }
        }
        return of(runId, entries, torn);
    }

    /** What {@code entries}, in the order they were appended, say about run {@code runId}. */
    public static RunJournal of(String runId, List<JournalEntry> entries, int tornLines) {
        String plan = null;
        String fingerprint = null;
        String target = null;
        Map<String, Object> inputs = new LinkedHashMap<>();
        Set<String> secrets = new LinkedHashSet<>();
        Map<Integer, Row> rows = new LinkedHashMap<>();
        String status = null;
        String reason = "";
        Failure failure = null;
        boolean closed = false;
        for (JournalEntry entry : entries) {
            if (entry instanceof JournalEntry.RunStarted e) {
                plan = e.plan();
                fingerprint = e.fingerprint();
                target = e.target();
                inputs.putAll(e.inputs());
                secrets.addAll(e.secretInputs());
            } else if (entry instanceof JournalEntry.RunResumed) {
                status = null;
                failure = null;
            } else if (entry instanceof JournalEntry.StepStarted e) {
                Row old = rows.get(e.row());
                rows.put(e.row(), new Row(e.row(), e.name(), true, "", old == null ? 0 : old.attempts(), null, false, "",
                        null));
            } else if (entry instanceof JournalEntry.AttemptFailed e) {
                Row old = rows.getOrDefault(e.row(), new Row(e.row(), e.name(), true, "", 0, null, false, "", null));
                rows.put(e.row(), new Row(e.row(), e.name(), true, old.status(), e.attempt(), old.output(),
                        old.outputRedacted(), old.outcome(), e.failure()));
            } else if (entry instanceof JournalEntry.StepSucceeded e) {
                rows.put(e.row(), new Row(e.row(), e.name(), true, "SUCCEEDED", e.attempts(), e.output(), e.redacted(), "",
                        null));
            } else if (entry instanceof JournalEntry.StepFailed e) {
                rows.put(e.row(), new Row(e.row(), e.name(), true, "FAILED", e.attempts(), null, false, "", e.failure()));
            } else if (entry instanceof JournalEntry.CheckDecided e) {
                rows.put(e.row(), new Row(e.row(), e.name(), true, "SUCCEEDED", 1, null, false, e.outcome(), null));
            } else if (entry instanceof JournalEntry.RunFinished e) {
                status = e.status();
                reason = e.reason();
                failure = e.failure();
            } else if (entry instanceof JournalEntry.RunClosed e) {
                closed = true;
                reason = e.reason();
            }
        }
        if (plan == null && entries.stream().noneMatch(e -> e instanceof JournalEntry.RolloutStarted
                || e instanceof JournalEntry.ApprovalGiven)) {
            throw new JournalException("The journal of run " + runId + " has no run-started entry: it is empty or not a "
                    + "Stepwise journal");
        }
        return new RunJournal(runId, plan, fingerprint, target, inputs, secrets, rows, status, reason, failure, closed,
                tornLines, entries);
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

    /** The failure recorded with the last finish, with its details; empty after a success or a crash. */
    public Optional<Failure> failure() {
        return Optional.ofNullable(failure);
    }

    /** Every entry read, in the order it was appended. */
    public List<JournalEntry> entries() {
        return entries;
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
