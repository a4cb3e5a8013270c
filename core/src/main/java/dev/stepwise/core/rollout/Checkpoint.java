package dev.stepwise.core.rollout;

import dev.stepwise.core.Durations;
import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.notify.Announcement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Something a rollout passes before a wave starts: a soak period, a gate, a manual approval, a maintenance
 * window or an announcement. Added with {@link Rollout.Builder#soak}, {@link Rollout.Builder#gate},
 * {@link Rollout.Builder#approval}, {@link Rollout.Builder#window} and {@link Rollout.Builder#announce}; they hold back the next wave added to the builder and run in the order
 * added. In a dry run they are shown, not evaluated. A checkpoint that cannot work (a negative soak or one over
 * {@link Durations#MAX}, a gate without a description) is refused when it is made, with a
 * {@link PlanValidationException}. Immutable and thread-safe.
 *
 * <p>Written by hand as a sealed family of records, not generated like Stepwise's other values: the engine tells
 * the kinds apart by type, and each record has one or two fields set by one {@link Rollout.Builder} method, so a
 * builder would add nothing. {@link Approval}, which has settings of its own, is generated and has a builder.
 *
 * <pre>{@code
 * Rollout.builder("patch-fleet", plan).
 *     wave(nonProd).
 *     soak(Duration.ofDays(7)).
 *     gate("every non-production target succeeded", r -> r.wave("non-production").allSucceeded()).
 *     wave(prod).
 *     build();
 * }</pre>
 */
public sealed interface Checkpoint permits Checkpoint.Soak, Checkpoint.WatchedSoak, Checkpoint.Gate,
        Checkpoint.Window, Approval, Checkpoint.Notify {

    /** The kinds of checkpoint. */
    enum Kind { SOAK, GATE, APPROVAL, WINDOW, NOTIFY }

    /** What kind it is. */
    Kind kind();

    /** What it is, for people. */
    String description();

    /**
     * Wait {@code duration} on the rollout's clock before the next wave.
     *
     * @param duration how long; zero or more
     */
    record Soak(Duration duration) implements Checkpoint {
        public Soak {
            Objects.requireNonNull(duration, "soak");
            List<String> problems = new ArrayList<>();
            Durations.checkNotNegative("soak", duration, problems);
            if (!problems.isEmpty()) {
                throw new PlanValidationException("Soak", problems);
            }
        }

        @Override
        public Kind kind() {
            return Kind.SOAK;
        }

        @Override
        public String description() {
            return Durations.human(duration);
        }
    }

    /**
     * Wait {@code duration} on the rollout's clock before the next wave, and watch the rollout's health meanwhile:
     * every {@code every} from the soak's start (and once more at its end) the engine evaluates {@code watch} over the
     * result so far; the first verdict that does not hold halts the rollout before the next wave, naming the watch
     * and when it failed. So an alarm that fires on day 2 and clears by day 4 of a 7-day soak still halts it.
     *
     * <p>Each verdict is journaled as it is made ({@code JournalEntry.SoakWatched}): a resume recalls them and never
     * evaluates a past watch again. A parked rollout's {@code resumeAt} is the next watch time, so a job that resumes
     * it then keeps the watch on schedule; a rollout resumed later than a watch time evaluates the watch once, at the
     * resume, and goes on from the next watch time after it (missed watch times are not evaluated in retrospect: the
     * health then is not knowable now). A watch that throws counts as failing. In a dry run nothing is evaluated.
     *
     * <p>Its {@link #kind()} is {@link Kind#SOAK}: it is a soak to renderers and to a resume's structure check. An
     * engine that does not know watched soaks must refuse it rather than sleep through it unwatched.
     *
     * @param duration    how long; zero or more, at most {@link Durations#MAX}
     * @param every       how often to watch; more than zero, at most {@code duration} (a zero soak watches once)
     * @param watched     what the watch checks, for people, e.g. "the health alarms are not in ALARM"
     * @param watch       the watch, given the rollout's result so far
     */
    record WatchedSoak(Duration duration, Duration every, String watched, Function<RolloutResult, GateVerdict> watch)
            implements Checkpoint {
        /** The most watches one soak may make: beyond that, watch less often. */
        public static final int MAX_WATCHES = 10_000;

        public WatchedSoak {
            Objects.requireNonNull(duration, "soak");
            Objects.requireNonNull(every, "every");
            Objects.requireNonNull(watched, "watched");
            Objects.requireNonNull(watch, "watch");
            List<String> problems = new ArrayList<>();
            Durations.checkNotNegative("soak", duration, problems);
            if (every.isZero() || every.isNegative()) {
                problems.add("every " + every + " must be more than zero: it is how often the soak is watched");
            } else if (!duration.isZero() && every.compareTo(duration) > 0) {
                problems.add("every " + every + " must be at most the soak's " + duration
                        + ": a watch less often than that would never run during it");
            } else if (!duration.isNegative() && duration.dividedBy(every) >= MAX_WATCHES) {
                problems.add("every " + every + " makes " + duration.dividedBy(every) + " watches over a soak of "
                        + duration + "; at most " + MAX_WATCHES + ": watch less often");
            }
            if (watched.isBlank()) {
                problems.add("watched \"" + watched + "\" must not be blank: say what the watch checks");
            }
            if (!problems.isEmpty()) {
                throw new PlanValidationException("WatchedSoak", problems);
            }
        }

        /** The watch times, from the soak's start {@code start}: every {@code every}, and the soak's end. */
        public java.time.Instant nextWatch(java.time.Instant start, java.time.Instant after) {
            java.time.Instant end = start.plus(duration);
            if (!after.isBefore(end)) {
                return end;
            }
            long done = Duration.between(start, after).isNegative() ? 0
                    : Duration.between(start, after).dividedBy(every);
            java.time.Instant next = start.plus(every.multipliedBy(done + 1));
            return next.isAfter(end) ? end : next;
        }

        @Override
        public Kind kind() {
            return Kind.SOAK;
        }

        @Override
        public String description() {
            return Durations.human(duration) + ", watching every " + Durations.human(every) + " that " + watched;
        }

        @Override
        public String toString() {
            return "WatchedSoak[" + description() + "]";
        }
    }

    /**
     * A condition over what earlier waves produced; the rollout halts before the next wave unless it holds.
     * A condition that throws counts as not holding. A gate may compute a {@link GateVerdict} with the data it saw,
     * which is journaled with the verdict (a recorded verdict stands on resume) and shown in the result.
     *
     * @param description what it checks, e.g. "every non-production target succeeded"
     * @param verdict     the test, given the rollout's result so far
     */
    record Gate(String description, Function<RolloutResult, GateVerdict> verdict) implements Checkpoint {
        public Gate {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(verdict, "verdict");
            if (description.isBlank()) {
                throw new PlanValidationException("Gate", List.of("description \"" + description
                        + "\" must not be blank: say what the gate checks"));
            }
        }

        /** A gate that holds when {@code condition} does, with no data. */
        public static Gate when(String description, Predicate<RolloutResult> condition) {
            Objects.requireNonNull(condition, "condition");
            return new Gate(description, r -> GateVerdict.of(condition.test(r)));
        }

        @Override
        public Kind kind() {
            return Kind.GATE;
        }

        @Override
        public String toString() {
            return "Gate[" + description + "]";
        }
    }

    /**
     * A maintenance window the next wave must run in: checked before the wave starts (wait or halt, as
     * {@code rule} says) and again before each of its targets starts (once it has closed, no new target
     * starts and the wave halts; targets in flight finish).
     *
     * @param window the window
     * @param rule   what to do when the window is closed at the start of the wave
     */
    record Window(MaintenanceWindow window, WindowRule rule) implements Checkpoint {
        public Window {
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(rule, "rule");
        }

        @Override
        public Kind kind() {
            return Kind.WINDOW;
        }

        @Override
        public String description() {
            return window.description() + " (" + (rule == WindowRule.WAIT ? "wait" : "halt") + " if closed)";
        }
    }

    /**
     * Tell the people the next wave affects, then wait the announcement's lead time on the rollout's clock; a
     * required announcement that could not be sent halts the rollout.
     *
     * @param announcement what to send, to whom, how long ahead, and whether it must be sent
     */
    record Notify(Announcement announcement) implements Checkpoint {
        public Notify {
            Objects.requireNonNull(announcement, "announcement");
        }

        @Override
        public Kind kind() {
            return Kind.NOTIFY;
        }

        @Override
        public String description() {
            return announcement.description();
        }
    }

    /** What a rollout does when a wave's maintenance window is closed as the wave is about to start. */
    enum WindowRule {
        /** Wait, on the rollout's clock, for the window to open (cancellable). */
        WAIT,
        /** Halt the rollout. */
        HALT
    }
}
