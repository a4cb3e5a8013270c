package dev.stepwise.core.plan;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * Captures a generic type, such as {@code List<GatewayInfo>}, for a {@link Key}: create an anonymous subclass and
 * the type argument survives erasure. Immutable and thread-safe.
 *
 * <pre>{@code
 * Key<Map<String, List<String>>> BY_OS = Key.of("ByOs", new TypeRef<Map<String, List<String>>>() { });
 * }</pre>
 *
 * @param <T> the type captured
 */
public abstract class TypeRef<T> {
    private final Type type;

    /** Reads the type argument of the anonymous subclass. */
    protected TypeRef() {
        Type superclass = getClass().getGenericSuperclass();
        if (!(superclass instanceof ParameterizedType p)) {
            throw new dev.stepwise.core.PlanValidationException("TypeRef needs its type argument: write new TypeRef<List<String>>() { }");
        }
        this.type = p.getActualTypeArguments()[0];
    }

    /** The captured type. */
    public Type type() {
        return type;
    }

    @Override
    public String toString() {
        return "TypeRef<" + type.getTypeName() + ">";
    }
}
