package dev.stepwise.core.plan;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The values given to one run, by key. Immutable and thread-safe; {@link #with} returns a copy.
 *
 * <p>Written by hand rather than generated like Stepwise's configuration values: it is a typed map whose
 * {@code of(...)} factories and {@code with} copies keep each key's value type, which no builder of fixed
 * attributes can.
 *
 * <pre>{@code
 * Inputs in = Inputs.of(INSTANCE_ID, "i-0123456789abcdef0").with(ALLOW_OFFLINE, true);
 * }</pre>
 */
public final class Inputs {
    private static final Inputs EMPTY = new Inputs(Map.of());

    private final Map<Key<?>, Object> values;

    private Inputs(Map<Key<?>, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** No inputs. */
    public static Inputs empty() {
        return EMPTY;
    }

    /** One input. */
    public static <T> Inputs of(Key<T> key, T value) {
        return EMPTY.with(key, value);
    }

    /** Two inputs. */
    public static <A, B> Inputs of(Key<A> k1, A v1, Key<B> k2, B v2) {
        return EMPTY.with(k1, v1).with(k2, v2);
    }

    /** Three inputs. */
    public static <A, B, C> Inputs of(Key<A> k1, A v1, Key<B> k2, B v2, Key<C> k3, C v3) {
        return EMPTY.with(k1, v1).with(k2, v2).with(k3, v3);
    }

    /** A copy with {@code key} set to {@code value}. */
    public <T> Inputs with(Key<T> key, T value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, () -> "value of " + key.name());
        Map<Key<?>, Object> m = new LinkedHashMap<>(values);
        m.put(key, key.cast(value));
        return new Inputs(m);
    }

    /** The value for {@code key}, if given. */
    public <T> Optional<T> find(Key<T> key) {
        return Optional.ofNullable(key.cast(values.get(key)));
    }

    /** Every given value, in the order given. */
    public Map<Key<?>, Object> asMap() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Inputs i && i.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ", "Inputs{", "}");
        values.forEach((k, v) -> j.add(k.name() + "=" + k.show(v)));
        return j.toString();
    }
}
