package dev.stepwise.core.notify;

import java.util.Objects;

/**
 * What became of one notice through one notifier: sent, failed (and why), or only shown because the run was a
 * dry run. Immutable and thread-safe.
 *
 * @param notice      the notice
 * @param destination the notifier's {@link Notifier#destination()}
 * @param outcome     what happened
 * @param detail      why it failed; empty otherwise
 */
public record Delivery(Notice notice, String destination, Outcome outcome, String detail) {

    /** What became of a notice. */
    public enum Outcome {
        /** The notifier accepted it. */
        SENT,
        /** The notifier threw; {@link #detail()} says why. */
        FAILED,
        /** A dry run: it would have been sent, and was not. */
        DRY_RUN
    }

    public Delivery {
        Objects.requireNonNull(notice, "notice");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(outcome, "outcome");
        detail = detail == null ? "" : detail;
    }

    /** Whether the notifier accepted it. */
    public boolean isSent() {
        return outcome == Outcome.SENT;
    }

    @Override
    public String toString() {
        return switch (outcome) {
            case SENT -> "sent \"" + notice.subject() + "\" to " + notice.audience() + " via " + destination + " at "
                    + notice.at();
            case FAILED -> "could not send \"" + notice.subject() + "\" via " + destination + ": " + detail;
            case DRY_RUN -> "would send \"" + notice.subject() + "\" to " + notice.audience() + " via " + destination
                    + " at " + notice.at();
        };
    }
}
