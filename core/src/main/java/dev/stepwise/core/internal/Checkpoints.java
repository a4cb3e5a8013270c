package dev.stepwise.core.internal;

import dev.stepwise.core.Durations;
import dev.stepwise.core.notify.Announcement;
import dev.stepwise.core.notify.Delivery;
import dev.stepwise.core.notify.Notice;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.rollout.Approval;
import dev.stepwise.core.rollout.ApprovalDecision;
import dev.stepwise.core.rollout.ApprovalRequest;
import dev.stepwise.core.rollout.Checkpoint;
import dev.stepwise.core.rollout.GateVerdict;
import dev.stepwise.core.rollout.CheckpointResult;
import dev.stepwise.core.rollout.CheckpointResult.Outcome;
import dev.stepwise.core.rollout.MaintenanceWindow;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.RolloutEvent;
import dev.stepwise.core.rollout.RolloutListener;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.rollout.TargetResult;
import dev.stepwise.core.rollout.TargetSource;
import dev.stepwise.core.rollout.TargetStatus;
import dev.stepwise.core.rollout.Wave;
import dev.stepwise.core.rollout.WaveProgress;
import dev.stepwise.core.rollout.WaveResult;
import dev.stepwise.core.rollout.WaveStatus;
import dev.stepwise.core.run.Cancellation;
import dev.stepwise.core.run.Failure;
import dev.stepwise.core.journal.JournalException;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.StepStatus;
import dev.stepwise.core.run.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import dev.stepwise.core.journal.JournalEntry;
import dev.stepwise.core.journal.RolloutJournal;

/**
 * Passes the checkpoints before a wave — soak, gate, approval, announcement, maintenance window — on the rollout's
 * clock, waking at once on cancellation; in a dry run it only describes what a live run would do. Each checkpoint's
 * start and end are journaled; on a resume a checkpoint continues from its recorded start (a soak waits what remains,
 * a sent announcement is not sent again, a decided approval is not asked again), and a wait longer than the runner's
 * park threshold parks the rollout instead. Used by the rollout's thread.
 */
final class Checkpoints {
    private static final Logger log = LoggerFactory.getLogger(Checkpoints.class);

    private final RolloutRun r;
    private final ApprovalWait approvals;
    /** What the gate being evaluated saw. */
    private Map<String, Object> gateData = Map.of();

    Checkpoints(RolloutRun r) {
        this.r = r;
        this.approvals = new ApprovalWait(r, this);
    }

    CheckpointResult pass(Checkpoint c, Wave w, int index, List<WaveResult> done) {
        Optional<RolloutJournal.Checkpoint> recorded = r.recorder.checkpoint(w.name(), index);
        if (recorded.map(RolloutJournal.Checkpoint::ended).isPresent()) {
            return WaveRecall.passedBefore(c, recorded, r.time.now());
        }
        Instant s = recorded.map(RolloutJournal.Checkpoint::started).map(JournalEntry::at).orElseGet(r.time::now);
        if (recorded.isEmpty() && !r.dryRun && !r.cancellation.isCancelled()) {
            // journaled before anyone is told, so a process that dies now still resumes from this start
            r.recorder.append(new JournalEntry.CheckpointStarted(s, w.name(), index, c.kind().name(), c.description()));
        }
        r.emit(new RolloutEvent.CheckpointStarted(r.rollout.name(), r.id, r.time.now(), w.name(), c.kind(), c.description()));
        CheckpointResult res;
        if (r.cancellation.isCancelled()) {
            res = CheckpointResult.builder().kind(c.kind()).description(c.description()).outcome(Outcome.CANCELLED)
                    .start(s).end(s).detail("cancelled: " + r.cancellation.reason()).build();
        } else if (r.dryRun) {
            res = CheckpointResult.builder().kind(c.kind()).description(c.description())
                    .outcome(Outcome.NOT_EVALUATED).start(s).end(s).detail(dryDetail(c, w, done, s)).build();
        } else if (c instanceof Checkpoint.Soak soak) {
            res = soak(soak, s);
        } else if (c instanceof Checkpoint.WatchedSoak soak) {
            res = watchedSoak(soak, s, w, index, done);
        } else if (c instanceof Checkpoint.Gate gate) {
            res = gate(gate, s, done);
        } else if (c instanceof Approval approval) {
            res = approvals.pass(approval, s, w, index, recorded.map(RolloutJournal.Checkpoint::requested).isPresent(),
                    done);
        } else if (c instanceof Checkpoint.Notify notify) {
            res = announce(notify, s, w, index, recorded.map(RolloutJournal.Checkpoint::announcement), done);
        } else {
            res = window((Checkpoint.Window) c, s);
        }
        if (res.outcome() == Outcome.PASSED || res.outcome() == Outcome.REJECTED) {
            // a cancelled or parked checkpoint has no end yet: a resume continues it from its recorded start
            r.recorder.append(new JournalEntry.CheckpointEnded(res.end(), w.name(), index, res.outcome().name(),
                    res.detail(), res.decision(), res.data()));
        }
        r.emit(new RolloutEvent.CheckpointFinished(r.rollout.name(), r.id, r.time.now(), w.name(), res));
        log.info("Before wave {}: {}", w.name(), res);
        return res;
    }

    /** How a wait until some instant ended. */
    private enum Waited { DONE, CANCELLED, PARKED }

    /**
     * Waits until {@code until} on the rollout's clock, or parks when that is further away than the runner's park
     * threshold ({@code because} says for what), or ends early when {@code wakeUp} is released or the rollout is
     * cancelled.
     */
    private Waited waitUntil(Instant until, String because, CountDownLatch wakeUp) {
        Duration left = Duration.between(r.time.now(), until);
        if (left.isNegative() || left.isZero()) {
            return Waited.DONE;
        }
        if (r.parks(left)) {
            r.park(until, because);
            return Waited.PARKED;
        }
        r.sleep(wakeUp, left);
        return r.cancellation.isCancelled() ? Waited.CANCELLED : Waited.DONE;
    }

    CheckpointResult waiting(Checkpoint c, Instant s, String detail) {
        return CheckpointResult.builder().kind(c.kind()).description(c.description()).outcome(Outcome.WAITING)
                .start(s).detail(detail).build();
    }

    private String dryDetail(Checkpoint c, Wave w, List<WaveResult> done, Instant now) {
        if (c instanceof Checkpoint.Soak soak) {
            return "a live run waits " + Durations.human(soak.duration());
        } else if (c instanceof Checkpoint.WatchedSoak soak) {
            long n = soak.duration().isZero() ? 1 : (soak.duration().plus(soak.every()).minusNanos(1)).dividedBy(soak.every());
            return "a live run waits " + Durations.human(soak.duration()) + " and checks that " + soak.watched() + " every "
                    + Durations.human(soak.every()) + " (" + n + " watch(es), the last at the soak's end), halting at the "
                    + "first that fails; nothing was evaluated";
        } else if (c instanceof Checkpoint.Gate) {
            return "a live run evaluates this over the real results of earlier waves";
        } else if (c instanceof Approval a) {
            return "a live run asks the approver and waits up to " + Durations.human(a.timeout())
                    + "; the approver was not called";
        }
        if (c instanceof Checkpoint.Notify n) {
            List<Delivery> would = n.announcement().notifications().preview(announcement(n.announcement(), w, done, now));
            return String.join("; ", would.stream().map(Delivery::toString).toList())
                    + (n.announcement().leadTime().isZero() ? "" : ", then a live run waits "
                    + Durations.human(n.announcement().leadTime()) + " before wave " + w.name() + " starts")
                    + "; nothing was sent";
        }
        Checkpoint.Window win = (Checkpoint.Window) c;
        return win.window().isOpen(now) ? "open now" : "closed now" + win.window().nextOpening(now)
                .map(n -> "; opens next at " + n).orElse("; never opens again");
    }

    private CheckpointResult soak(Checkpoint.Soak soak, Instant s) {
        Instant until = s.plus(soak.duration());
        Waited w = waitUntil(until, "soaking " + Durations.human(soak.duration()) + " since " + s,
                r.cancellation.latch());
        Instant e = r.time.now();
        if (w == Waited.PARKED) {
            return waiting(soak, s, "soaking since " + s + "; " + Durations.human(Duration.between(e, until))
                    + " remain, until " + until);
        }
        if (w == Waited.CANCELLED) {
            return CheckpointResult.builder().kind(Checkpoint.Kind.SOAK).description(soak.description())
                    .outcome(Outcome.CANCELLED).start(s).end(e)
                    .detail("cancelled after " + Durations.human(Duration.between(s, e)) + " of soak: "
                            + r.cancellation.reason())
                    .build();
        }
        return CheckpointResult.builder().kind(Checkpoint.Kind.SOAK).description(soak.description())
                .outcome(Outcome.PASSED).start(s).end(e)
                .detail("soaked " + Durations.human(Duration.between(s, e))).build();
    }

    /**
     * A soak that evaluates its watch at each watch time ({@link Checkpoint.WatchedSoak#nextWatch}), journaling each
     * verdict before acting on it; watches an earlier session journaled are recalled, not evaluated again.
     */
    private CheckpointResult watchedSoak(Checkpoint.WatchedSoak soak, Instant s, Wave w, int index, List<WaveResult> done) {
        Instant until = s.plus(soak.duration());
        List<JournalEntry.SoakWatched> earlier = r.recorder.watches(w.name(), index);
        int held = 0;
        Instant last = s;
        for (JournalEntry.SoakWatched e : earlier) {
            if (!e.held()) {
                // journaled, then the process stopped before the checkpoint's end: the verdict stands
                return watchFailed(soak, s, e.at(), e.detail(), e.data(), true);
            }
            held++;
            last = e.at();
        }
        while (true) {
            Instant next = soak.nextWatch(s, last);
            if (held > 0 && !last.isBefore(until)) {
                return CheckpointResult.builder().kind(Checkpoint.Kind.SOAK).description(soak.description())
                        .outcome(Outcome.PASSED).start(s).end(r.time.now())
                        .detail("soaked " + Durations.human(Duration.between(s, last)) + "; " + held + " watch(es) that "
                                + soak.watched() + " held").build();
            }
            Waited waited = waitUntil(next, "soaking " + Durations.human(soak.duration()) + " since " + s
                    + "; the next watch that " + soak.watched() + " is at " + next, r.cancellation.latch());
            Instant now = r.time.now();
            if (waited == Waited.PARKED) {
                return waiting(soak, s, "soaking since " + s + "; " + held + " watch(es) held so far; the next is at "
                        + next + "; the soak ends at " + until);
            }
            if (waited == Waited.CANCELLED) {
                return CheckpointResult.builder().kind(Checkpoint.Kind.SOAK).description(soak.description())
                        .outcome(Outcome.CANCELLED).start(s).end(now)
                        .detail("cancelled after " + Durations.human(Duration.between(s, now)) + " of soak ("
                                + held + " watch(es) held): " + r.cancellation.reason())
                        .build();
            }
            boolean ok;
            String detail;
            Map<String, Object> data = Map.of();
            try {
                GateVerdict v = soak.watch().apply(r.soFar(done));
                if (v == null) {
                    throw new IllegalStateException("the watch returned null instead of a verdict");
                }
                ok = v.held();
                detail = v.detail();
                data = v.data();
            } catch (RuntimeException | AssertionError e) {
                ok = false;
                detail = "could not be evaluated: " + Failure.of(e);
            }
            r.recorder.append(new JournalEntry.SoakWatched(now, w.name(), index, ok, detail, data));
            log.info("Watch {} of the soak before wave {} at {}: {} ({})", held + 1, w.name(), now,
                    ok ? "held" : "FAILED", detail);
            if (!ok) {
                return watchFailed(soak, s, now, detail, data, false);
            }
            held++;
            last = now;
        }
    }

    private CheckpointResult watchFailed(Checkpoint.WatchedSoak soak, Instant s, Instant at, String detail,
            Map<String, Object> data, boolean recalled) {
        return CheckpointResult.builder().kind(Checkpoint.Kind.SOAK).description(soak.description())
                .outcome(Outcome.REJECTED).start(s).end(at)
                .detail("the watch that " + soak.watched() + " failed at " + at + ", after "
                        + Durations.human(Duration.between(s, at)) + " of the soak's " + Durations.human(soak.duration())
                        + ": " + detail + (recalled ? " (journaled before the rollout stopped)" : ""))
                .data(data).build();
    }

    private CheckpointResult gate(Checkpoint.Gate gate, Instant s, List<WaveResult> done) {
        Outcome o;
        String detail;
        gateData = Map.of();
        try {
            GateVerdict v = gate.verdict().apply(r.soFar(done));
            if (v == null) {
                throw new IllegalStateException("the gate returned null instead of a verdict");
            }
            o = v.held() ? Outcome.PASSED : Outcome.REJECTED;
            detail = v.detail();
            gateData = v.data();
        } catch (RuntimeException | AssertionError e) {
            o = Outcome.REJECTED;
            detail = "could not be evaluated: " + Failure.of(e);
        }
        return CheckpointResult.builder().kind(Checkpoint.Kind.GATE).description(gate.description()).outcome(o)
                .start(s).end(r.time.now()).detail(detail).data(gateData).build();
    }

    private Notice announcement(Announcement a, Wave w, List<WaveResult> done, Instant now) {
        List<String> known = w.targets() instanceof TargetSource.FixedTargets fixed ? fixed.targets() : List.of();
        String soFar = done.isEmpty() ? "this is the first wave" : String.join("; ", done.stream()
                .map(d -> "wave " + d.name() + " " + d.status() + " (" + d.progress() + ")").toList());
        return a.notice(r.rollout.name(), r.id, r.plan.name(), w.name(), known, w.targets().description(), soFar, now);
    }

    private CheckpointResult announce(Checkpoint.Notify n, Instant s, Wave w, int index,
            Optional<JournalEntry.AnnouncementSent> sentBefore, List<WaveResult> done) {
        Announcement a = n.announcement();
        Instant sentAt;
        String detail;
        if (sentBefore.isPresent()) {
            // sent before the rollout stopped: not sent again, and its lead time counts from then
            sentAt = sentBefore.get().at();
            detail = sentBefore.get().detail() + " (sent before the rollout stopped; not sent again)";
        } else {
            sentAt = r.time.now();
            // made now, not at the checkpoint's recorded start: after a restart the lead time counts from now
            List<Delivery> deliveries = a.notifications().send(announcement(a, w, done, sentAt));
            List<Delivery> failed = deliveries.stream().filter(d -> !d.isSent()).toList();
            String sent = deliveries.stream().filter(Delivery::isSent).map(Delivery::destination).toList().toString();
            if (!failed.isEmpty() && a.isRequired()) {
                return CheckpointResult.builder().kind(Checkpoint.Kind.NOTIFY).description(n.description())
                        .outcome(Outcome.REJECTED).start(s).end(r.time.now())
                        .detail("the notice is required before wave " + w.name() + " and could not be sent: "
                                + String.join("; ", failed.stream().map(Delivery::toString).toList()))
                        .build();
            }
            detail = failed.isEmpty() ? "sent via " + sent : "sent via " + sent + "; "
                    + String.join("; ", failed.stream().map(Delivery::toString).toList())
                    + " (not required, so the rollout goes on)";
            r.recorder.append(new JournalEntry.AnnouncementSent(sentAt, w.name(), index, a.leadTime(), detail));
        }
        if (!a.leadTime().isZero()) {
            Instant until = sentAt.plus(a.leadTime());
            Waited waited = waitUntil(until, "the lead time of an announcement sent at " + sentAt, r.cancellation.latch());
            Instant e = r.time.now();
            if (waited == Waited.PARKED) {
                return waiting(n, s, detail + "; wave " + w.name() + " starts after the lead time, at " + until);
            }
            if (waited == Waited.CANCELLED) {
                return CheckpointResult.builder().kind(Checkpoint.Kind.NOTIFY).description(n.description())
                        .outcome(Outcome.CANCELLED).start(s).end(e)
                        .detail(detail + "; cancelled after " + Durations.human(Duration.between(sentAt, e))
                                + " of the lead time: " + r.cancellation.reason())
                        .build();
            }
            detail += "; waited the lead time of " + Durations.human(a.leadTime()) + " from " + sentAt;
        }
        return CheckpointResult.builder().kind(Checkpoint.Kind.NOTIFY).description(n.description())
                .outcome(Outcome.PASSED).start(s).end(r.time.now()).detail(detail).build();
    }

    private CheckpointResult window(Checkpoint.Window win, Instant s) {
        MaintenanceWindow mw = win.window();
        Instant now = r.time.now();
        Optional<Instant> next = mw.nextOpening(now);
        if (!mw.isOpen(now) && win.rule() == Checkpoint.WindowRule.HALT) {
            return CheckpointResult.builder().kind(Checkpoint.Kind.WINDOW).description(win.description())
                    .outcome(Outcome.REJECTED).start(s).end(now)
                    .detail("closed at " + now
                            + next.map(n -> "; it opens next at " + n).orElse("; it never opens again"))
                    .build();
        }
        while (!mw.isOpen(now)) {
            if (next.isEmpty()) {
                return CheckpointResult.builder().kind(Checkpoint.Kind.WINDOW).description(win.description())
                        .outcome(Outcome.REJECTED).start(s).end(now)
                        .detail("closed at " + now + " and it never opens again").build();
            }
            Instant opens = next.get().equals(now) ? now.plusMillis(1) : next.get();
            Waited waited = waitUntil(opens, "the maintenance window " + mw.description() + " to open at " + opens,
                    r.cancellation.latch());
            now = r.time.now();
            if (waited == Waited.PARKED) {
                return waiting(win, s, "closed; waiting since " + s + " for it to open at " + opens);
            }
            if (waited == Waited.CANCELLED) {
                return CheckpointResult.builder().kind(Checkpoint.Kind.WINDOW).description(win.description())
                        .outcome(Outcome.CANCELLED).start(s).end(now)
                        .detail("cancelled while waiting for the window: " + r.cancellation.reason()).build();
            }
            next = mw.nextOpening(now);
        }
        String detail = now.equals(s) ? "open at " + s : "waited " + Durations.human(Duration.between(s, now))
                + " for the window to open at " + now;
        return CheckpointResult.builder().kind(Checkpoint.Kind.WINDOW).description(win.description())
                .outcome(Outcome.PASSED).start(s).end(now).detail(detail).build();
    }
}
