package dev.stepwise.core.rollout;

import dev.stepwise.core.Durations;
import dev.stepwise.core.PlanValidationException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * When targets may be changed, evaluated on the rollout's clock: open at an instant or not, and when it next
 * opens. Windows are half-open: open at their start, closed at their end.
 *
 * <p>Recurring windows are local times in a zone, so they follow daylight-saving changes. Implement the
 * interface for calendars of your own. A window that can never open (no day, a length of zero or over a day, an
 * end not after its start) or that is longer than {@link Durations#MAX} is refused with a
 * {@link PlanValidationException} listing every problem. Implementations must be immutable and thread-safe.
 *
 * <p>Written by hand rather than generated like Stepwise's other values: it is an interface users implement, and
 * its factories ({@code daily}, {@code weekly}, {@code between}) read better than a builder for values of three or
 * four fields, each given every time.
 *
 * <pre>{@code
 * MaintenanceWindow.daily(LocalTime.of(2, 0), Duration.ofHours(3), ZoneId.of("Europe/Berlin"))
 * MaintenanceWindow.weekly(DayOfWeek.SATURDAY, LocalTime.of(22, 0), Duration.ofHours(6), ZoneOffset.UTC)
 * }</pre>
 */
public interface MaintenanceWindow {

    /** Whether the window is open at {@code at}. */
    boolean isOpen(Instant at);

    /** {@code at} if open then, else when the window next opens after {@code at}; empty if never again. */
    Optional<Instant> nextOpening(Instant at);

    /** What the window is, for people. */
    String description();

    /** Open every day from {@code start} for {@code length} (more than zero, at most a day), local to {@code zone}. */
    static MaintenanceWindow daily(LocalTime start, Duration length, ZoneId zone) {
        return new Recurring(EnumSet.allOf(DayOfWeek.class), start, length, zone);
    }

    /** Open each {@code day} from {@code start} for {@code length} (more than zero, at most a day), in {@code zone}. */
    static MaintenanceWindow weekly(DayOfWeek day, LocalTime start, Duration length, ZoneId zone) {
        return new Recurring(EnumSet.of(Objects.requireNonNull(day, "day")), start, length, zone);
    }

    /** Open once, from {@code from} (inclusive) to {@code to} (exclusive), at most {@link Durations#MAX} later. */
    static MaintenanceWindow between(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!to.isAfter(from)) {
            throw new PlanValidationException("MaintenanceWindow", List.of("end " + to + " must be after its start " + from));
        }
        List<String> problems = new ArrayList<>();
        Durations.checkPositive("length", Duration.between(from, to), problems);
        if (!problems.isEmpty()) {
            throw new PlanValidationException("MaintenanceWindow", List.of(problems.get(0) + ": from " + from
                    + " to " + to + " is too long for a maintenance window"));
        }
        return new MaintenanceWindow() {
            @Override
            public boolean isOpen(Instant at) {
                return !at.isBefore(from) && at.isBefore(to);
            }

            @Override
            public Optional<Instant> nextOpening(Instant at) {
                return isOpen(at) ? Optional.of(at) : at.isBefore(from) ? Optional.of(from) : Optional.empty();
            }

            @Override
            public String description() {
                return from + " to " + to;
            }

            @Override
            public String toString() {
                return "MaintenanceWindow{" + description() + "}";
            }
        };
    }

    /** A window opening on some days of the week at a local time. */
    record Recurring(Set<DayOfWeek> days, LocalTime start, Duration length, ZoneId zone) implements MaintenanceWindow {
        public Recurring {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(length, "length");
            Objects.requireNonNull(zone, "zone");
            days = Set.copyOf(Objects.requireNonNull(days, "days"));
            List<String> problems = new ArrayList<>();
            if (days.isEmpty()) {
                problems.add("days [] must name at least one day");
            }
            if (length.isZero() || length.isNegative() || length.compareTo(Duration.ofDays(1)) > 0) {
                problems.add("length " + length + " must be more than zero and at most 1 day");
            }
            if (!problems.isEmpty()) {
                throw new PlanValidationException("MaintenanceWindow", problems);
            }
        }

        @Override
        public boolean isOpen(Instant at) {
            LocalDate d = at.atZone(zone).toLocalDate();
            for (int i = -1; i <= 0; i++) {
                Instant open = opening(d.plusDays(i));
                if (open != null && !at.isBefore(open) && at.isBefore(open.plus(length))) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public Optional<Instant> nextOpening(Instant at) {
            if (isOpen(at)) {
                return Optional.of(at);
            }
            LocalDate d = at.atZone(zone).toLocalDate();
            for (int i = 0; i <= 8; i++) {
                Instant open = opening(d.plusDays(i));
                if (open != null && open.isAfter(at)) {
                    return Optional.of(open);
                }
            }
            return Optional.empty();
        }

        private Instant opening(LocalDate date) {
            return days.contains(date.getDayOfWeek()) ? ZonedDateTime.of(date, start, zone).toInstant() : null;
        }

        @Override
        public String description() {
            String when = days.size() == 7 ? "daily" : days.stream().sorted().map(d -> d.name().substring(0, 3))
                    .reduce((a, b) -> a + "," + b).orElse("");
            return when + " " + start + " for " + length + " " + zone;
        }

        @Override
        public String toString() {
            return "MaintenanceWindow{" + description() + "}";
        }
    }
}
