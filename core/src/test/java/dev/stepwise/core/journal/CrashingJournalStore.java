package dev.stepwise.core.journal;

import java.io.IOException;
import java.util.List;
import java.util.function.Predicate;

/**
 * A journal store whose process "dies" right after writing the first entry that matches a condition: later
 * entries never reach the store, as after a SIGKILL, while the run itself goes on in memory. Resuming from the
 * wrapped store then sees exactly what a crashed process would have left. Shipped in stepwise-core's test jar so
 * every store's tests simulate crashes the same way.
 *
 * <pre>{@code
 * JournalStore crashing = CrashingJournalStore.after(store, e -> e instanceof JournalEntry.StepSucceeded s
 *         && s.name().equals("backup"));
 * }</pre>
 */
public final class CrashingJournalStore implements JournalStore {
    private final JournalStore real;
    private final Predicate<JournalEntry> lastWritten;
    private final boolean closeWriters;

    private CrashingJournalStore(JournalStore real, Predicate<JournalEntry> lastWritten, boolean closeWriters) {
        this.real = real;
        this.lastWritten = lastWritten;
        this.closeWriters = closeWriters;
    }

    /** Writes through to {@code real} up to and including the first entry matching {@code lastWritten}. */
    public static CrashingJournalStore after(JournalStore real, Predicate<JournalEntry> lastWritten) {
        return new CrashingJournalStore(real, lastWritten, true);
    }

    /** Crashes right after the step called {@code step} succeeded. */
    public static CrashingJournalStore afterStepSucceeded(JournalStore real, String step) {
        return after(real, e -> e instanceof JournalEntry.StepSucceeded s && s.name().equals(step));
    }

    /** Crashes right after the step called {@code step} started, before it could end. */
    public static CrashingJournalStore afterStepStarted(JournalStore real, String step) {
        return after(real, e -> e instanceof JournalEntry.StepStarted s && s.name().equals(step));
    }

    /**
     * A copy whose dead writers are never closed, as after a SIGKILL: a store with leases keeps the dead runner's
     * lease until it expires. Not for the directory store: the operating system releases a dead process's lock at
     * once, which closing the writer (the default) simulates, while a writer never closed keeps its lock for the
     * test JVM's life.
     */
    public CrashingJournalStore leavingLeasesHeld() {
        return new CrashingJournalStore(real, lastWritten, false);
    }

    @Override
    public JournalWriter open(String runId, boolean create) throws IOException {
        JournalWriter w = real.open(runId, create);
        return new JournalWriter() {
            private boolean dead;

            @Override
            public void append(JournalEntry entry, boolean durable) throws IOException {
                if (!dead) {
                    w.append(entry, durable);
                    dead = lastWritten.test(entry);
                }
            }

            @Override
            public void close() throws IOException {
                if (closeWriters) {
                    w.close();
                }
            }
        };
    }

    @Override
    public RunJournal read(String runId) throws IOException {
        return real.read(runId);
    }

    @Override
    public boolean exists(String runId) throws IOException {
        return real.exists(runId);
    }

    @Override
    public List<String> runIds() throws IOException {
        return real.runIds();
    }

    @Override
    public String toString() {
        return "CrashingJournalStore(" + real + ")";
    }
}
