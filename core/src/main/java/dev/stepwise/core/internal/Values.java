package dev.stepwise.core.internal;

import dev.stepwise.core.plan.Key;

/** Turns plain JSON values (from a journal or a JSON result) back into a key's type. */
public final class Values {
    private Values() {
    }

    /** {@code value} as {@code key}'s type: as is when it already is one, else converted through Jackson. */
    public static Object convert(Object value, Key<?> key) {
        if (value == null || key.isValue(value)) {
            return value;
        }
        return Json.MAPPER.convertValue(value, Json.MAPPER.getTypeFactory().constructType(key.type()));
    }
}
