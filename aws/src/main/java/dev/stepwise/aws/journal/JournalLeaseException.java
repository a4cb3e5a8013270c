package dev.stepwise.aws.journal;

import dev.stepwise.core.journal.JournalLockedException;
import java.time.Instant;
import java.util.Optional;

/**
 * A run's journal is leased to another runner, or this runner's lease on it ran out or was taken over.
 * The message names the holder and when its lease expires; {@link #holder()} (the runner that holds the lease
 * now, if any does) and {@link #expiresAt()} give the same facts to code (for example to wait and retry after the
 * expiry). A {@link JournalLockedException}, as the directory store's lock refusal is, so callers catch one type
 * whatever the store.
 */
public final class JournalLeaseException extends JournalLockedException {
    private static final long serialVersionUID = 1L;

    private final Instant expiresAt;

    JournalLeaseException(String message, String holder, Instant expiresAt) {
        super(message, holder);
        this.expiresAt = expiresAt;
    }

    /** When the current holder's lease expires unless renewed, if anyone holds it. */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }
}
