package dev.stepwise.aws.journal;

import dev.stepwise.core.journal.JournalException;
import java.time.Instant;
import java.util.Optional;

/**
 * A run's journal is leased to another runner, or this runner's lease on it ran out or was taken over.
 * The message names the holder and when its lease expires; {@link #holder()} and {@link #expiresAt()} give
 * the same facts to code (for example to wait and retry after the expiry).
 */
public final class JournalLeaseException extends JournalException {
    private static final long serialVersionUID = 1L;

    private final String holder;
    private final Instant expiresAt;

    JournalLeaseException(String message, String holder, Instant expiresAt) {
        super(message);
        this.holder = holder;
        this.expiresAt = expiresAt;
    }

    /** The runner that holds the lease now, if any does. */
    public Optional<String> holder() {
        return Optional.ofNullable(holder);
    }

    /** When the current holder's lease expires unless renewed, if anyone holds it. */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }
}
