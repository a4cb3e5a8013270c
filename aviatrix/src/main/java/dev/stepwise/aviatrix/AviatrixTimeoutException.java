package dev.stepwise.aviatrix;

/**
 * The controller did not finish something (an upgrade) within the configured number of polls.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * <pre>{@code
 * try {
 *     client.awaitUpgrade();
 * } catch (AviatrixTimeoutException e) {
 *     // check the controller by hand: the upgrade may still be running
 * }
 * }</pre>
 */
public final class AviatrixTimeoutException extends AviatrixException {

    private static final long serialVersionUID = 1L;

    /**
     * @param action the API action that was polled
     * @param message what did not finish and how long was waited
     */
    public AviatrixTimeoutException(String action, String message) {
        super(action, message, null);
    }
}
