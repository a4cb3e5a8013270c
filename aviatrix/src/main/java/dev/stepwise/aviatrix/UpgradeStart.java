package dev.stepwise.aviatrix;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link AviatrixClient#upgrade(ControllerVersion, UpgradeScope)} learned when it asked the controller to
 * upgrade; give it to {@link AviatrixClient#upgradeStatus(UpgradeStart)} to follow the upgrade.
 *
 * <p>Immutable and thread-safe. A record the client makes; its canonical constructor is public only because a
 * record cannot hide it, and it may gain components, so do not call it.
 *
 * <pre>{@code
 * UpgradeStart start = client.upgrade(ControllerVersion.parse("6.6"), UpgradeScope.CONTROLLER_AND_GATEWAYS);
 * start.state();       // STARTED, COMPLETED (3.3–6.4 upgrade synchronously) or UNCONFIRMED
 * start.requestId();   // Optional[1001] on 6.5–7.0
 * }</pre>
 *
 * @param era the era whose protocol was spoken
 * @param target the version asked for
 * @param scope what moves
 * @param state what the controller's answer said
 * @param requestId the id to poll with ({@code check_upgrade_status} on 6.5–7.0), when the controller gave one
 * @param detail what the answer was, for messages and logs
 */
public record UpgradeStart(ControllerEra era, ControllerVersion target, UpgradeScope scope, State state,
        Optional<String> requestId, String detail) {

    /** What the answer to the start said. */
    public enum State {
        /** The controller accepted the upgrade and runs it in the background (6.5–7.x) or gave no answer to read (3.0–3.2). */
        STARTED,
        /** The controller finished the upgrade before answering (3.3–6.4, synchronous). */
        COMPLETED,
        /**
         * The answer was lost (a 502/503 page, a dropped connection or a timeout) or said another upgrade is active:
         * the start was never sent again, and the upgrade is followed by reading the controller's progress and
         * version.
         */
        UNCONFIRMED
    }

    /** Validates the parts. */
    public UpgradeStart {
        Objects.requireNonNull(era, "era");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(detail, "detail");
    }
}
