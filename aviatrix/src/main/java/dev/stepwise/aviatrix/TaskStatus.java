package dev.stepwise.aviatrix;

import java.util.Objects;

/**
 * Where an asynchronous request stands, from {@code check_task_status}: the controller answers
 * {@code REQUEST_IN_PROGRESS} until it is done. A failed task raises {@link AviatrixApiException}.
 *
 * <p>Immutable and thread-safe.
 *
 * <p>A record, not a generated value: the client parses it from the controller's JSON, users only read it, and a step
 * output is journaled and read back by Jackson; its canonical constructor is public only because a record cannot
 * hide it, and it may gain components, so do not call it.
 *
 * <pre>{@code
 * String id = client.upgrade(version, UpgradeScope.CONTROLLER_AND_GATEWAYS);
 * TaskStatus t = client.taskStatus(id);
 * t.done();
 * }</pre>
 *
 * @param requestId the request id the controller returned
 * @param done whether the task finished successfully
 * @param message the controller's results text once done, empty while in progress
 */
public record TaskStatus(String requestId, boolean done, String message) {

    /** Validates the parts. */
    public TaskStatus {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(message, "message");
    }
}
