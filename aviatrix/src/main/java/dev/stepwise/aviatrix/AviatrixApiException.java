package dev.stepwise.aviatrix;

import java.util.Objects;

/**
 * The controller answered {@code "return": false}: it refused the action, and {@link #reason()}
 * is its own explanation.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * <pre>{@code
 * try {
 *     client.upgrade(ControllerVersion.parse("6.7"), UpgradeScope.CONTROLLER_AND_GATEWAYS);
 * } catch (AviatrixApiException e) {
 *     e.action();   // "upgrade"
 *     e.reason();   // the controller's reason, verbatim
 * }
 * }</pre>
 */
public final class AviatrixApiException extends AviatrixException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * @param action the API action
     * @param reason the controller's reason (already free of secrets)
     */
    public AviatrixApiException(String action, String reason) {
        super(Objects.requireNonNull(action, "action"), "Aviatrix controller refused action " + action + ": "
                + Objects.requireNonNull(reason, "reason"), null);
        this.reason = reason;
    }

    /** @return the controller's reason, verbatim (with any secret it echoed masked) */
    public String reason() {
        return reason;
    }
}
