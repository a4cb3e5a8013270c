package dev.stepwise.core.journal;

import java.io.Closeable;
import java.io.IOException;

/** Appends entries to one run's journal, encoded by {@link JournalCodec}. Used by one thread at a time. */
public interface JournalWriter extends Closeable {

    /**
     * Appends one entry.
     *
     * @param durable whether the entry must be on disk (or in the store) before this returns
     */
    void append(JournalEntry entry, boolean durable) throws IOException;
}
