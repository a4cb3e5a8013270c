package dev.stepwise.aviatrix;

import dev.stepwise.core.PlanValidationException;
import java.util.List;
import java.util.Objects;

/**
 * A password or other credential that never prints: {@link #toString()} is {@code "****"}.
 *
 * <p>The characters are copied in and out, so clearing the caller's array after {@link #of(char[])}
 * does not affect the secret. Instances are immutable and thread-safe; equality is identity, so a
 * secret cannot be guessed through {@code equals}.
 *
 * <pre>{@code
 * Secret password = Secret.of(System.console().readPassword("Controller password: "));
 * System.out.println(password);   // ****
 * }</pre>
 */
public final class Secret {

    private final char[] value;

    private Secret(char[] value) {
        this.value = value;
    }

    /**
     * @param value the secret's characters, copied; not empty
     * @return the secret
     * @throws PlanValidationException if {@code value} is empty
     */
    public static Secret of(char[] value) {
        Objects.requireNonNull(value, "secret");
        if (value.length == 0) {
            throw new PlanValidationException("Secret", List.of("value is empty: a password or token needs at least one "
                    + "character"));
        }
        return new Secret(value.clone());
    }

    /**
     * @param value the secret, e.g. read from an environment variable; not empty
     * @return the secret
     * @throws PlanValidationException if {@code value} is empty
     */
    public static Secret of(String value) {
        return of(Objects.requireNonNull(value, "secret").toCharArray());
    }

    /**
     * Returns a copy of the characters, for the one place that must send them.
     *
     * @return a fresh copy the caller may clear
     */
    public char[] reveal() {
        return value.clone();
    }

    /** @return {@code "****"}, never the secret */
    @Override
    public String toString() {
        return "****";
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
