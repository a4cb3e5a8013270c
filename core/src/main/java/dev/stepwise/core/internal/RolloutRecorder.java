package dev.stepwise.core.internal;

import dev.stepwise.core.journal.JournalEntry;
import dev.stepwise.core.journal.JournalException;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.journal.JournalWriter;
import dev.stepwise.core.journal.RolloutJournal;
import dev.stepwise.core.rollout.Checkpoint;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.Wave;
import dev.stepwise.core.run.Runner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes one rollout's journal — started, targets frozen per wave, waves started and ended, every checkpoint's start
 * and end, parks — and, for a resumed rollout, holds what earlier sessions recorded. Inactive (writes nothing) for
 * dry runs and runners without a journal store. Used by the rollout's thread.
 */
final class RolloutRecorder implements AutoCloseable {
    private final JournalStore store;
    private final String rolloutId;
    private JournalWriter writer;
    private RolloutJournal earlier;

    private RolloutRecorder(JournalStore store, String rolloutId) {
        this.store = store;
        this.rolloutId = rolloutId;
    }

    /** A recorder for a new rollout, or an inactive one for a dry run or a runner without a journal. */
    static RolloutRecorder start(Runner options, Rollout rollout, String rolloutId, String plan) {
        if (options.isDryRun() || options.journal().isEmpty()) {
            return new RolloutRecorder(null, rolloutId);
        }
        RolloutRecorder r = new RolloutRecorder(options.journal().get(), rolloutId);
        r.writer = r.open(true);
        r.append(new JournalEntry.RolloutStarted(options.timeSource().now(), rolloutId, rollout.name(), plan,
                fingerprint(rollout), rollout.waves().stream().map(Wave::name).toList(), rollout.parameters()));
        return r;
    }

    /**
     * A recorder continuing rollout {@code rolloutId}: takes its journal (the store's lock or lease: a second runner is
     * refused, naming the holder), reads it, checks the rollout is the one that started it, and records the resume;
     * a refusal writes nothing.
     *
     * @param override why a changed rollout is accepted, or null to refuse one
     */
    static RolloutRecorder resume(Runner options, Rollout rollout, String rolloutId, String override) {
        JournalStore store = options.journal().orElseThrow();
        RolloutRecorder r = new RolloutRecorder(store, rolloutId);
        RolloutJournal.read(store, rolloutId); // names an unknown id before anything is taken
        // taken before it is read again: a reading from before the lock could miss what another session wrote
        r.writer = r.open(false);
        try {
            RolloutJournal j = RolloutJournal.read(store, rolloutId);
            String now = fingerprint(rollout);
            if (!j.start().rollout().equals(rollout.name())) {
                throw new JournalException("Rollout " + rolloutId + " is rollout \"" + j.start().rollout() + "\", not \""
                        + rollout.name() + "\": resume it with the rollout that started it");
            }
            if (!j.start().fingerprint().equals(now) && override == null) {
                throw new JournalException("Rollout " + rolloutId + " was started from a rollout whose structure had "
                        + "fingerprint " + j.start().fingerprint() + "; this one has " + now + " (its plan's steps, their "
                        + "order or effects, or its waves or checkpoints changed): resuming could skip or repeat the "
                        + "wrong work. Check what already ran, then resume with resumeChanged(rollout, id, why) to "
                        + "accept it");
            }
            r.earlier = j;
            String why = j.start().fingerprint().equals(now) ? "" : "accepted a changed rollout (fingerprint "
                    + j.start().fingerprint() + " -> " + now + "): " + override;
            r.append(new JournalEntry.RolloutResumed(options.timeSource().now(), why));
            return r;
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
    }

    private JournalWriter open(boolean create) {
        try {
            return store.open(RolloutJournal.journalId(rolloutId), create);
        } catch (IOException e) {
            throw new JournalException("The journal of rollout " + rolloutId + " could not be opened: " + e.getMessage(), e);
        }
    }

    /** Whether this rollout is journaled (and so can park and resume). */
    boolean active() {
        return writer != null;
    }

    /** What earlier sessions recorded, for a resumed rollout. */
    Optional<RolloutJournal> earlier() {
        return Optional.ofNullable(earlier);
    }

    /** The health watches an earlier session journaled for the watched soak at {@code index} before {@code wave}. */
    List<JournalEntry.SoakWatched> watches(String wave, int index) {
        return earlier == null ? List.of() : earlier.watches(wave, index);
    }

    /** What the journal says of the checkpoint at {@code index} before {@code wave}, from an earlier session. */
    Optional<RolloutJournal.Checkpoint> checkpoint(String wave, int index) {
        return earlier == null ? Optional.empty() : earlier.checkpoint(wave, index);
    }

    /**
     * An approval decision given from outside for the approval at {@code index} before {@code wave}, read from the
     * store now (the decisions journal is written without this rollout's lock, by another process).
     */
    Optional<JournalEntry.ApprovalGiven> outsideDecision(String wave, int index) {
        if (store == null) {
            return Optional.empty();
        }
        try {
            String id = RolloutJournal.decisionsId(rolloutId);
            if (!store.exists(id)) {
                return Optional.empty();
            }
            return store.read(id).entries().stream()
                    .filter(e -> e instanceof JournalEntry.ApprovalGiven g && g.wave().equals(wave) && g.index() == index)
                    .map(JournalEntry.ApprovalGiven.class::cast).findFirst();
        } catch (IOException e) {
            throw new JournalException("The decisions of rollout " + rolloutId + " could not be read: " + e.getMessage(), e);
        }
    }

    /** Appends {@code entry} durably; a rollout journal that cannot be written stops the rollout. */
    void append(JournalEntry entry) {
        if (writer == null) {
            return;
        }
        try {
            writer.append(entry, true);
        } catch (IOException e) {
            throw new JournalException("The journal of rollout " + rolloutId + " could not be written (" + e.getMessage()
                    + "); the rollout stopped, since it could not be resumed from there", e);
        }
    }

    @Override
    public void close() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                throw new JournalException("The journal of rollout " + rolloutId + " could not be closed: "
                        + e.getMessage(), e);
            }
        }
    }

    /**
     * What a rollout's structure hashes to: its plan's fingerprint, and per wave its name, its own plan's fingerprint
     * if it has one, and the kinds of the
     * checkpoints before it, in order. Descriptions, limits, durations and targets are not part of it, so rewording a
     * description or tuning a limit does not strand a rollout mid-soak.
     */
    static String fingerprint(Rollout rollout) {
        StringBuilder b = new StringBuilder(rollout.plan().fingerprint());
        for (Wave w : rollout.waves()) {
            b.append('|').append(w.name());
            w.plan().ifPresent(p -> b.append(':').append(p.fingerprint()));
            List<Checkpoint> cps = rollout.checkpointsBefore(w);
            for (Checkpoint c : cps) {
                b.append(',').append(c.kind().name());
            }
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
