package dev.stepwise.core.journal;

import java.util.Optional;

/**
 * Another writer holds the run's journal, so this one may not write it: a second resume of a run that is still
 * going, or a {@code closeRun} of a live run. Nothing was written and nothing ran. The message says who holds it
 * and since when, as far as the store knows; {@link #holder()} gives the same to code. The directory store refuses
 * with this type when another process or thread holds the journal's lock; {@code stepwise-aws}'s DynamoDB store
 * refuses with its subtype {@code JournalLeaseException}, which also covers a lease this writer lost.
 *
 * <pre>{@code
 * try {
 *     runner.resume(plan, runId, secrets, Set.of());
 * } catch (JournalLockedException e) {
 *     System.out.println("still running: " + e.holder().orElse("unknown"));
 * }
 * }</pre>
 */
public class JournalLockedException extends JournalException {
    private static final long serialVersionUID = 1L;

    private final String holder;

    /**
     * A refusal with its message and the holder it names.
     *
     * @param holder who holds the journal (for the directory store: process id, host and since when), or null when
     *               the store cannot say
     */
    public JournalLockedException(String message, String holder) {
        super(message);
        this.holder = holder;
    }

    /** Who holds the journal now, as the store describes it, if it can say. */
    public Optional<String> holder() {
        return Optional.ofNullable(holder);
    }
}
