package dev.stepwise.core.journal;

import java.io.Closeable;
import java.io.IOException;

/** Appends lines to one run's journal. Used by one thread at a time. */
public interface JournalWriter extends Closeable {

    /**
     * Appends one JSON line.
     *
     * @param durable whether the line must be on disk (or in the store) before this returns
     */
    void append(String jsonLine, boolean durable) throws IOException;
}
