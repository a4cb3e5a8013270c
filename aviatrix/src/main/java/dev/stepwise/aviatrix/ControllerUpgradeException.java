package dev.stepwise.aviatrix;

import dev.stepwise.core.StepwiseException;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ControllerUpgrade} stopped: a preflight check found the controller unfit to move (backups
 * not configured, an access account failing its IAM audit, gateways lagging), or a hop failed. For a
 * hop, the message names the hop, the stage, the version the controller runs, the backups made and
 * the controller's own reason; {@link #report()} holds the same facts typed.
 *
 * <p>A {@link StepwiseException}, like every failure Stepwise raises on purpose. Messages hold no password,
 * API token or session id. Immutable and thread-safe.
 *
 * <pre>{@code
 * try {
 *     upgradeAlongThePath();
 * } catch (ControllerUpgradeException e) {
 *     e.report().map(UpgradeReport::versionReached);   // where the controller stands
 *     e.controllerReason();                             // what the controller said, if it said anything
 * }
 * }</pre>
 */
public final class ControllerUpgradeException extends StepwiseException {

    private static final long serialVersionUID = 1L;

    private final transient UpgradeReport report;
    private final String controllerReason;

    /**
     * @param message what stopped the upgrade and what to do (free of secrets)
     * @param report what was done before it stopped, or null when it stopped in preflight
     * @param controllerReason the controller's reason, or null when the controller gave none
     * @param cause the underlying failure, or null
     */
    public ControllerUpgradeException(String message, UpgradeReport report, String controllerReason, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.report = report;
        this.controllerReason = controllerReason;
    }

    /** @return what the upgrade did before it stopped; empty when it stopped in preflight */
    public Optional<UpgradeReport> report() {
        return Optional.ofNullable(report);
    }

    /** @return the controller's own reason, when the controller refused or failed something */
    public Optional<String> controllerReason() {
        return Optional.ofNullable(controllerReason);
    }
}
