package dev.stepwise.aviatrix;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Objects;
import java.util.Optional;

/**
 * A gateway and the software it runs, from {@code list_vpcs_summary} (6.5+ [G]): a primary gateway's
 * {@code vpc_name}, {@code gw_software_version} and {@code gw_image_name}, or its HA gateway's, read from
 * {@code hagw_details}.
 *
 * <p>Immutable and thread-safe. A record the client makes; its canonical constructor is public only because a
 * record cannot hide it, and it may gain components, so do not call it.
 *
 * <pre>{@code
 * for (GatewayInfo gw : client.gateways()) {
 *     gw.softwareVersion().equals(client.currentVersion());   // does it run the controller's version?
 * }
 * }</pre>
 *
 * @param name the gateway's name
 * @param softwareVersion {@code gw_software_version}
 * @param imageName {@code gw_image_name}, empty when not reported
 * @param primary for an HA gateway, the name of its primary; empty for a primary gateway (a String, not an
 *     Optional, so that the record journals as plain JSON)
 */
public record GatewayInfo(String name, ControllerVersion softwareVersion, String imageName, String primary) {

    /** Validates the parts. */
    public GatewayInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(softwareVersion, "softwareVersion");
        Objects.requireNonNull(imageName, "imageName");
        Objects.requireNonNull(primary, "primary");
    }

    /** @return whether this is an HA gateway */
    @JsonIgnore
    public boolean isHa() {
        return !primary.isEmpty();
    }

    /** @return for an HA gateway, the name of its primary */
    @JsonIgnore
    public Optional<String> haOf() {
        return primary.isEmpty() ? Optional.empty() : Optional.of(primary);
    }
}
