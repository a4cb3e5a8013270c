package dev.stepwise.temporal;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The values that travel through Temporal (workflow and activity arguments, results, queries, signals), as plain
 * records Jackson writes through Temporal's data converter. Step outputs and inputs travel as plain JSON values
 * (maps, lists, strings, numbers, booleans) and become typed again through their {@code Key}. Public only because
 * Temporal's proxies must reach them; the wire format of Stepwise's workflows, not API.
 */
public final class Wire {
    private Wire() {
    }

    /**
     * Wire record {@code PlanRequest}; for a rollout's target, {@code waveCheckpoints} are the checkpoints its wave
     * passed (null or empty otherwise, and in requests from before they travelled).
     */
    public record PlanRequest(String plan, String fingerprint, String runId, String target, Map<String, Object> inputs,
            Map<String, String> shownInputs, String rolloutId, List<CheckpointRow> waveCheckpoints) {
    }

    /** Wire record {@code StepCall}; {@code waveCheckpoints} as in {@link PlanRequest}. */
    public record StepCall(String plan, String fingerprint, String runId, String target, String step,
            Map<String, Object> values, boolean rerun, boolean temporalRetries, String rolloutId,
            List<CheckpointRow> waveCheckpoints) {
    }

    /** Wire record {@code CheckCall}; {@code waveCheckpoints} as in {@link PlanRequest}. */
    public record CheckCall(String plan, String fingerprint, String runId, String target, int row,
            Map<String, Object> values, String rolloutId, List<CheckpointRow> waveCheckpoints) {
    }

    /** Wire record {@code FailureData}. */
    public record FailureData(String type, String message, Map<String, Object> details) {
    }

    /** One row of a run as the activity saw it; times on the worker's clock. */
    public record RowData(String status, int attempts, Instant start, Instant end, String output, FailureData failure,
            String note) {
    }

    /** A step's row and its output as a plain value (null without one). */
    public record StepOutcome(RowData row, Object output) {
    }

    /** A check's row and its outcome; {@code held} is null when the check could not be evaluated. */
    public record CheckOutcome(RowData row, Boolean held) {
    }

    /** Wire record {@code Decision}. */
    public record Decision(String step, boolean rerun, String by) {
    }

    /** What a run is waiting for: the step that needs a human decision, if any. */
    public record RunView(String awaitingDecision, String reason) {
    }

    /** Wire record {@code RolloutRequest}. */
    public record RolloutRequest(String rollout, String fingerprint, String rolloutId, String planFingerprint) {
    }

    /** Wire record {@code TargetsCall}. */
    public record TargetsCall(String rollout, String fingerprint, int wave, RolloutState soFar) {
    }

    /** A wave's targets in order, and each one's resolved inputs, plain and as shown. */
    public record Targets(List<String> targets, Map<String, Map<String, Object>> inputs,
            Map<String, Map<String, String>> shownInputs, String problem) {
    }

    /** Wire record {@code GateCall}. */
    public record GateCall(String rollout, String fingerprint, int wave, int checkpoint, RolloutState soFar) {
    }

    /** Wire record {@code GateOutcome}. */
    public record GateOutcome(boolean held, String detail, Map<String, Object> data, FailureData failure) {
    }

    /** An announcement to send before wave {@code wave}: checkpoint {@code checkpoint} of it, at {@code at}. */
    public record AnnounceCall(String rollout, String fingerprint, String rolloutId, int wave, int checkpoint,
            Instant at, RolloutState soFar) {
    }

    /** What sending an announcement gave: whether it stops the rollout, and the detail the embedded runner shows. */
    public record AnnounceOutcome(boolean rejected, String detail) {
    }

    /**
     * One entry of a rollout's journal as the workflow records it: {@code event} is {@code started},
     * {@code checkpoint} (its start and end), {@code targets}, {@code waveStarted}, {@code waveEnded} or
     * {@code finished}; the other fields are those that event uses.
     */
    public record JournalLine(String event, Instant at, Instant end, String wave, int index, String kind,
            String description, String outcome, String detail, DecisionData decision, Map<String, Object> data,
            List<String> targets, String status, String reason) {
    }

    /** Entries to append to rollout {@code rolloutId}'s journal, when the worker keeps one. */
    public record JournalCall(String rollout, String fingerprint, String rolloutId, List<JournalLine> lines) {
    }

    /** Asks approval {@code checkpoint} before wave {@code wave} of its approver, once. */
    public record AskCall(String rollout, String fingerprint, String rolloutId, int wave, int checkpoint,
            Instant requestedAt, Instant deadline, RolloutState soFar) {
    }

    /**
     * What asking the approver gave: its decision when it answered at once, else neither (it may answer later, as an
     * update, or a person through the client); {@code failure} when asking it or its answer failed.
     */
    public record AskOutcome(ApprovalAnswer answer, String failure) {
    }

    /** Wire record {@code ApprovalAnswer}. */
    public record ApprovalAnswer(boolean approved, String by, String comment) {
    }

    /** Wire record {@code DecisionData}. */
    public record DecisionData(boolean approved, String by, String comment, Instant at, boolean timedOut) {
    }

    /** Wire record {@code CheckpointRow}. */
    public record CheckpointRow(String kind, String description, String outcome, Instant start, Instant end, String detail,
            DecisionData decision, Map<String, Object> data) {
    }

    /** Wire record {@code TargetRow}. */
    public record TargetRow(String target, String status, Instant start, Instant end, String runJson, FailureData failure,
            String note, boolean canary) {
    }

    /** Wire record {@code WaveRow}. */
    public record WaveRow(String name, String status, String reason, String targetSource, List<CheckpointRow> checkpoints,
            Instant start, Instant end, List<TargetRow> targets) {
    }

    /** Wire record {@code RolloutState}. */
    public record RolloutState(String rollout, String rolloutId, String plan, String fingerprint, String status,
            String reason, Instant start, Instant end, List<WaveRow> waves) {
    }

    /** The approval waiting for an answer. */
    public record PendingApproval(String wave, String description, Instant since, Instant deadline) {
    }

    /** What the status query returns: the state so far, and what the rollout waits for and until when. */
    public record Progress(RolloutState state, String waitingFor, Instant resumeAt, PendingApproval pending) {
    }
}
