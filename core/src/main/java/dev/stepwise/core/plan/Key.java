package dev.stepwise.core.plan;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A typed name for an input or an output, such as {@code Key.of("InstanceId", String.class)}.
 *
 * <p>Two keys are equal when their names and types are equal. A key marked {@linkplain #secret() secret}
 * has its values shown as {@code ****} in every rendering, event, log line and journal. Keys are immutable
 * and thread-safe.
 *
 * <pre>{@code
 * Key<String> INSTANCE_ID = Key.of("InstanceId", String.class);
 * Key<String> PASSWORD = Key.secret("Password", String.class);
 * }</pre>
 *
 * @param <T> the type of the value the key names
 */
public final class Key<T> {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,127}");

    private final String name;
    private final Class<T> type;
    private final boolean secret;

    private Key(String name, Class<T> type, boolean secret) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Key name \"" + name + "\" does not match " + NAME.pattern()
                    + " (a letter, then letters, digits, '_', '.' or '-', at most 128 characters)");
        }
        this.name = name;
        this.type = type;
        this.secret = secret;
    }

    /** A key for values of {@code type} under {@code name}. */
    public static <T> Key<T> of(String name, Class<T> type) {
        return new Key<>(name, type, false);
    }

    /** A key whose values are never shown: renderings, events and journals print {@code ****}. */
    public static <T> Key<T> secret(String name, Class<T> type) {
        return new Key<>(name, type, true);
    }

    public String name() {
        return name;
    }

    public Class<T> type() {
        return type;
    }

    /** Whether values under this key are redacted wherever they would be shown. */
    public boolean secret() {
        return secret;
    }

    /** Casts {@code value} to this key's type, or explains which key expected what. */
    public T cast(Object value) {
        if (value != null && !type.isInstance(value)) {
            throw new IllegalArgumentException(name + " expects a " + type.getSimpleName() + " but got a "
                    + value.getClass().getSimpleName());
        }
        return type.cast(value);
    }

    /** The value as it may be shown to people: {@code ****} for secrets. */
    public String show(Object value) {
        return secret ? "****" : String.valueOf(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Key<?> k && k.name.equals(name) && k.type.equals(type);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + type.hashCode();
    }

    @Override
    public String toString() {
        return name + ":" + type.getSimpleName() + (secret ? " (secret)" : "");
    }
}
