package dev.stepwise.aviatrix;

import dev.stepwise.core.StepwiseException;

/**
 * A failure talking to an Aviatrix controller: the controller refused an action
 * ({@link AviatrixApiException}), could not be reached or answered nonsense
 * ({@link AviatrixTransportException}), or did not finish in time ({@link AviatrixTimeoutException}).
 *
 * <p>A {@link StepwiseException}, like every failure Stepwise raises on purpose. Messages name the action
 * and never contain a password, API token or session id (CID). Instances are immutable and thread-safe.
 *
 * <pre>{@code
 * try {
 *     client.backupNow(backup);
 * } catch (AviatrixApiException e) {
 *     log.warn("backup refused: {}", e.reason());
 * } catch (AviatrixException e) {
 *     log.warn("controller unreachable during {}", e.action());
 * }
 * }</pre>
 */
public abstract sealed class AviatrixException extends StepwiseException
        permits AviatrixApiException, AviatrixTransportException, AviatrixTimeoutException,
        UnsupportedEraException {

    private static final long serialVersionUID = 1L;

    private final String action;

    AviatrixException(String action, String message, Throwable cause) {
        super(message, cause);
        this.action = action;
    }

    /** @return the API action that failed, e.g. {@code upgrade} */
    public String action() {
        return action;
    }
}
