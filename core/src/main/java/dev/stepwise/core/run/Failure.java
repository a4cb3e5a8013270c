package dev.stepwise.core.run;

import java.util.Objects;

/**
 * A failure as recorded in results and journals: the exception's type and message, which survive JSON,
 * unlike the exception itself.
 *
 * @param type    the exception's class name
 * @param message its message, possibly empty
 */
public record Failure(String type, String message) {
    public Failure {
        Objects.requireNonNull(type, "type");
        message = message == null ? "" : message;
    }

    /** The failure of {@code t}. */
    public static Failure of(Throwable t) {
        return new Failure(t.getClass().getName(), t.getMessage());
    }

    /** The simple class name, as shown in tables. */
    public String simpleType() {
        int dot = type.lastIndexOf('.');
        return dot < 0 ? type : type.substring(dot + 1);
    }

    @Override
    public String toString() {
        return message.isEmpty() ? simpleType() : simpleType() + ": " + message;
    }
}
