package dev.stepwise.aws.testkit;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * One patch in an instance's scripted inventory, as {@code DescribeInstancePatches} shows it.
 *
 * <p>Defaults: title {@code "<id> update"}, classification {@code SecurityUpdates}, severity
 * {@code Important}, no CVE ids, no install time. Immutable and thread-safe.
 *
 * <pre>{@code
 * proxy.scenario().patches("i-0123456789abcdef0",
 *     Patch.missing("KB5031356").withSeverity("Critical"),
 *     Patch.installed("KB5030214"));
 * }</pre>
 *
 * @param kbId           the patch id ({@code KBId}), such as {@code KB5031356} or {@code openssl.x86_64}
 * @param title          the title
 * @param classification such as {@code SecurityUpdates}, {@code CriticalUpdates}, {@code Updates}
 * @param severity       such as {@code Critical}, {@code Important}, {@code Moderate}
 * @param state          the compliance state
 * @param installedTime  when it was installed, if it was
 * @param cveIds         comma-separated CVE ids, or empty
 * @param releaseDate    when the patch was released (UTC date), if the scenario says: an Install whose
 *                       {@code BaselineOverride} approves only up to an earlier {@code ApproveUntilDate} does not install
 *                       it; a patch without one is approved by any approval rule
 */
public record Patch(String kbId, String title, String classification, String severity, State state,
                    Optional<Instant> installedTime, String cveIds, Optional<LocalDate> releaseDate) {

    /** A patch's compliance state, with SSM's spelling. */
    public enum State {
        /** {@code INSTALLED}. */
        INSTALLED,
        /** {@code INSTALLED_OTHER}. */
        INSTALLED_OTHER,
        /** {@code INSTALLED_PENDING_REBOOT}. */
        INSTALLED_PENDING_REBOOT,
        /** {@code INSTALLED_REJECTED}. */
        INSTALLED_REJECTED,
        /** {@code MISSING}. */
        MISSING,
        /** {@code NOT_APPLICABLE}. */
        NOT_APPLICABLE,
        /** {@code FAILED}: an install that failed; an {@code Install} operation leaves it failed. */
        FAILED,
        /** {@code AVAILABLE_SECURITY_UPDATE}. */
        AVAILABLE_SECURITY_UPDATE
    }

    /**
     * Checks that the id is not blank and no component is null.
     *
     * @param kbId the patch id
     * @param title the title
     * @param classification the classification
     * @param severity the severity
     * @param state the compliance state
     * @param installedTime when it was installed
     * @param cveIds comma-separated CVE ids
     * @param releaseDate when it was released, if known
     */
    public Patch {
        Objects.requireNonNull(kbId, "kbId");
        if (kbId.isBlank()) {
            throw new IllegalArgumentException("KBId \"" + kbId + "\" is blank; it must name the patch");
        }
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(classification, "classification");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(installedTime, "installedTime");
        Objects.requireNonNull(cveIds, "cveIds");
        Objects.requireNonNull(releaseDate, "releaseDate");
    }

    /** The patch with defaults but for the fields given; no release date. */
    public Patch(String kbId, String title, String classification, String severity, State state,
            Optional<Instant> installedTime, String cveIds) {
        this(kbId, title, classification, severity, state, installedTime, cveIds, Optional.empty());
    }

    /**
     * @param value the UTC date the patch was released
     * @return a copy
     */
    public Patch withReleaseDate(LocalDate value) {
        return new Patch(kbId, title, classification, severity, state, installedTime, cveIds, Optional.of(value));
    }

    /**
     * @param kbId the patch id
     * @param state its state
     * @return a patch with the defaults
     */
    public static Patch of(String kbId, State state) {
        return new Patch(kbId, kbId + " update", "SecurityUpdates", "Important", state, Optional.empty(), "");
    }

    /**
     * @param kbId the patch id
     * @return a missing patch
     */
    public static Patch missing(String kbId) {
        return of(kbId, State.MISSING);
    }

    /**
     * @param kbId the patch id
     * @return an installed patch (install time unknown)
     */
    public static Patch installed(String kbId) {
        return of(kbId, State.INSTALLED);
    }

    /**
     * @param value the title
     * @return a copy
     */
    public Patch withTitle(String value) {
        return new Patch(kbId, value, classification, severity, state, installedTime, cveIds, releaseDate);
    }

    /**
     * @param value the classification
     * @return a copy
     */
    public Patch withClassification(String value) {
        return new Patch(kbId, title, value, severity, state, installedTime, cveIds, releaseDate);
    }

    /**
     * @param value the severity
     * @return a copy
     */
    public Patch withSeverity(String value) {
        return new Patch(kbId, title, classification, value, state, installedTime, cveIds, releaseDate);
    }

    /**
     * @param value comma-separated CVE ids
     * @return a copy
     */
    public Patch withCveIds(String value) {
        return new Patch(kbId, title, classification, severity, state, installedTime, value, releaseDate);
    }

    /**
     * @param value the new state
     * @param at when it changed, for installed states
     * @return a copy
     */
    public Patch withState(State value, Instant at) {
        return new Patch(kbId, title, classification, severity, value, Optional.ofNullable(at).or(() -> installedTime), cveIds, releaseDate);
    }
}
