package dev.stepwise.core;

import java.time.Duration;
import java.util.List;

/**
 * The longest duration any Stepwise setting accepts, {@link #MAX} (30 days), and the check every configuration
 * value applies to its durations when it is built.
 *
 * <p>Why a maximum: a run adds settings to instants, multiplies delays and turns durations into nanoseconds while
 * it waits; a setting of {@code Long.MAX_VALUE} seconds would overflow that arithmetic after an action has already
 * started. Refusing it when the value is built means nothing can overflow later. Thirty days is far beyond any
 * wait a maintenance run needs and far below every overflow ({@code Duration.toNanos()} holds 292 years).
 * {@code dev.stepwise.core.poll.Poll.MAX_DURATION} is the same 30 days. Stateless and thread-safe.
 *
 * <pre>{@code
 * List<String> problems = new ArrayList<>();
 * Durations.checkPositive("timeout", Duration.ofSeconds(Long.MAX_VALUE), problems);
 * // problems: ["timeout PT2562047788015215H30M7S must be at most PT720H (30 days)"]
 * }</pre>
 */
public final class Durations {
    /** The longest duration a setting accepts: 30 days. */
    public static final Duration MAX = Duration.ofDays(30);

    private Durations() {
    }

    /**
     * Adds a sentence to {@code problems} unless {@code value} is more than zero and at most {@link #MAX}.
     *
     * @param field the setting's name, as the sentence starts
     */
    public static void checkPositive(String field, Duration value, List<String> problems) {
        if (value.isZero() || value.isNegative()) {
            problems.add(field + " " + value + " must be positive");
        } else {
            checkAtMostMax(field, value, problems);
        }
    }

    /**
     * Adds a sentence to {@code problems} unless {@code value} is zero or more and at most {@link #MAX}.
     *
     * @param field the setting's name, as the sentence starts
     */
    public static void checkNotNegative(String field, Duration value, List<String> problems) {
        if (value.isNegative()) {
            problems.add(field + " " + value + " must not be negative");
        } else {
            checkAtMostMax(field, value, problems);
        }
    }

    private static void checkAtMostMax(String field, Duration value, List<String> problems) {
        if (value.compareTo(MAX) > 0) {
            problems.add(field + " " + value + " must be at most " + MAX + " (30 days)");
        }
    }
}
