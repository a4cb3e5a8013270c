package dev.stepwise.core.plan;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A typed name for an input or an output, such as {@code Key.of("InstanceId", String.class)}, or, for generic
 * values, {@code Key.listOf("Gateways", GatewayInfo.class)} and {@code Key.of("ByOs", new TypeRef<…>() { })}.
 *
 * <p>Two keys are equal when their names and types are equal. A key marked {@linkplain #secret() secret}
 * has its values shown as {@code ****} in every rendering, event, log line and journal. Values read back from a
 * journal or JSON are converted to the key's full generic type, so a {@code List<GatewayInfo>} comes back as
 * gateways, not as maps. Keys are immutable and thread-safe.
 *
 * <p>Written by hand rather than generated like Stepwise's configuration values: a key is made in one call from a
 * name and a type, captured by the factories below, and needs no builder.
 *
 * <pre>{@code
 * Key<String> INSTANCE_ID = Key.of("InstanceId", String.class);
 * Key<String> PASSWORD = Key.secret("Password", String.class);
 * Key<List<GatewayInfo>> GATEWAYS = Key.listOf("Gateways", GatewayInfo.class);
 * }</pre>
 *
 * @param <T> the type of the value the key names
 */
public final class Key<T> {
    private static final com.fasterxml.jackson.databind.ObjectMapper PLAIN = dev.stepwise.core.StepwiseJson.newMapper();
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,127}");

    private final String name;
    private final Type type;
    private final Class<?> rawType;
    private final boolean secret;

    private Key(String name, Type type, boolean secret) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (!NAME.matcher(name).matches()) {
            throw new dev.stepwise.core.PlanValidationException("Key name \"" + name + "\" does not match " + NAME.pattern()
                    + " (a letter, then letters, digits, '_', '.' or '-', at most 128 characters)");
        }
        this.name = name;
        this.type = type;
        this.rawType = raw(type);
        this.secret = secret;
    }

    /** A key for values of {@code type} under {@code name}. */
    public static <T> Key<T> of(String name, Class<T> type) {
        return new Key<>(name, type, false);
    }

    /** A key for values of a generic type, captured by a {@link TypeRef}. */
    public static <T> Key<T> of(String name, TypeRef<T> type) {
        return new Key<>(name, Objects.requireNonNull(type, "type").type(), false);
    }

    /** A key for lists of {@code element}. */
    public static <E> Key<List<E>> listOf(String name, Class<E> element) {
        return new Key<>(name, new ListType(Objects.requireNonNull(element, "element")), false);
    }

    /** A key whose values are never shown: renderings, events and journals print {@code ****}. */
    public static <T> Key<T> secret(String name, Class<T> type) {
        return new Key<>(name, type, true);
    }

    public String name() {
        return name;
    }

    /** The full type of the values, generic arguments included ({@code java.util.List<…GatewayInfo>}). */
    public Type type() {
        return type;
    }

    /** The class of the values, without generic arguments ({@code List} for a list key). */
    public Class<?> rawType() {
        return rawType;
    }

    /** The type as people read it, without packages: {@code List<GatewayInfo>}. */
    public String typeName() {
        return type.getTypeName().replaceAll("\\b[a-z][a-z0-9_]*\\.", "").replace('$', '.');
    }

    /** Whether values under this key are redacted wherever they would be shown. */
    public boolean secret() {
        return secret;
    }

    /**
     * Whether {@code value} is a value of this key's type: an instance of its class and, for a collection or map of
     * a given element class, with every element (key and value) of it.
     */
    public boolean isValue(Object value) {
        if (value == null || !rawType.isInstance(value)) {
            return false;
        }
        if (type instanceof ParameterizedType p) {
            Type[] args = p.getActualTypeArguments();
            if (value instanceof Collection<?> c && args.length == 1 && args[0] instanceof Class<?> e) {
                return c.stream().allMatch(x -> x == null || e.isInstance(x));
            }
            if (value instanceof Map<?, ?> m && args.length == 2 && args[0] instanceof Class<?> k && args[1] instanceof Class<?> v) {
                return m.entrySet().stream().allMatch(x -> (x.getKey() == null || k.isInstance(x.getKey()))
                        && (x.getValue() == null || v.isInstance(x.getValue())));
            }
        }
        return true;
    }

    /** Casts {@code value} to this key's type, or explains which key expected what. */
    @SuppressWarnings("unchecked")
    public T cast(Object value) {
        if (value != null && !isValue(value)) {
            throw new dev.stepwise.core.StepwiseException(name + " expects a " + typeName() + " but got a "
                    + value.getClass().getSimpleName() + (rawType.isInstance(value) ? " with elements of another type" : ""));
        }
        return (T) value;
    }

    /**
     * {@code value} as this key's type: as is when it already is one, else converted from the plain form a journal
     * or a JSON result keeps it in (maps, lists, strings, numbers), with {@link dev.stepwise.core.StepwiseJson}'s
     * conventions. Null stays null.
     *
     * @throws dev.stepwise.core.StepwiseException naming this key and its type when {@code value} cannot become one
     */
    public T fromPlain(Object value) {
        if (value == null || isValue(value)) {
            return cast(value);
        }
        try {
            return cast(PLAIN.convertValue(value, PLAIN.getTypeFactory().constructType(type)));
        } catch (IllegalArgumentException e) {
            throw new dev.stepwise.core.StepwiseException(name + " expects a " + typeName() + ": a "
                    + value.getClass().getSimpleName() + " cannot become one", e);
        }
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
        return name + ":" + typeName() + (secret ? " (secret)" : "");
    }

    private static Class<?> raw(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType p) {
            return raw(p.getRawType());
        }
        if (t instanceof GenericArrayType g) {
            return java.lang.reflect.Array.newInstance(raw(g.getGenericComponentType()), 0).getClass();
        }
        if (t instanceof WildcardType w) {
            return raw(w.getUpperBounds()[0]);
        }
        if (t instanceof TypeVariable<?>) {
            throw new dev.stepwise.core.PlanValidationException("Key type " + t + " is a type variable: give the concrete type, for example "
                    + "new TypeRef<List<String>>() { }");
        }
        throw new dev.stepwise.core.PlanValidationException("Key type " + t + " is not a class or a parameterized type");
    }

    /** {@code List<E>}, equal to the JDK's own representation of the same type. */
    private record ListType(Class<?> element) implements ParameterizedType {
        @Override
        public Type[] getActualTypeArguments() {
            return new Type[] {element};
        }

        @Override
        public Type getRawType() {
            return List.class;
        }

        @Override
        public Type getOwnerType() {
            return null;
        }

        @Override
        public String getTypeName() {
            return "java.util.List<" + element.getTypeName() + ">";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ParameterizedType p && p.getRawType().equals(List.class) && p.getOwnerType() == null
                    && Arrays.equals(p.getActualTypeArguments(), getActualTypeArguments());
        }

        @Override
        public int hashCode() {
            // the JDK's formula, so a list key equals one made with a TypeRef
            return Arrays.hashCode(getActualTypeArguments()) ^ Objects.hashCode(null) ^ List.class.hashCode();
        }

        @Override
        public String toString() {
            return getTypeName();
        }
    }
}
