package dev.stepwise.aviatrix;

import java.util.Objects;

/**
 * The controller's era has no publicly documented form of the requested capability (for example any 8.x upgrade,
 * or listing gateways before 6.5), so Stepwise refuses it instead of guessing. Raised before any call that could
 * change the controller.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * <pre>{@code
 * try {
 *     client.upgrade(ControllerVersion.parse("8.1"), UpgradeScope.CONTROLLER_AND_GATEWAYS);
 * } catch (UnsupportedEraException e) {
 *     e.era();          // ControllerEra.V8
 *     e.capability();   // "upgrade"
 * }
 * }</pre>
 */
public final class UnsupportedEraException extends AviatrixException {

    private static final long serialVersionUID = 1L;

    private final ControllerEra era;
    private final String capability;

    /**
     * @param era the controller's era
     * @param capability what was asked, e.g. {@code "upgrade"}
     * @param gap what no public source settles, for the message
     */
    UnsupportedEraException(ControllerEra era, String capability, String gap) {
        super(capability, "Controller era " + Objects.requireNonNull(era, "era").versions() + " has no documented "
                + Objects.requireNonNull(capability, "capability") + ": " + gap + ". Stepwise refuses rather than "
                + "guesses; nothing was changed", null);
        this.era = era;
        this.capability = capability;
    }

    /** @return the controller's era */
    public ControllerEra era() {
        return era;
    }

    /** @return what was asked, e.g. {@code "upgrade"} */
    public String capability() {
        return capability;
    }
}
