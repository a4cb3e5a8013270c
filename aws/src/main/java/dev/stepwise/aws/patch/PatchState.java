package dev.stepwise.aws.patch;

/**
 * A patch's compliance state on one instance, as {@code DescribeInstancePatches} reports it. Immutable.
 *
 * <pre>{@code
 * compliance.patches(PatchState.MISSING);
 * }</pre>
 */
public enum PatchState {
    /** Installed. */
    INSTALLED,
    /** Installed, though not approved by the baseline. */
    INSTALLED_OTHER,
    /** Installed; the instance needs a reboot for it to take effect. */
    INSTALLED_PENDING_REBOOT,
    /** Installed, though the baseline rejects it. */
    INSTALLED_REJECTED,
    /** Approved by the baseline and not installed: what an Install would install. */
    MISSING,
    /** Does not apply to the instance. */
    NOT_APPLICABLE,
    /** An install that failed. */
    FAILED,
    /** A security update available but not approved. */
    AVAILABLE_SECURITY_UPDATE,
    /** A state this version of Stepwise does not know. */
    UNKNOWN;

    /** The state spelt as SSM spells it; {@link #UNKNOWN} for anything else. */
    public static PatchState parse(String value) {
        for (PatchState s : values()) {
            if (s.name().equals(value)) {
                return s;
            }
        }
        return UNKNOWN;
    }
}
