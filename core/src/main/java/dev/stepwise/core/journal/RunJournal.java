package dev.stepwise.core.journal;

import dev.stepwise.core.run.Failure;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

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
    private final List<Integer> corruptLines;
    private final List<JournalEntry> entries;

    private RunJournal(String runId, String plan, String fingerprint, String target, Map<String, Object> inputs,
            Set<String> secretInputs, Map<Integer, Row> rows, String lastStatus, String lastReason, Failure failure,
            boolean closed, int tornLines, List<Integer> corruptLines, List<JournalEntry> entries) {
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
        this.corruptLines = List.copyOf(corruptLines);
        this.entries = List.copyOf(entries);
    }

    /**
     * Decodes a journal stored as bytes (UTF-8 JSON lines, as {@link JournalStore#directory} keeps it): each line is
     * decoded on its own with a strict decoder, so no byte sequence makes the journal unreadable. A line that is not
     * valid UTF-8 or not a journal entry is either a torn write or a corrupt line, as {@link #parse(String, List)}
     * says. A byte {@code \n} always ends a line (it never occurs inside a multi-byte UTF-8 character).
     *
     * @throws JournalException only when the journal has no readable run-started entry (empty, or not a journal)
     */
    public static RunJournal parse(String runId, byte[] journal) {
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= journal.length; i++) {
            if (i == journal.length || journal[i] == '\n') {
                if (i == journal.length && start == i) {
                    break;
                }
                try {
                    lines.add(strict.decode(ByteBuffer.wrap(journal, start, i - start)).toString());
                } catch (CharacterCodingException e) {
                    lines.add(null);
                }
                start = i + 1;
            }
        }
        return decode(runId, lines);
    }

    /**
     * Decodes journal lines with {@link JournalCodec}; entry types this version does not know are ignored, and so
     * are blank lines. A line that cannot be decoded is one of two things:
     * <ul>
     *   <li>a <em>torn</em> write, when it is the last line, or the line just before a later session's first
     *       entry ({@code run-resumed} or {@code run-closed}): where a crash stops a writer. It is counted in
     *       {@link #tornLines()} and skipped: the step it concerned looks unfinished, and a resume treats it so;</li>
     *   <li>a <em>corrupt</em> line anywhere else: entries may be missing, so its 1-based number is listed in
     *       {@link #corruptLines()}, and a resume re-runs no MUTATING step whose end is not recorded without a
     *       human decision, nor trusts a recorded finish.</li>
     * </ul>
     *
     * @throws JournalException only when the journal has no readable run-started entry (empty, or not a journal)
     */
    public static RunJournal parse(String runId, List<String> lines) {
        return decode(runId, lines);
    }

    /** {@code lines} in order, null for one that is not valid UTF-8. */
    private static RunJournal decode(String runId, List<String> lines) {
        int n = lines.size();
        JournalEntry[] decoded = new JournalEntry[n];
        boolean[] bad = new boolean[n];
        boolean[] blank = new boolean[n];
        for (int i = 0; i < n; i++) {
            String line = lines.get(i);
            if (line != null && line.isBlank()) {
                blank[i] = true;
                continue;
            }
            try {
                decoded[i] = line == null ? null : JournalCodec.decode(line).orElse(null);
                bad[i] = line == null;
            } catch (JournalException e) {
                bad[i] = true;
            }
        }
        List<JournalEntry> entries = new ArrayList<>();
        List<Integer> corrupt = new ArrayList<>();
        int torn = 0;
        for (int i = 0; i < n; i++) {
            if (decoded[i] != null) {
                entries.add(decoded[i]);
            }
            if (!bad[i]) {
                continue;
            }
            int next = i + 1;
            while (next < n && blank[next]) {
                next++;
            }
            boolean sessionEnd = next == n || decoded[next] instanceof JournalEntry.RunResumed
                    || decoded[next] instanceof JournalEntry.RunClosed;
            if (sessionEnd) {
                torn++;
            } else {
                corrupt.add(i + 1);
            }
        }
        return of(runId, entries, torn, corrupt);
    }

    /** What {@code entries}, in the order they were appended, say about run {@code runId}; no line was corrupt. */
    public static RunJournal of(String runId, List<JournalEntry> entries, int tornLines) {
        return of(runId, entries, tornLines, List.of());
    }

    /**
     * What {@code entries}, in the order they were appended, say about run {@code runId}, whose journal also had
     * {@code tornLines} torn writes and the unreadable lines numbered {@code corruptLines} (1-based).
     */
    public static RunJournal of(String runId, List<JournalEntry> entries, int tornLines, List<Integer> corruptLines) {
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
        if (entries.isEmpty() && corruptLines.isEmpty()) {
            throw new JournalEmptyException("The journal of run " + runId + " holds no entry: its writer stopped after "
                    + "creating it and before recording the run's start, so nothing was done in that run");
        }
        if (plan == null && entries.stream().noneMatch(e -> e instanceof JournalEntry.RolloutStarted
                || e instanceof JournalEntry.ApprovalGiven)) {
            throw new JournalException("The journal of run " + runId + " has no run-started entry: it is empty or not a "
                    + "Stepwise journal" + (corruptLines.isEmpty() ? "" : " (unreadable line(s) " + lineList(corruptLines)
                    + ")"));
        }
        return new RunJournal(runId, plan, fingerprint, target, inputs, secrets, rows, status, reason, failure, closed,
                tornLines, corruptLines, entries);
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

    /**
     * How the last session of the run finished, if it did (a crash leaves this empty). With {@link #corruptLines()}
     * a later session's entries may be missing, so do not take it as the run's final word: a resume does not.
     */
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

    /** How many torn writes were skipped: unreadable lines where a crash stops a writer (see {@link #parse(String, List)}). */
    public int tornLines() {
        return tornLines;
    }

    /**
     * The 1-based numbers of unreadable lines that a crash cannot explain (not at the end of a session), in order;
     * empty for a sound journal. When not empty, entries may be missing: a resume treats every MUTATING step whose
     * end is not recorded as needing a human decision and does not trust a recorded finish.
     */
    public List<Integer> corruptLines() {
        return corruptLines;
    }

    /** {@code 3, 7, 9} for the line numbers 3, 7 and 9. */
    private static String lineList(List<Integer> lines) {
        return lines.stream().map(String::valueOf).collect(Collectors.joining(", "));
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
                + (closed ? ", closed" : "") + (tornLines > 0 ? ", " + tornLines + " torn line(s) skipped" : "")
                + (corruptLines.isEmpty() ? "" : ", unreadable line(s) " + lineList(corruptLines) + ": entries may be missing")
                + "}";
    }
}
