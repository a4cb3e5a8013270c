package dev.stepwise.aviatrix;

/**
 * What an upgrade moves: the controller with all its gateways, or the controller alone.
 *
 * <pre>{@code
 * client.upgrade(ControllerVersion.parse("6.6"), UpgradeScope.CONTROLLER_ONLY);
 * }</pre>
 */
public enum UpgradeScope {
    /**
     * Action {@code upgrade} (or {@code userconnect_release} up to 3.2): the controller, then every gateway, to the
     * named version.
     */
    CONTROLLER_AND_GATEWAYS,
    /**
     * Action {@code upgrade_platform} with an empty {@code gateway_list}: the controller only. The
     * gateways must then be moved ({@link AviatrixClient#upgradeGateway}) before the next hop. From 6.5 only; from
     * 7.1 {@code version} is sent too.
     */
    CONTROLLER_ONLY
}
