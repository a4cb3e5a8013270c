package dev.stepwise.core;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a result attribute that may be null (a time for a row that never ran, the failure of a run that did not
 * fail). Stepwise's generated values accept null only where this is present; everywhere else a null is refused.
 *
 * <p>Retained in class files only, so it adds nothing at run time and needs no extra dependency.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.PARAMETER, ElementType.FIELD})
public @interface Nullable {
}
