package dev.stepwise.aviatrix;

import java.util.Objects;

/**
 * A gateway and the software it runs, from {@code get_gateway_info}.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * GatewayInfo gw = client.gateway("spoke-1");
 * gw.softwareVersion().equals(client.currentVersion());   // does it run the controller's version?
 * }</pre>
 *
 * @param name the gateway's name
 * @param softwareVersion {@code gw_software_version}
 * @param imageName {@code gw_image_name}, empty when not reported
 */
public record GatewayInfo(String name, ControllerVersion softwareVersion, String imageName) {

    /** Validates the parts. */
    public GatewayInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(softwareVersion, "softwareVersion");
        Objects.requireNonNull(imageName, "imageName");
    }
}
