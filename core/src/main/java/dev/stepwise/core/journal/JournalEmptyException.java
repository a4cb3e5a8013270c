package dev.stepwise.core.journal;

/**
 * A journal that exists but holds no entry at all (empty, or only a line torn by a crash): its writer died after
 * creating it and before its first entry was durable, so nothing was recorded — and, since a run records its start
 * before any step and a MUTATING step's start before it acts, nothing acted. A rollout's resume runs such a target
 * from the start; resuming such a plan run by hand is refused with this exception.
 */
public final class JournalEmptyException extends JournalException {
    private static final long serialVersionUID = 1L;

    public JournalEmptyException(String message) {
        super(message);
    }
}
