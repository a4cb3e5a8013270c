package dev.stepwise.aviatrix;

/**
 * What an upgrade moves: the controller with all its gateways, or the controller alone.
 *
 * <pre>{@code
 * client.upgrade(ControllerVersion.parse("6.6"), UpgradeScope.CONTROLLER_ONLY);
 * }</pre>
 */
public enum UpgradeScope {
    /** Action {@code upgrade}: the controller, then every gateway, to the named version. */
    CONTROLLER_AND_GATEWAYS,
    /**
     * Action {@code upgrade_platform} with an empty {@code gateway_list}: the controller only. The
     * gateways must then be moved ({@link AviatrixClient#upgradeGateways}) before the next hop.
     */
    CONTROLLER_ONLY
}
