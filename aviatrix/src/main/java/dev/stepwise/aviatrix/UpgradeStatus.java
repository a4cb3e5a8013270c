package dev.stepwise.aviatrix;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a platform upgrade stands, from {@code platform_upgrade_status}.
 *
 * <p>Immutable and thread-safe.
 *
 * <p>A record, not a generated value: the client parses it from the controller's JSON, users only read it, and a step
 * output is journaled and read back by Jackson; its canonical constructor is public only because a record cannot
 * hide it, and it may gain components, so do not call it.
 *
 * <pre>{@code
 * UpgradeStatus s = client.upgradeStatus();
 * if (s.state() == UpgradeStatus.State.FAILED) {
 *     System.out.println(s.reason().orElse("no reason given"));
 * }
 * }</pre>
 *
 * @param inProgress {@code results.is_upgrade_in_progress}
 * @param state the state read from {@code results.platform_upgrade.results.status}
 * @param statusText that status as the controller wrote it
 * @param reason {@code .reason}, when the controller gave one
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
