package dev.stepwise.core.notify;

import dev.stepwise.core.PlanValidationException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One message to the people a change affects: subject and body built from the run's facts (what, which targets,
 * when, expected impact, backups made, outcome), the audience it is meant for, the moment and severity, and
 * when it was made on the run's clock. Texts never hold the value of a secret input: {@link Notifications}
 * builds them from names, targets and redacted renderings, and blanks any secret value it was told of. A blank
 * subject is refused with a {@link PlanValidationException}. Immutable and thread-safe.
 *
 * @param moment   when in the change it is sent
 * @param severity how urgent it is
 * @param subject  one line, e.g. {@code "Planned change: rollout patch-fleet, wave production starts 2026-01-02T00:00:00Z"}
 * @param body     the facts, one per line
 * @param audience who it is meant for, e.g. {@code "production application owners"}
 * @param source   the plan run or rollout it is about, e.g. {@code "rollout patch-fleet (r-1a2b)"}
 * @param at       when it was made, on the run's clock
 */
public record Notice(Moment moment, Severity severity, String subject, String body, String audience, String source,
        Instant at) {

    public Notice {
        Objects.requireNonNull(moment, "moment");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(at, "at");
        if (subject.isBlank()) {
            throw new PlanValidationException("Notice", List.of("subject \"" + subject + "\" must not be blank"));
        }
    }

    /** The subject and body as one text, e.g. for chat tools. */
    public String text() {
        return subject + "\n\n" + body;
    }

    @Override
    public String toString() {
        return "Notice[" + moment + ", " + severity + ", to " + audience + ", at " + at + "]: " + subject;
    }
}
