package dev.stepwise.core.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where run journals are kept: one append-only journal per run id. The default keeps JSON-lines files in a
 * directory ({@link #directory(Path)}), one writer at a time per run under an operating-system lock;
 * {@code stepwise-aws} adds a DynamoDB store with a lease for teams that run Stepwise on several machines.
 * Implementations must be thread-safe.
 *
 * <p>The rules every store keeps (the {@code JournalStoreContract} in stepwise-core's test jar checks them):
 * <ul>
 *   <li>at most one open writer per run id, across threads, processes and machines the store serves; a second
 *       {@link #open} is refused with a {@link JournalLockedException} naming the holder, and writes nothing;</li>
 *   <li>a writer only appends, after every line already there, whoever wrote it;</li>
 *   <li>{@link #read} needs no lock, and no content makes a journal unreadable;</li>
 *   <li>an append that cannot make its line durable throws, and the run stops before its next change.</li>
 * </ul>
 * Records that must reach a running holder from outside (a decision taken while the run waits) cannot wait for
 * its lock; they belong in a journal of their own id beside the run's, which the holder reads.
 *
 * <pre>{@code
 * JournalStore store = JournalStore.directory(Path.of("journals"));
 * Runner runner = Runner.create().withJournal(store);
 * RunJournal journal = store.read(runId);   // while the run goes on, too
 * }</pre>
 */
public interface JournalStore {

    /**
     * Opens the journal of {@code runId} for appending.
     *
     * @param create true for a new run (fails if the journal exists), false to continue an existing one
     *               (fails if it does not, or if another runner holds it)
     * @throws JournalLockedException if another writer holds the journal of {@code runId}
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

    /**
     * The ids of every journal this store holds, oldest first where the store can tell: plan runs, the runs of
     * rollout targets, and each rollout's own two journals, {@code <rolloutId>.rollout} and
     * {@code <rolloutId>.decisions} ({@link RolloutJournal#journalId}, {@link RolloutJournal#decisionsId}).
     */
    List<String> runIds() throws IOException;

    /**
     * Journals as {@code <runId>.jsonl} files in {@code dir}, created if missing, each with a {@code <runId>.lock}
     * file that an open writer holds an exclusive operating-system lock on (released by the system if the writer's
     * process dies; leave lock files in place). After each durable line the store checks that the journal is still
     * the file at its path: a journal deleted, moved or replaced mid-run, or one that cannot be written, makes the
     * append throw a {@link JournalLostException} naming the path.
     */
    static JournalStore directory(Path dir) {
        return new FileJournalStore(dir);
    }
}
