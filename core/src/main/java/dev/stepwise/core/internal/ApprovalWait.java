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
 * Passes an approval before a wave: asks the approver (once — the request is journaled, so a resume does not ask
 * again while it parks), takes a decision given from another process through the decisions journal, applies the
 * timeout rule at the deadline, and parks when the wait is longer than the runner's threshold. Used by the
 * rollout's thread.
 */
final class ApprovalWait {
    /** How often a blocking approval wait looks for a decision given from another process. */
    private static final Duration DECISION_POLL = Duration.ofMinutes(1);

    private final RolloutRun r;
    private final Checkpoints checkpoints;

    ApprovalWait(RolloutRun r, Checkpoints checkpoints) {
        this.r = r;
        this.checkpoints = checkpoints;
    }

    CheckpointResult pass(Approval a, Instant s, Wave w, int index, boolean askedBefore,
            List<WaveResult> done) {
        Instant deadline = s.plus(a.timeout());
        String waitingFor = "waiting for approval \"" + a.description() + "\" (asked at " + s + ")";
        Optional<CheckpointResult> outside = outsideDecision(a, s, w, index);
        if (outside.isPresent()) {
            return outside.get();
        }
        if (askedBefore && r.parks(Duration.between(r.time.now(), deadline))) {
            // parked at this approval before: only an outside decision or the timeout rule can answer it now
            r.park(deadline, waitingFor);
            return checkpoints.waiting(a, s, waitingFor + "; decide with an outside approval, or the timeout rule decides at "
                    + deadline);
        }
        ApprovalRequest request = ApprovalRequest.builder().rollout(r.rollout.name()).rolloutId(r.id).wave(w.name())
                .description(a.description()).soFar(r.soFar(done)).requestedAt(s).deadline(deadline).build();
        CountDownLatch answered = new CountDownLatch(1);
        AtomicReference<ApprovalDecision> decision = new AtomicReference<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        try {
            CompletionStage<ApprovalDecision> answer = a.approver().request(request);
            if (answer == null) {
                throw new IllegalStateException("the approver returned null instead of a future");
            }
            if (!askedBefore) {
                // a process that dies before this line asks again on resume: an approval is never left unasked
                r.recorder.append(new JournalEntry.ApprovalRequested(r.time.now(), w.name(), index));
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
            return CheckpointResult.builder().kind(Checkpoint.Kind.APPROVAL).description(a.description())
                    .outcome(Outcome.REJECTED).start(s).end(r.time.now())
                    .detail("the approver failed: " + Failure.of(e)).build();
        }
        Runnable waker = answered::countDown;
        r.wakers.add(waker);
        try {
            if (r.cancellation.isCancelled()) {
                answered.countDown();
            }
            while (answered.getCount() > 0 && !r.cancellation.isCancelled()) {
                Duration left = Duration.between(r.time.now(), deadline);
                if (left.isNegative() || left.isZero()) {
                    break;
                }
                if (r.parks(left)) {
                    r.park(deadline, waitingFor);
                    return checkpoints.waiting(a, s, waitingFor + "; decide with an outside approval, or the timeout rule decides at "
                            + deadline);
                }
                // wake now and then to take a decision given from another process
                r.sleep(answered, r.recorder.active() && left.compareTo(DECISION_POLL) > 0 ? DECISION_POLL : left);
                outside = outsideDecision(a, s, w, index);
                if (outside.isPresent()) {
                    return outside.get();
                }
            }
        } finally {
            r.wakers.remove(waker);
        }
        Instant e = r.time.now();
        if (r.cancellation.isCancelled()) {
            return CheckpointResult.builder().kind(Checkpoint.Kind.APPROVAL).description(a.description())
                    .outcome(Outcome.CANCELLED).start(s).end(e)
                    .detail("cancelled while waiting for approval: " + r.cancellation.reason()).build();
        }
        if (failed.get() != null) {
            return CheckpointResult.builder().kind(Checkpoint.Kind.APPROVAL).description(a.description())
                    .outcome(Outcome.REJECTED).start(s).end(e)
                    .detail("the approver's answer failed: " + Failure.of(failed.get())).build();
        }
        ApprovalDecision d = decision.get();
        if (d == null) {
            return timedOut(a, s, e);
        }
        d = d.withAt(e);
        return CheckpointResult.builder().kind(Checkpoint.Kind.APPROVAL).description(a.description())
                .outcome(d.approved() ? Outcome.PASSED : Outcome.REJECTED).start(s).end(e).detail(d.toString())
                .decision(d).build();
    }

    /** A decision given from another process for this approval, if any; past the deadline, the timeout rule. */
    private Optional<CheckpointResult> outsideDecision(Approval a, Instant s, Wave w, int index) {
        Optional<JournalEntry.ApprovalGiven> given = r.recorder.outsideDecision(w.name(), index);
        if (given.isPresent()) {
            JournalEntry.ApprovalGiven g = given.get();
            ApprovalDecision d = ApprovalDecision.builder().approved(g.approved()).by(g.by())
                    .comment(Objects.requireNonNullElse(g.comment(), ""))
                    .at(g.at()).build();
            return Optional.of(CheckpointResult.builder().kind(Checkpoint.Kind.APPROVAL).description(a.description())
                    .outcome(d.approved() ? Outcome.PASSED : Outcome.REJECTED).start(s).end(r.time.now())
                    .detail(d + " (given from outside)").decision(d).build());
        }
        Instant now = r.time.now();
        if (!now.isBefore(s.plus(a.timeout())) && r.recorder.active()) {
            return Optional.of(timedOut(a, s, now));
        }
        return Optional.empty();
    }

    private CheckpointResult timedOut(Approval a, Instant s, Instant e) {
        boolean approve = a.onTimeout() == Approval.TimeoutRule.APPROVE;
        ApprovalDecision d = ApprovalDecision.builder().approved(approve).by("timeout rule")
                .comment("no answer within " + Durations.human(a.timeout())).at(e).timedOut(true).build();
        return CheckpointResult.builder().kind(Checkpoint.Kind.APPROVAL).description(a.description())
                .outcome(approve ? Outcome.PASSED : Outcome.REJECTED).start(s).end(e)
                .detail("no answer within " + Durations.human(a.timeout()) + "; the timeout rule "
                        + (approve ? "approves" : "rejects"))
                .decision(d).build();
    }
}
