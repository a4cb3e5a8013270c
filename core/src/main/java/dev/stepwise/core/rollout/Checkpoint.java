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
public sealed interface Checkpoint permits Checkpoint.Soak, Checkpoint.Gate, Checkpoint.Window, Approval,
        Checkpoint.Notify {

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
