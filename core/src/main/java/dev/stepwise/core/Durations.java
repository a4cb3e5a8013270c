package dev.stepwise.core;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The longest duration any Stepwise setting accepts, {@link #MAX} (30 days), the check every configuration
 * value applies to its durations when it is built, and the two ways Stepwise shows a duration to people:
 * {@link #human} (rounded, for tables and timelines) and {@link #exact} (nothing rounded, for settings in messages).
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

    /**
     * {@code d} rounded for a table or a notice: {@code 850 ms}, {@code 12.3 s}, {@code 4 min 05 s},
     * {@code 2 h 03 min}, {@code 7 d 02 h}.
     */
    public static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = d.toSeconds();
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
        }
        return String.format(Locale.ROOT, "%d d %02d h", s / 86_400, (s % 86_400) / 3600);
    }

    /**
     * {@code d} exactly, for a setting named in a message: days, hours, minutes, seconds and milliseconds with
     * zero parts left out ({@code 1 min 30 s}); a negative duration or one with a sub-millisecond part keeps its
     * ISO form, so nothing shown is rounded.
     */
    public static String exact(Duration d) {
        if (d.isZero()) {
            return "0 s";
        }
        if (d.isNegative() || d.getNano() % 1_000_000 != 0) {
            return d.toString();
        }
        StringBuilder b = new StringBuilder();
        part(b, d.toDaysPart(), "d");
        part(b, d.toHoursPart(), "h");
        part(b, d.toMinutesPart(), "min");
        part(b, d.toSecondsPart(), "s");
        part(b, d.toMillisPart(), "ms");
        return b.toString();
    }

    private static void part(StringBuilder b, long value, String unit) {
        if (value != 0) {
            b.append(b.length() == 0 ? "" : " ").append(value).append(' ').append(unit);
        }
    }
}
