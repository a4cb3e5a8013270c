package dev.stepwise.core.journal;

/**
 * A run's journal can no longer be written where it was: its file was deleted, moved or replaced, or writing it
 * failed (disk full, permissions, an I/O error). The run stops before its next MUTATING step, since a run whose
 * journal is lost could not be resumed from what it does next; the exception reaches the caller of
 * {@link dev.stepwise.core.run.Runner#run} (or {@code resume}). {@link #location()} names where the journal was.
 *
 * <pre>{@code
 * try {
 *     runner.run(plan, inputs);
 * } catch (JournalLostException e) {
 *     System.out.println("journal lost at " + e.location() + "; check what the last step did by hand");
 * }
 * }</pre>
 */
public class JournalLostException extends JournalException {
    private static final long serialVersionUID = 1L;

    private final String location;

    /**
     * A lost journal, with where it was and what made it so.
     *
     * @param location where the journal was: a file path for the directory store
     * @param cause    the I/O failure, or null when the journal was found gone or replaced
     */
    public JournalLostException(String message, String location, Throwable cause) {
        super(message, cause);
        this.location = location;
    }

    /** Where the journal was: the path of its file for {@link JournalStore#directory}. */
    public String location() {
        return location;
    }
}
