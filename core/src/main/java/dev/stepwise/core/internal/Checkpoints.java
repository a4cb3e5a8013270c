package dev.stepwise.core.internal;

import dev.stepwise.core.notify.Announcement;
import dev.stepwise.core.notify.Delivery;
import dev.stepwise.core.notify.Notice;
import dev.stepwise.core.journal.RunJournal;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.rollout.Approval;
import dev.stepwise.core.rollout.ApprovalDecision;
import dev.stepwise.core.rollout.ApprovalRequest;
import dev.stepwise.core.rollout.Checkpoint;
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


/**
 * Passes the checkpoints before a wave — soak, gate, approval, announcement, maintenance window — on the rollout's
 * clock, waking at once on cancellation; in a dry run it only describes what a live run would do. Used by the
 * rollout's thread.
 */
final class Checkpoints {
    private static final Logger log = LoggerFactory.getLogger(Checkpoints.class);

    private final RolloutRun r;

    Checkpoints(RolloutRun r) {
        this.r = r;
    }

    CheckpointResult pass(Checkpoint c, Wave w, List<WaveResult> done) {
        Instant s = r.time.now();
        r.emit(new RolloutEvent.CheckpointStarted(r.rollout.name(), r.id, s, w.name(), c.kind(), c.description()));
        CheckpointResult res;
        if (r.cancellation.isCancelled()) {
            res = new CheckpointResult(c.kind(), c.description(), Outcome.CANCELLED, s, s, "cancelled: "
                    + r.cancellation.reason(), null);
        } else if (r.dryRun) {
            res = new CheckpointResult(c.kind(), c.description(), Outcome.NOT_EVALUATED, s, s, dryDetail(c, w, done, s), null);
        } else if (c instanceof Checkpoint.Soak soak) {
            res = soak(soak, s);
        } else if (c instanceof Checkpoint.Gate gate) {
            res = gate(gate, s, done);
        } else if (c instanceof Approval approval) {
            res = approval(approval, s, w, done);
        } else if (c instanceof Checkpoint.Notify notify) {
            res = announce(notify, s, w, done);
        } else {
            res = window((Checkpoint.Window) c, s);
        }
        r.emit(new RolloutEvent.CheckpointFinished(r.rollout.name(), r.id, r.time.now(), w.name(), res));
        log.info("Before wave {}: {}", w.name(), res);
        return res;
    }

    private String dryDetail(Checkpoint c, Wave w, List<WaveResult> done, Instant now) {
        if (c instanceof Checkpoint.Soak soak) {
            return "a live run waits " + ResultRendering.human(soak.duration());
        } else if (c instanceof Checkpoint.Gate) {
            return "a live run evaluates this over the real results of earlier waves";
        } else if (c instanceof Approval a) {
            return "a live run asks the approver and waits up to " + ResultRendering.human(a.timeout())
                    + "; the approver was not called";
        }
        if (c instanceof Checkpoint.Notify n) {
            List<Delivery> would = n.announcement().notifications().preview(announcement(n.announcement(), w, done, now));
            return String.join("; ", would.stream().map(Delivery::toString).toList())
                    + (n.announcement().leadTime().isZero() ? "" : ", then a live run waits "
                    + ResultRendering.human(n.announcement().leadTime()) + " before wave " + w.name() + " starts")
                    + "; nothing was sent";
        }
        Checkpoint.Window win = (Checkpoint.Window) c;
        return win.window().isOpen(now) ? "open now" : "closed now" + win.window().nextOpening(now)
                .map(n -> "; opens next at " + n).orElse("; never opens again");
    }

    private CheckpointResult soak(Checkpoint.Soak soak, Instant s) {
        boolean cut = r.sleep(r.cancellation.latch(), soak.duration());
        Instant e = r.time.now();
        if (cut || r.cancellation.isCancelled()) {
            return new CheckpointResult(Checkpoint.Kind.SOAK, soak.description(), Outcome.CANCELLED, s, e,
                    "cancelled after " + ResultRendering.human(Duration.between(s, e)) + " of soak: " + r.cancellation.reason(), null);
        }
        return new CheckpointResult(Checkpoint.Kind.SOAK, soak.description(), Outcome.PASSED, s, e,
                "soaked " + ResultRendering.human(Duration.between(s, e)), null);
    }

    private CheckpointResult gate(Checkpoint.Gate gate, Instant s, List<WaveResult> done) {
        Outcome o;
        String detail;
        try {
            boolean held = gate.condition().test(r.soFar(done));
            o = held ? Outcome.PASSED : Outcome.REJECTED;
            detail = held ? "held" : "did not hold";
        } catch (RuntimeException | AssertionError e) {
            o = Outcome.REJECTED;
            detail = "could not be evaluated: " + Failure.of(e);
        }
        return new CheckpointResult(Checkpoint.Kind.GATE, gate.description(), o, s, r.time.now(), detail, null);
    }

    private CheckpointResult approval(Approval a, Instant s, Wave w, List<WaveResult> done) {
        ApprovalRequest request = new ApprovalRequest(r.rollout.name(), r.id, w.name(), a.description(), r.soFar(done), s,
                s.plus(a.timeout()));
        CountDownLatch answered = new CountDownLatch(1);
        AtomicReference<ApprovalDecision> decision = new AtomicReference<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        try {
            CompletionStage<ApprovalDecision> answer = a.approver().request(request);
            if (answer == null) {
                throw new IllegalStateException("the approver returned null instead of a future");
            }
            answer.whenComplete((d, ex) -> {
                if (ex != null) {
                    failed.set(ex);
                } else if (d == null) {
                    failed.set(new IllegalStateException("the approver answered null"));
                } else {
                    decision.set(d);
                }
                answered.countDown();
            });
        } catch (Exception | AssertionError e) {
            return new CheckpointResult(Checkpoint.Kind.APPROVAL, a.description(), Outcome.REJECTED, s, r.time.now(),
                    "the approver failed: " + Failure.of(e), null);
        }
        Runnable waker = answered::countDown;
        r.wakers.add(waker);
        try {
            if (r.cancellation.isCancelled()) {
                answered.countDown();
            }
            r.sleep(answered, a.timeout());
        } finally {
            r.wakers.remove(waker);
        }
        Instant e = r.time.now();
        if (r.cancellation.isCancelled()) {
            return new CheckpointResult(Checkpoint.Kind.APPROVAL, a.description(), Outcome.CANCELLED, s, e,
                    "cancelled while waiting for approval: " + r.cancellation.reason(), null);
        }
        if (failed.get() != null) {
            return new CheckpointResult(Checkpoint.Kind.APPROVAL, a.description(), Outcome.REJECTED, s, e,
                    "the approver's answer failed: " + Failure.of(failed.get()), null);
        }
        ApprovalDecision d = decision.get();
        if (d == null) {
            boolean approve = a.onTimeout() == Approval.TimeoutRule.APPROVE;
            d = new ApprovalDecision(approve, "timeout rule", "no answer within " + ResultRendering.human(a.timeout()),
                    e, true);
            return new CheckpointResult(Checkpoint.Kind.APPROVAL, a.description(),
                    approve ? Outcome.PASSED : Outcome.REJECTED, s, e, "no answer within "
                    + ResultRendering.human(a.timeout()) + "; the timeout rule " + (approve ? "approves" : "rejects"), d);
        }
        d = d.at(e);
        return new CheckpointResult(Checkpoint.Kind.APPROVAL, a.description(),
                d.approved() ? Outcome.PASSED : Outcome.REJECTED, s, e, d.toString(), d);
    }

    private Notice announcement(Announcement a, Wave w, List<WaveResult> done, Instant now) {
        List<String> known = w.targets() instanceof TargetSource.FixedTargets fixed ? fixed.targets() : List.of();
        String soFar = done.isEmpty() ? "this is the first wave" : String.join("; ", done.stream()
                .map(d -> "wave " + d.name() + " " + d.status() + " (" + d.progress() + ")").toList());
        return a.notice(r.rollout.name(), r.id, r.plan.name(), w.name(), known, w.targets().description(), soFar, now);
    }

    private CheckpointResult announce(Checkpoint.Notify n, Instant s, Wave w, List<WaveResult> done) {
        Announcement a = n.announcement();
        List<Delivery> deliveries = a.notifications().send(announcement(a, w, done, s));
        List<Delivery> failed = deliveries.stream().filter(d -> !d.isSent()).toList();
        String sent = deliveries.stream().filter(Delivery::isSent).map(Delivery::destination).toList().toString();
        if (!failed.isEmpty() && a.isRequired()) {
            return new CheckpointResult(Checkpoint.Kind.NOTIFY, n.description(), Outcome.REJECTED, s, r.time.now(),
                    "the notice is required before wave " + w.name() + " and could not be sent: "
                            + String.join("; ", failed.stream().map(Delivery::toString).toList()), null);
        }
        String detail = (failed.isEmpty() ? "sent via " + sent : "sent via " + sent + "; "
                + String.join("; ", failed.stream().map(Delivery::toString).toList())
                + " (not required, so the rollout goes on)");
        if (!a.leadTime().isZero()) {
            boolean cut = r.sleep(r.cancellation.latch(), a.leadTime());
            Instant e = r.time.now();
            if (cut || r.cancellation.isCancelled()) {
                return new CheckpointResult(Checkpoint.Kind.NOTIFY, n.description(), Outcome.CANCELLED, s, e,
                        detail + "; cancelled after " + ResultRendering.human(Duration.between(s, e))
                                + " of the lead time: " + r.cancellation.reason(), null);
            }
            detail += "; waited the lead time of " + ResultRendering.human(Duration.between(s, e));
        }
        return new CheckpointResult(Checkpoint.Kind.NOTIFY, n.description(), Outcome.PASSED, s, r.time.now(), detail, null);
    }

    private CheckpointResult window(Checkpoint.Window win, Instant s) {
        MaintenanceWindow mw = win.window();
        Instant now = s;
        Optional<Instant> next = mw.nextOpening(now);
        if (!mw.isOpen(now) && win.rule() == Checkpoint.WindowRule.HALT) {
            return new CheckpointResult(Checkpoint.Kind.WINDOW, win.description(), Outcome.REJECTED, s, now,
                    "closed at " + now + next.map(n -> "; it opens next at " + n).orElse("; it never opens again"), null);
        }
        while (!mw.isOpen(now)) {
            if (next.isEmpty()) {
                return new CheckpointResult(Checkpoint.Kind.WINDOW, win.description(), Outcome.REJECTED, s, now,
                        "closed at " + now + " and it never opens again", null);
            }
            Duration wait = Duration.between(now, next.get());
            r.sleep(r.cancellation.latch(), wait.isZero() ? Duration.ofMillis(1) : wait);
            now = r.time.now();
            if (r.cancellation.isCancelled()) {
                return new CheckpointResult(Checkpoint.Kind.WINDOW, win.description(), Outcome.CANCELLED, s, now,
                        "cancelled while waiting for the window: " + r.cancellation.reason(), null);
            }
            next = mw.nextOpening(now);
        }
        String detail = now.equals(s) ? "open at " + s : "waited " + ResultRendering.human(Duration.between(s, now))
                + " for the window to open at " + now;
        return new CheckpointResult(Checkpoint.Kind.WINDOW, win.description(), Outcome.PASSED, s, now, detail, null);
    }

}
