package dev.stepwise.core.internal;

import dev.stepwise.core.journal.JournalEntry;
import dev.stepwise.core.journal.JournalException;
import dev.stepwise.core.journal.JournalWriter;
import dev.stepwise.core.run.Failure;
import dev.stepwise.core.run.RunStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one run's {@link JournalEntry}s, or nothing for a dry run or a runner without a journal. A journal that
 * cannot be written stops the run, since it could no longer be resumed from there. Used by the run's thread.
 */
final class RunRecorder {
    private static final Logger log = LoggerFactory.getLogger(RunRecorder.class);

    private final JournalWriter journal;
    private final RunState run;
    /** Whether an append failed, which stopped the run. */
    private boolean failed;

    RunRecorder(JournalWriter journal, RunState run) {
        this.journal = run.dryRun ? null : journal;
        this.run = run;
    }

    /** The first entry: a new run with its inputs (secret ones named, not written), or a resumed one. */
    void header(boolean resumed) {
        if (journal == null) {
            return;
        }
        Instant now = run.now();
        if (resumed) {
            append(new JournalEntry.RunResumed(now), true);
            return;
        }
        Map<String, Object> inputs = new LinkedHashMap<>();
        List<String> secrets = new ArrayList<>();
        run.inputs.asMap().forEach((k, v) -> {
            if (k.secret()) {
                secrets.add(k.name());
            } else {
                inputs.put(k.name(), Json.MAPPER.convertValue(v, Object.class));
            }
        });
        append(new JournalEntry.RunStarted(now, run.ref.runId(), run.plan.name(), run.plan.fingerprint(),
                run.ref.target(), inputs, secrets), true);
    }

    /** The last entry of this session; one that cannot be written leaves the run resumable, the safe side. */
    void finish(RunStatus status, String reason, Failure failure) {
        if (journal == null) {
            return;
        }
        try {
            append(new JournalEntry.RunFinished(run.now(), status.name(), reason, failure), true);
        } catch (JournalException e) {
            if (failed) {
                // the journal already stopped the run, and its caller gets that failure
                log.debug("Could not record the end of run {} either: {}", run.ref.runId(), e.getMessage());
            } else {
                log.warn("Could not record the end of run {}: {}", run.ref.runId(), e.getMessage());
            }
        }
    }

    /** Appends {@code entry}; {@code durable} forces it to the store before returning. */
    void append(JournalEntry entry, boolean durable) {
        if (journal == null) {
            return;
        }
        try {
            journal.append(entry, durable);
        } catch (JournalException e) {
            failed = true;
            throw e;
        } catch (IOException e) {
            failed = true;
            throw new JournalException("The journal of run " + run.ref.runId() + " could not be written (" + e.getMessage()
                    + "); the run stopped, since it could not be resumed from there", e);
        }
    }

    /** Plain JSON values of an output, as the journal keeps it. */
    static Object plain(Object value) {
        return value == null ? null : Json.MAPPER.convertValue(value, Object.class);
    }
}
