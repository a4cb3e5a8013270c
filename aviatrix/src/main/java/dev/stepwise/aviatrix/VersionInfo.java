package dev.stepwise.aviatrix;

import java.util.Objects;
import java.util.Optional;

/**
 * The controller's versions, from {@code list_version_info}.
 *
 * <p>{@code latest} is present only when asked for ({@link AviatrixClient#versionInfo(boolean)} with
 * {@code true}); {@code previous} is empty on a controller that was never upgraded. Immutable and
 * thread-safe.
 *
 * <p>A record, not a generated value: the client parses it from the controller's JSON, users only read it, and a step
 * output is journaled and read back by Jackson; its canonical constructor is public only because a record cannot
 * hide it, and it may gain components, so do not call it.
 *
 * <pre>{@code
 * VersionInfo info = client.versionInfo(true);
 * info.current();   // 6.5.2608
 * info.latest();    // Optional[7.1.1794]
 * }</pre>
 *
 * @param current the version the controller runs
 * @param previous the version it ran before its last upgrade
 * @param latest the newest version it can upgrade to, as it reports it
 */
public record VersionInfo(ControllerVersion current, Optional<ControllerVersion> previous,
        Optional<ControllerVersion> latest) {

    /** Validates the parts. */
    public VersionInfo {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(latest, "latest");
    }
}
