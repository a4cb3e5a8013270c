package dev.stepwise.aviatrix;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.core.RestoredFailureException;
import dev.stepwise.core.StepwiseException;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * // through a run, also after a resume or from JSON:
 * ControllerUpgradeException.reportOf(catchStepFailure()).map(UpgradeReport::versionReached);
 * }</pre>
 *
 * <p>Its report and the controller's reason are its {@linkplain #details() details}: the runner journals them with
 * the failure, so a result read back from a journal or from JSON still offers them through {@link #reportOf}.
 */
public final class ControllerUpgradeException extends StepwiseException {

    private static final long serialVersionUID = 1L;
    private static final String REPORT = "report";
    private static final String CONTROLLER_REASON = "controllerReason";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

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

    /** The report and the controller's reason, as the journal records them with the failure. */
    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        if (report != null) {
            d.put(REPORT, report);
        }
        if (controllerReason != null) {
            d.put(CONTROLLER_REASON, controllerReason);
        }
        return d;
    }

    /**
     * The upgrade report carried by {@code failure} or any of its causes: a {@code ControllerUpgradeException}
     * thrown in this process, or one restored from a journal or JSON ({@link RestoredFailureException}), as
     * {@link dev.stepwise.core.run.RunResult#orThrow()} gives after a resume. Empty when none carries one.
     */
    public static Optional<UpgradeReport> reportOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ControllerUpgradeException e) {
                return e.report();
            }
            if (t instanceof RestoredFailureException r && ControllerUpgradeException.class.getName().equals(r.originalType())
                    && r.details().get(REPORT) != null) {
                return Optional.of(JSON.convertValue(r.details().get(REPORT), UpgradeReport.class));
            }
        }
        return Optional.empty();
    }
}
