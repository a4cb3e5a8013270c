package dev.stepwise.core.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where run journals are kept: one append-only journal per run id. The default keeps JSON-lines files in a
 * directory ({@link #directory(Path)}); {@code stepwise-aws} adds a DynamoDB store with a lease for teams
 * that run Stepwise on several machines. Implementations must be thread-safe.
 */
public interface JournalStore {

    /**
     * Opens the journal of {@code runId} for appending.
     *
     * @param create true for a new run (fails if the journal exists), false to continue an existing one
     *               (fails if it does not, or if another runner holds it)
     */
    JournalWriter open(String runId, boolean create) throws IOException;

    /**
     * Reads the journal of {@code runId}. Never needs the writer's lock or lease. No content makes a journal
     * unreadable: a torn write (a crash mid-line) is skipped and counted, any other unreadable line is listed, as
     * {@link RunJournal#parse(String, List)} describes.
     */
    RunJournal read(String runId) throws IOException;

    /** Whether the store holds a journal for {@code runId}. The default lists every run; stores override it. */
    default boolean exists(String runId) throws IOException {
        return runIds().contains(runId);
    }

    /** The run ids this store holds, oldest first where the store can tell. */
    List<String> runIds() throws IOException;

    /** Journals as {@code <runId>.jsonl} files in {@code dir}, created if missing. */
    static JournalStore directory(Path dir) {
        return new FileJournalStore(dir);
    }
}
