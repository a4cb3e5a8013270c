package dev.stepwise.core;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a map of plain JSON values on a result ({@code outputs}, {@code parameters}, {@code data}) whose values
 * may be null, as JSON's {@code null} is. Stepwise's generated values refuse null elements and values
 * everywhere else.
 *
 * <p>Retained in class files only, so it adds nothing at run time and needs no extra dependency.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.PARAMETER, ElementType.FIELD})
public @interface AllowNulls {
}
