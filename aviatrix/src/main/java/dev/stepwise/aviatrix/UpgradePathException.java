package dev.stepwise.aviatrix;

import dev.stepwise.core.PlanValidationException;
import java.util.List;
import java.util.Objects;

/**
 * Thrown when the release rules or the release train do not allow a path from the current version
 * to the target, before anything runs.
 *
 * <p>{@link #kind()} says which rule refused the path; the message names the versions and the rule. A
 * {@link PlanValidationException}, so one {@code catch} serves a refused path and every other setting
 * Stepwise refuses. Instances are immutable and thread-safe.
 *
 * <pre>{@code
 * try {
 *     UpgradePath.of("6.7", "6.5", "6.5", "6.6", "6.7");
 * } catch (UpgradePathException e) {
 *     e.kind();      // DOWNGRADE
 * }
 * }</pre>
 */
public final class UpgradePathException extends PlanValidationException {

    private static final long serialVersionUID = 1L;

    /** Why a path was refused. */
    public enum Kind {
        /** The target is older than the current version; a controller cannot be rolled back. */
        DOWNGRADE,
        /** The target (or the controller's "latest") is not in the release train. */
        UNKNOWN_TARGET,
        /** The release train misses a release that the rules require on the way. */
        GAP_IN_TRAIN
    }

    private final Kind kind;

    /**
     * @param kind the rule that refused the path
     * @param problem what was refused and why, e.g. {@code target 6.5 is older than the current version 6.7}; the
     *     message is {@code "UpgradePath: " + problem}
     */
    public UpgradePathException(Kind kind, String problem) {
        super("UpgradePath", List.of(Objects.requireNonNull(problem, "problem")));
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** @return the rule that refused the path */
    public Kind kind() {
        return kind;
    }
}
