package dev.stepwise.aws.patch;

import dev.stepwise.core.PlanValidationException;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Patch settings or a target specification break a rule; raised before any remote call, so nothing was sent or
 * changed. Every refused setting is listed, each naming the setting, the value and the rule, e.g.
 * {@code SnapshotId "abc" is not a GUID (8-4-4-4-12 hex digits)}; {@link #setting()}, {@link #value()} and
 * {@link #rule()} describe the first, {@link #violations()} all of them.
 *
 * <p>A {@link PlanValidationException}, so one {@code catch} serves every setting Stepwise refuses, patch or
 * otherwise. Immutable and thread-safe.
 *
 * <pre>{@code
 * try { PatchTargets.ids(aws, "i-12", "i-12"); }
 * catch (InvalidPatchSettingException e) { e.violations().forEach(v -> System.out.println(v.setting() + " " + v.rule())); }
 * }</pre>
 */
public class InvalidPatchSettingException extends PlanValidationException {
    private static final long serialVersionUID = 1L;
    private final List<Violation> violations;

    /**
     * One refused setting.
     *
     * @param setting the setting, e.g. {@code SnapshotId}
     * @param value   the value given, as text
     * @param rule    what the value must be, e.g. {@code is not a GUID (8-4-4-4-12 hex digits)}
     */
    public record Violation(String setting, String value, String rule) implements Serializable {
        public Violation {
            Objects.requireNonNull(setting, "setting");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(rule, "rule");
        }

        /** {@code setting "value" rule}. */
        @Override
        public String toString() {
            return setting + " \"" + value + "\" " + rule;
        }
    }

    /**
     * One refused setting.
     *
     * @param setting the setting, e.g. {@code SnapshotId}
     * @param value   the value given, as text
     * @param rule    what the value must be, e.g. {@code a GUID (8-4-4-4-12 hex digits)}
     */
    public InvalidPatchSettingException(String setting, String value, String rule) {
        this(List.of(new Violation(setting, value, rule)));
    }

    /**
     * Several refused settings, reported together.
     *
     * @param violations every refused setting, at least one
     */
    public InvalidPatchSettingException(List<Violation> violations) {
        super(violations.size() == 1 ? "Invalid patch setting" : "Invalid patch settings",
                violations.stream().map(Violation::toString).toList());
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("an InvalidPatchSettingException needs at least one violation");
        }
        this.violations = List.copyOf(violations);
    }

    /** Every refused setting, in the order found. */
    public List<Violation> violations() {
        return violations;
    }

    /** The first setting that was refused. */
    public String setting() {
        return violations.get(0).setting();
    }

    /** The value given for the first refused setting. */
    public String value() {
        return violations.get(0).value();
    }

    /** The rule the first refused setting broke. */
    public String rule() {
        return violations.get(0).rule();
    }
}
