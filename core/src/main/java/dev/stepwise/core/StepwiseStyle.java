package dev.stepwise.core;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.immutables.value.Value;

/**
 * The one Immutables style of Stepwise's configuration values, applied in each package's
 * {@code package-info.java}. Not for use outside Stepwise.
 *
 * <p>What it gives every value: the generated {@code Immutable*} class is package-private and hidden behind the
 * abstract type ({@code builder()}, {@code of(...)}, {@code toBuilder()}), whose public nested {@code Builder}
 * extends the generated one so that users, JShell included, can name it; accessors are plain nouns
 * ({@code name()}, {@code timeout()}; {@code isRequired()} is the attribute {@code required}); setters of
 * package-private attributes stay package-private, so the builder shows only what users may set; generated code
 * carries no annotation but {@code @Override}, so code compiled against Stepwise sees no warning; a builder left
 * without a mandatory setting throws a {@link PlanValidationException} naming it, and every other rule is checked
 * in one {@code @Value.Check} that throws one {@link PlanValidationException} listing every problem. Only the
 * JDK's collections are used.
 *
 * <p>Retained in class files only, so it adds nothing at run time.
 */
@Target({ElementType.PACKAGE, ElementType.TYPE})
@Retention(RetentionPolicy.CLASS)
@Value.Style(
        typeImmutable = "Immutable*",
        visibilityString = "PACKAGE",
        overshadowImplementation = true,
        allowedClasspathAnnotations = {Override.class},
        throwForInvalidImmutableState = PlanValidationException.class,
        get = {"is*", "get*"},
        alwaysPublicInitializers = false,
        jdkOnly = true,
        defaults = @Value.Immutable(copy = false))
public @interface StepwiseStyle {
}
