package dev.stepwise.aviatrix;

import java.util.Objects;
import java.util.Optional;

/**
 * Where an upgrade stands: from {@code platform_upgrade_status} (7.1+), {@code check_upgrade_status} (6.5–7.0), or
 * the version the controller reports where no progress call exists (see
 * {@link AviatrixClient#upgradeStatus(UpgradeStart)}).
 *
 * <p>Immutable and thread-safe.
 *
 * <p>A record, not a generated value: the client parses it from the controller's JSON, users only read it, and a step
 * output is journaled and read back by Jackson; its canonical constructor is public only because a record cannot
 * hide it, and it may gain components, so do not call it.
 *
 * <pre>{@code
 * UpgradeStatus s = client.upgradeStatus(start);
 * if (s.state() == UpgradeStatus.State.FAILED) {
 *     System.out.println(s.reason().orElse("no reason given"));
 * }
 * }</pre>
 *
 * @param inProgress whether the upgrade still runs ({@code results.is_upgrade_in_progress}, {@code done:false}, or
 *     the old version still reported)
 * @param state the state read from the answer
 * @param statusText that status as the controller wrote it (or a description of the version read)
 * @param reason the controller's reason when it gave one ({@code reason}, {@code progmsg}, {@code msg}, or a
 *     {@code result} starting with {@code Error})
 */
public record UpgradeStatus(boolean inProgress, State state, String statusText, Optional<String> reason) {

    /** The states the controller reports. */
    public enum State {
        /** {@code "complete"} and no upgrade in progress. */
        COMPLETE,
        /** {@code "in progress"}, or {@code is_upgrade_in_progress} is true. */
        IN_PROGRESS,
        /** Any other status: the upgrade failed, see {@link UpgradeStatus#reason()}. */
        FAILED
    }

    /** Validates the parts. */
    public UpgradeStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(statusText, "statusText");
        Objects.requireNonNull(reason, "reason");
    }
}
