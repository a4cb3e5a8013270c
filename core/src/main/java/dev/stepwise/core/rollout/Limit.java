package dev.stepwise.core.rollout;

import dev.stepwise.core.PlanValidationException;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.immutables.value.Value;

/**
 * A wave's {@code maxConcurrency} or {@code maxErrors}: an absolute number ({@code 10}) or a percentage of the
 * wave's targets ({@code "10%"}), turned into a number when the wave starts and its targets are known.
 *
 * <p>The rounding rules, exact and tested:
 * <ul>
 *   <li>{@link #concurrencyFor(int) concurrency}: a percentage rounds <em>up</em> ({@code ceil(n * p / 100)}),
 *       so a small wave still makes progress; an absolute number is used as given. Either way the result is at
 *       least 1 and at most the number of targets (0 for a wave of no targets).
 *       {@code "50%"} of 5 targets is 3; {@code "1%"} of 10 is 1; {@code 10} of 4 is 4.</li>
 *   <li>{@link #errorsFor(int) errors}: a percentage rounds <em>down</em> ({@code floor(n * p / 100)}), so the
 *       budget never allows more failures than the percentage says; an absolute number is used as given.
 *       {@code "10%"} of 25 targets is 2; {@code "10%"} of 9 is 0 (the first failure halts the wave).</li>
 * </ul>
 * This follows AWS Systems Manager's rate controls for percentages of targets.
 *
 * <p>A value out of range is refused with a {@link PlanValidationException} naming it and the rule. Immutable and
 * thread-safe; equal when number and kind are equal.
 *
 * <pre>{@code
 * Limit.parse("10%").errorsFor(25);       // 2
 * Limit.parse("50%").concurrencyFor(5);   // 3
 * Limit.of(10).concurrencyFor(4);         // 4
 * }</pre>
 */
@Value.Immutable
public abstract class Limit {
    private static final Pattern NUMBER = Pattern.compile("\\d{1,9}");
    private static final Pattern PERCENT = Pattern.compile("(\\d{1,9})%");

    Limit() {
    }

    /**
     * An absolute number of targets.
     *
     * @throws PlanValidationException if {@code count} is negative
     */
    public static Limit of(int count) {
        return ImmutableLimit.of(count, false);
    }

    /**
     * A percentage of the wave's targets.
     *
     * @throws PlanValidationException unless {@code percent} is 0 to 100
     */
    public static Limit percent(int percent) {
        return ImmutableLimit.of(percent, true);
    }

    /**
     * Parses {@code "10"} or {@code "10%"}.
     *
     * @throws PlanValidationException if {@code text} is neither, or a percentage over 100
     */
    public static Limit parse(String text) {
        Objects.requireNonNull(text, "limit");
        String problem = problem("limit", text);
        if (problem != null) {
            throw invalid(problem);
        }
        return parsed(text);
    }

    /** The number or the percentage as given. */
    @Value.Parameter
    public abstract int value();

    /** Whether this is a percentage of the wave's targets. */
    @Value.Parameter
    public abstract boolean isPercentage();

    @Value.Check
    void check() {
        if (isPercentage() && (value() < 0 || value() > 100)) {
            throw invalid("limit " + value() + "% must be between 0% and 100%");
        }
        if (!isPercentage() && value() < 0) {
            throw invalid("limit " + value() + " must not be negative");
        }
    }

    /** What is wrong with {@code text} as the limit {@code field}, or null if it parses. */
    static String problem(String field, String text) {
        String t = text.strip();
        if (NUMBER.matcher(t).matches()) {
            return null;
        }
        Matcher m = PERCENT.matcher(t);
        if (m.matches()) {
            return Integer.parseInt(m.group(1)) <= 100 ? null : field + " \"" + text + "\" is over 100%: a percentage "
                    + "of a wave's targets must be between 0% and 100%";
        }
        return field + " \"" + text + "\" is neither a whole number of targets (e.g. 10) nor a percentage of the "
                + "wave's targets (e.g. 10%)";
    }

    /** {@code text}, which {@link #problem} accepted. */
    static Limit parsed(String text) {
        String t = text.strip();
        Matcher m = PERCENT.matcher(t);
        return m.matches() ? percent(Integer.parseInt(m.group(1))) : of(Integer.parseInt(t));
    }

    private static PlanValidationException invalid(String problem) {
        return new PlanValidationException("Limit", List.of(problem));
    }

    /** The in-flight limit for a wave of {@code targets}: percentages round up; at least 1, at most {@code targets}. */
    public int concurrencyFor(int targets) {
        requireTargets(targets);
        if (targets == 0) {
            return 0;
        }
        long n = isPercentage() ? ((long) targets * value() + 99) / 100 : value();
        return (int) Math.max(1, Math.min(n, targets));
    }

    /** The error budget for a wave of {@code targets}: percentages round down; absolute numbers as given. */
    public int errorsFor(int targets) {
        requireTargets(targets);
        return isPercentage() ? (int) ((long) targets * value() / 100) : value();
    }

    private static void requireTargets(int targets) {
        if (targets < 0) {
            throw invalid("targets " + targets + " must not be negative");
        }
    }

    /** {@code "10"} or {@code "10%"}. */
    @Override
    public String toString() {
        return isPercentage() ? value() + "%" : String.valueOf(value());
    }
}
