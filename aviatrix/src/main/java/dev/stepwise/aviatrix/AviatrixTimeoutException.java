package dev.stepwise.aviatrix;

/**
 * The controller did not finish something (an upgrade) within its timeout.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * <pre>{@code
 * try {
 *     upgradeAlongThePath();
 * } catch (ControllerUpgradeException e) {
 *     if (e.getCause() instanceof AviatrixTimeoutException) {
 *         // check the controller by hand: the upgrade may still be running
 *     }
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

    /**
     * @param action the API action that was polled
     * @param message what did not finish and how long was waited
     * @param cause what ran out of time, e.g. a {@code PollTimeoutException}
     */
    public AviatrixTimeoutException(String action, String message, Throwable cause) {
        super(action, message, cause);
    }
}
