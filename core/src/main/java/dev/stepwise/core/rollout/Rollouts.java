package dev.stepwise.core.rollout;

import dev.stepwise.core.journal.JournalEntry;
import dev.stepwise.core.journal.JournalException;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.journal.JournalWriter;
import dev.stepwise.core.journal.RolloutJournal;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Looks at and steers a journaled rollout from outside the process that runs it — a command line, a chat bot, a
 * cron job: where it stands ({@link #status}) and the answer to its pending approval ({@link #approve},
 * {@link #reject}). Both read or write only the journal store. Stateless and thread-safe.
 *
 * <p>An answer is written to the rollout's decisions journal ({@link RolloutJournal#decisionsId}), not to the
 * rollout's own, so it needs no lock held by a running rollout: a rollout waiting in its process takes it within a
 * minute, a parked one at its next resume, and either journals it as the approval's end.
 *
 * <pre>{@code
 * JournalStore store = JournalStore.directory(Path.of("/var/lib/stepwise"));
 * System.out.println(Rollouts.status(store, "3f9c0a1b2c3d"));
 * Rollouts.approve(store, "3f9c0a1b2c3d", "alice", "dashboards are green");
 * }</pre>
 */
public final class Rollouts {
    private Rollouts() {
    }

    /**
     * Where rollout {@code rolloutId} stands, from its journal alone.
     *
     * @throws JournalException naming the id if the store holds no such rollout
     */
    public static RolloutProgress status(JournalStore store, String rolloutId) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(rolloutId, "rolloutId");
        RolloutJournal j = RolloutJournal.read(store, rolloutId);
        List<RolloutProgress.WaveProgressEntry> waves = new ArrayList<>();
        for (String w : j.start().waves()) {
            List<String> targets = j.targets(w).orElse(List.of());
            waves.add(j.waveEnded(w)
                    .map(e -> RolloutProgress.WaveProgressEntry.builder().wave(w).status(e.status())
                            .reason(Objects.requireNonNullElse(e.reason(), "")).targets(targets).build())
                    .orElseGet(() -> RolloutProgress.WaveProgressEntry.builder().wave(w)
                            .status(j.waveStarted(w) ? "STARTED" : "NOT_STARTED").targets(targets).build()));
        }
        List<RolloutProgress.Decided> decided = new ArrayList<>();
        for (RolloutJournal.Checkpoint c : j.checkpoints()) {
            if (c.ended() != null && c.ended().decision() != null) {
                ApprovalDecision d = c.ended().decision();
                decided.add(RolloutProgress.Decided.builder().wave(c.wave()).approved(d.approved()).by(d.by())
                        .at(d.at()).comment(d.comment()).build());
            } else if (c.decision() != null) {
                JournalEntry.ApprovalGiven g = c.decision();
                decided.add(RolloutProgress.Decided.builder().wave(c.wave()).approved(g.approved()).by(g.by())
                        .at(g.at())
                        .comment(g.comment() + " (given from outside; the rollout takes it at its next resume)")
                        .build());
            }
        }
        RolloutProgress.Pending pending = j.pendingApproval().map(c -> RolloutProgress.Pending.builder()
                .wave(c.wave()).description(c.started().description()).since(c.started().at()).build()).orElse(null);
        RolloutProgress.State state;
        String reason = "";
        Instant resumeAt = null;
        if (j.parked().isPresent()) {
            state = RolloutProgress.State.WAITING;
            reason = j.parked().get().reason();
            resumeAt = j.parked().get().resumeAt();
        } else if (j.finished().isPresent()) {
            state = switch (j.finished().get().status()) {
                case "SUCCEEDED" -> RolloutProgress.State.SUCCEEDED;
                case "CANCELLED" -> RolloutProgress.State.CANCELLED;
                default -> RolloutProgress.State.HALTED;
            };
            reason = j.finished().get().reason();
        } else {
            state = RolloutProgress.State.RUNNING_OR_STOPPED;
        }
        return RolloutProgress.builder().rolloutId(rolloutId).rollout(j.start().rollout()).plan(j.start().plan())
                .state(state).reason(Objects.requireNonNullElse(reason, "")).resumeAt(resumeAt).waves(waves)
                .approvals(decided).pending(pending).build();
    }

    /** Approves rollout {@code rolloutId}'s pending approval as {@code by}; see {@link #decide}. */
    public static void approve(JournalStore store, String rolloutId, String by, String comment) {
        decide(store, rolloutId, true, by, comment, Instant.now());
    }

    /** Rejects rollout {@code rolloutId}'s pending approval as {@code by}, for {@code reason}; see {@link #decide}. */
    public static void reject(JournalStore store, String rolloutId, String by, String reason) {
        decide(store, rolloutId, false, by, reason, Instant.now());
    }

    /**
     * Answers rollout {@code rolloutId}'s pending approval: writes the decision to its decisions journal, where the
     * rollout takes it. Checked first, and nothing is written when it fails.
     *
     * @throws JournalException naming the id and the reason: no such rollout, or no approval pending (none reached,
     *                          or already decided)
     * @throws dev.stepwise.core.PlanValidationException if {@code by} is blank
     */
    public static void decide(JournalStore store, String rolloutId, boolean approved, String by, String comment,
            Instant at) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(rolloutId, "rolloutId");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(at, "at");
        ApprovalDecision.approve(by); // refuses a blank name before anything is read or written
        RolloutJournal j = RolloutJournal.read(store, rolloutId);
        RolloutJournal.Checkpoint pending = j.pendingApproval().orElseThrow(() -> new JournalException("Rollout "
                + rolloutId + " has no approval pending" + (j.finished().isPresent() ? ": it finished "
                + j.finished().get().status() : ": it has not reached one, or it was already decided")
                + "; nothing was written"));
        String id = RolloutJournal.decisionsId(rolloutId);
        try (JournalWriter w = store.open(id, !store.exists(id))) {
            w.append(new JournalEntry.ApprovalGiven(at, pending.wave(), pending.index(), approved, by, comment), true);
        } catch (IOException e) {
            throw new JournalException("The decision for rollout " + rolloutId + " could not be written: "
                    + e.getMessage(), e);
        }
    }
}
