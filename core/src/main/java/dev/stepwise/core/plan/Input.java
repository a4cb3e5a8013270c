package dev.stepwise.core.plan;

import dev.stepwise.core.PlanValidationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A plan's declaration of one input: its key, whether it is required or has a default, and the rules a
 * value must satisfy. Values are checked before the first step of a run; a violation is reported as
 * {@code InstanceId "i-12" does not match i-[0-9a-f]{8,17}}.
 *
 * <p>Immutable and thread-safe: every method returns a new declaration. A declaration that cannot work (a
 * default of the wrong type, a pattern that is not a regular expression, an empty list of allowed values) is
 * refused at once with a {@link PlanValidationException}, since there is no later {@code build()} to report it.
 *
 * <pre>{@code
 * Input<String> id = Input.required(INSTANCE_ID).matching("i-([0-9a-f]{8}|[0-9a-f]{17})");
 * Input<String> mode = Input.optional(MODE, "Scan").oneOf("Scan", "Install");
 * Input<Integer> batch = Input.optional(BATCH, 50).rule("between 1 and 50", n -> n >= 1 && n <= 50);
 * }</pre>
 *
 * @param <T> the value's type
 */
public final class Input<T> {

    /** One named rule over a value; {@code complaint} is what a message says of a value that breaks it. */
    record Rule<T>(String description, Predicate<? super T> test, String complaint) {
    }

    private final Key<T> key;
    private final boolean required;
    private final T defaultValue;
    private final List<Rule<T>> rules;
    private final String description;

    private Input(Key<T> key, boolean required, T defaultValue, List<Rule<T>> rules, String description) {
        this.key = Objects.requireNonNull(key, "key");
        this.required = required;
        this.defaultValue = defaultValue;
        this.rules = List.copyOf(rules);
        this.description = description;
    }

    /** An input that every run must supply. */
    public static <T> Input<T> required(Key<T> key) {
        return new Input<>(key, true, null, List.of(), "");
    }

    /**
     * An input that takes {@code defaultValue} when a run does not supply it.
     *
     * @throws PlanValidationException if the default is not of the key's type (possible through raw types)
     */
    public static <T> Input<T> optional(Key<T> key, T defaultValue) {
        Objects.requireNonNull(defaultValue, () -> "default value of " + key.name());
        if (!key.isValue(defaultValue)) {
            throw invalid(key, "default value " + key.show(defaultValue) + " (" + defaultValue.getClass().getSimpleName()
                    + ") is not a " + key.typeName());
        }
        return new Input<>(key, false, key.cast(defaultValue), List.of(), "");
    }

    /** An input that may be absent; steps read it with {@code ctx.find(key)}. */
    public static <T> Input<T> optional(Key<T> key) {
        return new Input<>(key, false, null, List.of(), "");
    }

    /**
     * Adds a rule that the value's {@code toString()} matches {@code regex} entirely.
     *
     * @throws PlanValidationException if {@code regex} is not a regular expression
     */
    public Input<T> matching(String regex) {
        Objects.requireNonNull(regex, "regex");
        Pattern p;
        try {
            p = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw invalid(key, "pattern \"" + regex + "\" is not a regular expression: " + e.getDescription()
                    + " near index " + e.getIndex());
        }
        return withRule(new Rule<>("match " + regex, v -> p.matcher(String.valueOf(v)).matches(), "does not match " + regex));
    }

    /** Adds a rule that the value is one of {@code allowed}. */
    @SafeVarargs
    public final Input<T> oneOf(T... allowed) {
        return oneOf(List.of(allowed));
    }

    /**
     * Adds a rule that the value is one of {@code allowed}.
     *
     * @throws PlanValidationException if {@code allowed} is empty, which no value could satisfy
     */
    public Input<T> oneOf(Collection<? extends T> allowed) {
        Set<T> set = new LinkedHashSet<>(Objects.requireNonNull(allowed, "allowed"));
        if (set.isEmpty()) {
            throw invalid(key, "oneOf [] allows no value: give at least one allowed value");
        }
        return withRule(new Rule<>("be one of " + set, set::contains, "is not one of " + set));
    }

    /**
     * Adds a custom rule. {@code description} completes the sentence "the value must …", e.g.
     * {@code "be between 1 and 50"}.
     */
    public Input<T> rule(String description, Predicate<? super T> test) {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(test, "test");
        return withRule(new Rule<>(description, test, "must " + description));
    }

    private static PlanValidationException invalid(Key<?> key, String problem) {
        return new PlanValidationException("Input " + key.name(), List.of(problem));
    }

    private Input<T> withRule(Rule<T> rule) {
        List<Rule<T>> r = new ArrayList<>(rules);
        r.add(rule);
        return new Input<>(key, required, defaultValue, r, this.description);
    }

    /** A sentence for people: what the input means (shown in outlines and CLI help). */
    public Input<T> describedAs(String text) {
        return new Input<>(key, required, defaultValue, rules, Objects.requireNonNull(text, "text"));
    }

    public Key<T> key() {
        return key;
    }

    public boolean isRequired() {
        return required;
    }

    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    public String description() {
        return description;
    }

    /** The rule descriptions, in the order they are checked. */
    public List<String> rules() {
        return rules.stream().map(Rule::description).toList();
    }

    /**
     * Checks {@code value} (which may be {@code null} when absent) and adds one sentence per problem to
     * {@code problems}. Returns the value to use: the given one, or the default.
     */
    Object check(Object value, List<String> problems) {
        String label = key.name();
        if (value == null) {
            if (required) {
                problems.add(label + " is required but was not given");
            }
            return defaultValue;
        }
        if (!key.isValue(value)) {
            problems.add(label + " must be a " + key.typeName() + " but was a "
                    + value.getClass().getSimpleName() + " (" + key.show(value) + ")");
            return null;
        }
        T v = key.cast(value);
        for (Rule<T> r : rules) {
            boolean ok;
            try {
                ok = r.test().test(v);
            } catch (RuntimeException e) {
                ok = false;
            }
            if (!ok) {
                problems.add(label + " " + (key.secret() ? "(secret)" : "\"" + v + "\"") + " " + r.complaint());
            }
        }
        return v;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(key.name()).append(':').append(key.typeName());
        b.append(required ? " required" : defaultValue == null ? " optional" : " default " + key.show(defaultValue));
        for (Rule<T> r : rules) {
            b.append(", must ").append(r.description());
        }
        return b.toString();
    }
}
