package dev.stepwise.aws.patch;

import dev.stepwise.core.StepwiseException;
import java.util.Objects;

/**
 * A patch setting or target specification breaks a rule; raised before any remote call, so nothing was sent or
 * changed. The message names the setting, the value and the rule, e.g.
 * {@code SnapshotId "abc" is not a GUID (8-4-4-4-12 hex digits)}.
 *
 * <pre>{@code
 * try { PatchTargets.ids(aws, "i-12"); }
 * catch (InvalidPatchSettingException e) { System.out.println(e.setting() + " " + e.value() + " " + e.rule()); }
 * }</pre>
 */
public class InvalidPatchSettingException extends StepwiseException {
    private static final long serialVersionUID = 1L;
    private final String setting;
    private final String value;
    private final String rule;

    /**
     * @param setting the setting, e.g. {@code SnapshotId}
     * @param value   the value given, as text
     * @param rule    what the value must be, e.g. {@code a GUID (8-4-4-4-12 hex digits)}
     */
    public InvalidPatchSettingException(String setting, String value, String rule) {
        super(setting + " \"" + value + "\" " + Objects.requireNonNull(rule, "rule"));
        this.setting = setting;
        this.value = value;
        this.rule = rule;
    }

    /** The setting that was refused. */
    public String setting() {
        return setting;
    }

    /** The value given. */
    public String value() {
        return value;
    }

    /** The rule it broke. */
    public String rule() {
        return rule;
    }
}
