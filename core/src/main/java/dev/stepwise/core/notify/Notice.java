package dev.stepwise.core.notify;

import dev.stepwise.core.PlanValidationException;
import java.time.Instant;
import java.util.List;
import org.immutables.value.Value;

/**
 * One message to the people a change affects: subject and body built from the run's facts (what, which targets,
 * when, expected impact, backups made, outcome), the audience it is meant for, the moment and severity, and
 * when it was made on the run's clock. Texts never hold the value of a secret input: {@link Notifications}
 * builds them from names, targets and redacted renderings, and blanks any secret value it was told of.
 *
 * <p>Made by {@link Notifications#compose}, or, to test a notifier of your own, by {@link #builder()}: every
 * setting is required, and a blank subject is refused, each with a {@link PlanValidationException}. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * Notice n = Notice.builder().
 *     moment(Moment.COMPLETED).
 *     severity(Severity.INFO).
 *     subject("Completed: rollout patch-fleet").
 *     body("Outcome: SUCCEEDED").
 *     audience("owners").
 *     source("rollout patch-fleet (r-1a2b)").
 *     at(Instant.now()).
 *     build();
 * }</pre>
 */
@Value.Immutable
public abstract class Notice {

    Notice() {
    }

    /** A builder; every setting is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this notice's settings. */
    public Builder toBuilder() {
        return new Builder().from(this);
    }

    /** When in the change it is sent. */
    public abstract Moment moment();

    /** How urgent it is. */
    public abstract Severity severity();

    /** One line, e.g. {@code "Planned change: rollout patch-fleet, wave production starts 2026-01-02T00:00:00Z"}. */
    public abstract String subject();

    /** The facts, one per line. */
    public abstract String body();

    /** Who it is meant for, e.g. {@code "production application owners"}. */
    public abstract String audience();

    /** The plan run or rollout it is about, e.g. {@code "rollout patch-fleet (r-1a2b)"}. */
    public abstract String source();

    /** When it was made, on the run's clock. */
    public abstract Instant at();

    @Value.Check
    void check() {
        if (subject().isBlank()) {
            throw new PlanValidationException("Notice", List.of("subject \"" + subject() + "\" must not be blank"));
        }
    }

    /** The subject and body as one text, e.g. for chat tools. */
    public String text() {
        return subject() + "\n\n" + body();
    }

    @Override
    public String toString() {
        return "Notice[" + moment() + ", " + severity() + ", to " + audience() + ", at " + at() + "]: " + subject();
    }

    /** Builds a {@link Notice}. Not thread-safe. */
    public static final class Builder extends ImmutableNotice.Builder {
        Builder() {
        }
    }
}
