package dev.stepwise.core.poll;

import java.time.Duration;

/** Durations as people read them ("1 min 30 s") in descriptions and messages. */
final class DurationText {

    private DurationText() {
    }

    /**
     * {@code d} in days, hours, minutes, seconds and milliseconds, zero parts left out; a duration with a
     * sub-millisecond part keeps its exact ISO form, so nothing shown is rounded.
     */
    static String of(Duration d) {
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
