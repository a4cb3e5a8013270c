package dev.stepwise.core.journal;

import dev.stepwise.core.journal.JournalEntry.AnnouncementSent;
import dev.stepwise.core.journal.JournalEntry.ApprovalGiven;
import dev.stepwise.core.journal.JournalEntry.CheckpointEnded;
import dev.stepwise.core.journal.JournalEntry.CheckpointStarted;
import dev.stepwise.core.journal.JournalEntry.RolloutFinished;
import dev.stepwise.core.journal.JournalEntry.RolloutParked;
import dev.stepwise.core.journal.JournalEntry.RolloutStarted;
import dev.stepwise.core.journal.JournalEntry.WaveEnded;
import dev.stepwise.core.journal.JournalEntry.WaveStarted;
import dev.stepwise.core.journal.JournalEntry.WaveTargets;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one rollout's journal says: when it started and with what, each wave's frozen targets, which waves started
 * and how they ended, each checkpoint's start and end (soak started at T, approval requested at T and decided by
 * whom at T, announcement sent at T, gate verdict with its data), parks, and the decisions given from outside.
 * A resumed rollout uses it to continue, never to repeat. Immutable and thread-safe.
 *
 * <p>A rollout's journal lives in the runner's {@link JournalStore} under {@link #journalId(String)}, next to its
 * targets' run journals; outside approvals go to {@link #decisionsId(String)}, written without the rollout's
 * lock, so a running holder can read them.
 *
 * <pre>{@code
 * RolloutJournal j = RolloutJournal.read(store, "3f9c0a1b2c3d");
 * System.out.println(j.progress());
 * }</pre>
 */
public final class RolloutJournal {

    /**
     * What the journal says about one checkpoint.
     *
     * @param started      its start, or null if the rollout never reached it
     * @param requested    for an approval, when its approver was asked, or null
     * @param announcement for an announcement, when it was sent, or null
     * @param ended        its end, or null while it was still going
     * @param decision     for an approval, the outside decision given for it and not yet journaled as its end, or
     *                     null
     */
    public record Checkpoint(String wave, int index, CheckpointStarted started, JournalEntry.ApprovalRequested requested,
            AnnouncementSent announcement, CheckpointEnded ended, ApprovalGiven decision) {
    }

    private final String rolloutId;
    private final RolloutStarted start;
    private final Map<String, List<String>> targets;
    private final Map<String, WaveStarted> wavesStarted;
    private final Map<String, WaveEnded> wavesEnded;
    private final Map<String, Checkpoint> checkpoints;
    private final RolloutParked parked;
    private final RolloutFinished finished;
    private final List<JournalEntry> entries;

    private RolloutJournal(String rolloutId, RolloutStarted start, Map<String, List<String>> targets,
            Map<String, WaveStarted> wavesStarted, Map<String, WaveEnded> wavesEnded, Map<String, Checkpoint> checkpoints,
            RolloutParked parked, RolloutFinished finished, List<JournalEntry> entries) {
        this.rolloutId = rolloutId;
        this.start = start;
        this.targets = Collections.unmodifiableMap(targets);
        this.wavesStarted = Collections.unmodifiableMap(wavesStarted);
        this.wavesEnded = Collections.unmodifiableMap(wavesEnded);
        this.checkpoints = Collections.unmodifiableMap(checkpoints);
        this.parked = parked;
        this.finished = finished;
        this.entries = List.copyOf(entries);
    }

    /** The id under which rollout {@code rolloutId}'s own journal is kept in a store. */
    public static String journalId(String rolloutId) {
        return rolloutId + ".rollout";
    }

    /** The id under which outside decisions for rollout {@code rolloutId} are kept in a store. */
    public static String decisionsId(String rolloutId) {
        return rolloutId + ".decisions";
    }

    /**
     * Reads rollout {@code rolloutId}'s journal and its outside decisions from {@code store}.
     *
     * @throws JournalException if the store holds no journal for that rollout (naming it) or cannot be read
     */
    public static RolloutJournal read(JournalStore store, String rolloutId) {
        try {
            if (!store.exists(journalId(rolloutId))) {
                throw new JournalException("No rollout " + rolloutId + " in " + store
                        + ": check the id (status and resume take the id a start printed)");
            }
            List<JournalEntry> own = store.read(journalId(rolloutId)).entries();
            List<JournalEntry> decisions = store.exists(decisionsId(rolloutId))
                    ? store.read(decisionsId(rolloutId)).entries() : List.of();
            return of(rolloutId, own, decisions);
        } catch (IOException e) {
            throw new JournalException("The journal of rollout " + rolloutId + " could not be read: " + e.getMessage(), e);
        }
    }

    /** What {@code entries} (the rollout's own, in order) and {@code decisions} (given from outside) say. */
    public static RolloutJournal of(String rolloutId, List<JournalEntry> entries, List<JournalEntry> decisions) {
        RolloutStarted start = null;
        Map<String, List<String>> targets = new LinkedHashMap<>();
        Map<String, WaveStarted> started = new LinkedHashMap<>();
        Map<String, WaveEnded> ended = new LinkedHashMap<>();
        Map<String, Checkpoint> cps = new LinkedHashMap<>();
        RolloutParked parked = null;
        RolloutFinished finished = null;
        for (JournalEntry e : entries) {
            if (e instanceof RolloutStarted s) {
                start = s;
            } else if (e instanceof JournalEntry.RolloutResumed) {
                parked = null;
                finished = null;
            } else if (e instanceof WaveTargets t) {
                targets.putIfAbsent(t.wave(), t.targets());
            } else if (e instanceof WaveStarted s) {
                started.putIfAbsent(s.wave(), s);
            } else if (e instanceof WaveEnded w) {
                ended.put(w.wave(), w);
            } else if (e instanceof CheckpointStarted c) {
                cps.putIfAbsent(key(c.wave(), c.index()), new Checkpoint(c.wave(), c.index(), c, null, null, null, null));
            } else if (e instanceof JournalEntry.ApprovalRequested q) {
                Checkpoint old = cps.get(key(q.wave(), q.index()));
                cps.put(key(q.wave(), q.index()), new Checkpoint(q.wave(), q.index(), old == null ? null : old.started(), q,
                        null, old == null ? null : old.ended(), null));
            } else if (e instanceof AnnouncementSent a) {
                Checkpoint old = cps.get(key(a.wave(), a.index()));
                cps.put(key(a.wave(), a.index()), new Checkpoint(a.wave(), a.index(), old == null ? null : old.started(),
                        null, a, old == null ? null : old.ended(), null));
            } else if (e instanceof CheckpointEnded c) {
                Checkpoint old = cps.get(key(c.wave(), c.index()));
                cps.put(key(c.wave(), c.index()), new Checkpoint(c.wave(), c.index(), old == null ? null : old.started(),
                        old == null ? null : old.requested(), old == null ? null : old.announcement(), c, null));
            } else if (e instanceof RolloutParked p) {
                parked = p;
            } else if (e instanceof RolloutFinished f) {
                finished = f;
                parked = null;
            }
        }
        if (start == null) {
            throw new JournalException("The journal of rollout " + rolloutId + " has no rollout-started entry: it is empty "
                    + "or not a Stepwise rollout journal");
        }
        for (JournalEntry e : decisions) {
            if (e instanceof ApprovalGiven g) {
                Checkpoint old = cps.get(key(g.wave(), g.index()));
                if (old != null && old.ended() == null && old.decision() == null) {
                    cps.put(key(g.wave(), g.index()), new Checkpoint(g.wave(), g.index(), old.started(), old.requested(),
                            old.announcement(), null, g));
                }
            }
        }
        return new RolloutJournal(rolloutId, start, targets, started, ended, cps, parked, finished, entries);
    }

    /** The health watches a watched soak (the checkpoint at {@code index} before {@code wave}) made, in order. */
    public List<JournalEntry.SoakWatched> watches(String wave, int index) {
        return entries.stream().filter(e -> e instanceof JournalEntry.SoakWatched w && w.wave().equals(wave)
                && w.index() == index).map(e -> (JournalEntry.SoakWatched) e).toList();
    }

    private static String key(String wave, int index) {
        return wave + "#" + index;
    }

    public String rolloutId() {
        return rolloutId;
    }

    /** How the rollout started: its name, plan, fingerprint, waves and recorded parameters. */
    public RolloutStarted start() {
        return start;
    }

    /** The targets frozen for {@code wave}, if it had resolved them. */
    public Optional<List<String>> targets(String wave) {
        return Optional.ofNullable(targets.get(wave));
    }

    /** Whether {@code wave}'s targets had begun to run (so its checkpoints had passed). */
    public boolean waveStarted(String wave) {
        return wavesStarted.containsKey(wave);
    }

    /** How {@code wave} ended, if it did. */
    public Optional<WaveEnded> waveEnded(String wave) {
        return Optional.ofNullable(wavesEnded.get(wave));
    }

    /** What the journal says of the checkpoint at {@code index} before {@code wave}, if the rollout reached it. */
    public Optional<Checkpoint> checkpoint(String wave, int index) {
        return Optional.ofNullable(checkpoints.get(key(wave, index)));
    }

    /** Every checkpoint the rollout reached, in order. */
    public List<Checkpoint> checkpoints() {
        return List.copyOf(checkpoints.values());
    }

    /** The approval waiting for a decision, if the rollout is at one. */
    public Optional<Checkpoint> pendingApproval() {
        return checkpoints.values().stream()
                .filter(c -> c.started() != null && c.started().kind().equals("APPROVAL") && c.ended() == null
                        && c.decision() == null)
                .reduce((a, b) -> b);
    }

    /** The last park, if the rollout's last session returned to wait. */
    public Optional<RolloutParked> parked() {
        return Optional.ofNullable(parked);
    }

    /** How the last session finished, if it finished (not parked, not crashed). */
    public Optional<RolloutFinished> finished() {
        return Optional.ofNullable(finished);
    }

    /** Every entry of the rollout's own journal, in order. */
    public List<JournalEntry> entries() {
        return entries;
    }

    /** The waves that ended, in the order they ended. */
    public List<WaveEnded> wavesEnded() {
        return new ArrayList<>(wavesEnded.values());
    }

    @Override
    public String toString() {
        return "RolloutJournal{rollout " + rolloutId + " (" + start.rollout() + " of plan " + start.plan() + "), "
                + wavesEnded.size() + " of " + start.waves().size() + " wave(s) ended"
                + (parked != null ? ", parked until " + parked.resumeAt() : "")
                + (finished != null ? ", finished " + finished.status() : "") + "}";
    }
}
