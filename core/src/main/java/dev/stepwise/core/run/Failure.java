package dev.stepwise.core.run;

import dev.stepwise.core.RestoredFailureException;
import dev.stepwise.core.StepwiseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A failure as recorded in results and journals: the exception's type, its message, the data a
 * {@link StepwiseException} chose to {@linkplain StepwiseException#details() record}, and — in the process
 * that saw it happen — the exception itself.
 *
 * <p>The exception is kept in memory only: it is never written to JSON or to a journal. A failure read back
 * from a journal or from JSON has no exception; {@link #toException()} then rebuilds a
 * {@link RestoredFailureException} that names the original type and message and carries the recorded details,
 * so a caller can still get at them (for example {@code ControllerUpgradeException.reportOf(e)} in
 * {@code stepwise-aviatrix}). Immutable and thread-safe (the exception is shared as is).
 *
 * <pre>{@code
 * result.failure().flatMap(Failure::exception).ifPresent(Throwable::printStackTrace);
 * }</pre>
 */
public final class Failure {
    private final String type;
    private final String message;
    private final Map<String, Object> details;
    private final transient Throwable exception;

    private Failure(String type, String message, Map<String, Object> details, Throwable exception) {
        this.type = Objects.requireNonNull(type, "type");
        this.message = message == null ? "" : message;
        this.details = details == null || details.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(details));
        this.exception = exception;
    }

    /** The failure of {@code t}, keeping {@code t} itself in memory and its {@linkplain StepwiseException#details() details}. */
    public static Failure of(Throwable t) {
        Objects.requireNonNull(t, "t");
        if (t instanceof RestoredFailureException r) {
            return new Failure(r.originalType(), r.originalMessage(), r.details(), r);
        }
        Map<String, Object> details = t instanceof StepwiseException s ? s.details() : Map.of();
        return new Failure(t.getClass().getName(), t.getMessage(), details, t);
    }

    /** A failure known only by type and message, as read from JSON or a journal. */
    public static Failure of(String type, String message) {
        return new Failure(type, message, Map.of(), null);
    }

    /** A failure known by type, message and recorded details (plain JSON values), as read from a journal. */
    public static Failure of(String type, String message, Map<String, Object> details) {
        return new Failure(type, message, details, null);
    }

    /**
     * A copy whose recorded message is {@code message} — for example with secrets masked — keeping the type, the
     * details and the in-memory exception.
     */
    public Failure withMessage(String message) {
        return new Failure(type, message, details, exception);
    }

    /** The exception's class name. */
    public String type() {
        return type;
    }

    /** Its message, possibly empty. */
    public String message() {
        return message;
    }

    /** The data the exception recorded for callers (empty for most failures); survives journals and JSON. */
    public Map<String, Object> details() {
        return details;
    }

    /** The exception itself, in the process where it was thrown; empty once read back from a journal or JSON. */
    public Optional<Throwable> exception() {
        return Optional.ofNullable(exception);
    }

    /**
     * The exception if this process saw it; otherwise a {@link RestoredFailureException} naming the original type
     * and message, with the recorded details.
     */
    public Throwable toException() {
        return exception != null ? exception : new RestoredFailureException(type, message, details);
    }

    /** The simple class name, as shown in tables. */
    public String simpleType() {
        int dot = type.lastIndexOf('.');
        return dot < 0 ? type : type.substring(dot + 1);
    }

    /** Equal when type, message and details are equal; the in-memory exception is not compared. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Failure f && f.type.equals(type) && f.message.equals(message) && f.details.equals(details);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, message, details);
    }

    @Override
    public String toString() {
        return message.isEmpty() ? simpleType() : simpleType() + ": " + message;
    }
}
