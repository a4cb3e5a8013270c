package dev.stepwise.aws.patch;

import java.util.Arrays;
import java.util.Objects;

/**
 * {@code AWS-RunPatchBaseline}'s {@code RebootOption}: whether an Install reboots the instance when it installed
 * something. Immutable.
 *
 * <pre>{@code
 * RebootOption.parse("NoReboot");  // NO_REBOOT
 * }</pre>
 */
public enum RebootOption {
    /** {@code RebootIfNeeded} (the document's default): reboots after installing; the rescan must show no pending reboot. */
    REBOOT_IF_NEEDED("RebootIfNeeded"),
    /** {@code NoReboot}: patches stay {@code INSTALLED_PENDING_REBOOT} until a reboot and a new scan; reported, not failed. */
    NO_REBOOT("NoReboot");

    private final String wireName;

    RebootOption(String wireName) {
        this.wireName = wireName;
    }

    /** The value AWS-RunPatchBaseline takes. */
    public String wireName() {
        return wireName;
    }

    /**
     * The option spelt as AWS-RunPatchBaseline spells it.
     *
     * @throws InvalidPatchSettingException unless {@code value} is {@code RebootIfNeeded} or {@code NoReboot}
     */
    public static RebootOption parse(String value) {
        Objects.requireNonNull(value, "RebootOption");
        return Arrays.stream(values()).filter(o -> o.wireName.equals(value)).findFirst().orElseThrow(() ->
                new InvalidPatchSettingException("RebootOption", value, "is not one of RebootIfNeeded, NoReboot"));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
