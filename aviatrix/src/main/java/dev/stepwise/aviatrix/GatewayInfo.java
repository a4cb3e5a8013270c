package dev.stepwise.aviatrix;

import java.util.Objects;

/**
 * A gateway and the software it runs, from {@code get_gateway_info}.
 *
 * <p>Immutable and thread-safe.
 *
 * <p>A record, not a generated value: the client parses it from the controller's JSON, users only read it, and a step
 * output is journaled and read back by Jackson; its canonical constructor is public only because a record cannot
 * hide it, and it may gain components, so do not call it.
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
