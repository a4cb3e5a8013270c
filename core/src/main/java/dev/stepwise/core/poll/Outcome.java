package dev.stepwise.core.poll;

import java.util.Objects;

/**
 * What one probe of a {@link Poll} found: done (with the value the poll returns), not yet (with the state
 * seen, for logs and the timeout message), or never (with the reason, which ends the poll with a
 * {@link PollFailedException}).
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * Outcome<String> o = switch (state) {
 *     case "available" -> Outcome.done(imageId);
 *     case "failed", "deregistered" -> Outcome.failed("image " + imageId + " is " + state);
 *     default -> Outcome.waiting(state);
 * };
 * }</pre>
 *
 * @param <T> the type of the value a done probe carries
 */
public final class Outcome<T> {

    enum Kind { DONE, WAITING, FAILED }

    private final Kind kind;
    private final T value;
    private final String text;

    private Outcome(Kind kind, T value, String text) {
        this.kind = kind;
        this.value = value;
        this.text = text;
    }

    /**
     * The poll is over; {@link Poll#until} returns {@code value}.
     *
     * @param value what the poll returns, may be null
     */
    public static <T> Outcome<T> done(T value) {
        return new Outcome<>(Kind.DONE, value, null);
    }

    /**
     * Not done yet: the poll waits and probes again, unless its timeout is reached.
     *
     * @param state what the probe saw, e.g. {@code "stopping"}; the timeout message quotes the last one
     */
    public static <T> Outcome<T> waiting(String state) {
        return new Outcome<>(Kind.WAITING, null, Objects.requireNonNull(state, "state"));
    }

    /**
     * It will never be done: the poll stops at once with a {@link PollFailedException} carrying {@code reason}.
     * A probe that needs its own exception type throws it instead.
     *
     * @param reason why, e.g. {@code "image ami-1 is failed; it cannot serve as a backup"}
     */
    public static <T> Outcome<T> failed(String reason) {
        return new Outcome<>(Kind.FAILED, null, Objects.requireNonNull(reason, "reason"));
    }

    Kind kind() {
        return kind;
    }

    T value() {
        return value;
    }

    /** The state of a waiting outcome or the reason of a failed one. */
    String text() {
        return text;
    }

    /** Whether the poll is over with a value. */
    public boolean isDone() {
        return kind == Kind.DONE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Outcome<?> other && kind == other.kind && Objects.equals(value, other.value)
                && Objects.equals(text, other.text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, value, text);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case DONE -> "done(" + value + ")";
            case WAITING -> "waiting(" + text + ")";
            case FAILED -> "failed(" + text + ")";
        };
    }
}
