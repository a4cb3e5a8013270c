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
import org.immutables.value.Value;

/**
 * A plan's declaration of one input: its key, whether it is required or has a default, and the rules a
 * value must satisfy. Values are checked before the first step of a run; a violation is reported as
 * {@code InstanceId "i-12" does not match i-[0-9a-f]{8,17}}.
 *
 * <p>Made by a {@link Builder} from {@link #required(Key)}, {@link #optional(Key, Object)} or
 * {@link #optional(Key)}; {@link Plan.Builder#input(Input.Builder)} takes the builder as it is, and
 * {@link Plan.Builder#input(Key, java.util.function.Consumer)} makes one in place. A declaration that cannot work
 * (a default of the wrong type or on a required input, a pattern that is not a regular expression, an empty list
 * of allowed values) is refused by {@link Builder#build()} with one {@link PlanValidationException} listing every
 * problem. Immutable and thread-safe.
 *
 * <pre>{@code
 * Plan.builder("patch-host").
 *     input(Input.required(INSTANCE_ID).matching("i-([0-9a-f]{8}|[0-9a-f]{17})")).
 *     input(Input.optional(MODE, "Scan").oneOf("Scan", "Install")).
 *     input(BATCH, i -> i.required(false).defaultValue(50).rule("be between 1 and 50", n -> n >= 1 && n <= 50)).
 *     ...
 * Input<String> id = Input.required(INSTANCE_ID).describedAs("the instance to patch").build();
 * }</pre>
 *
 * @param <T> the value's type
 */
@Value.Immutable
public abstract class Input<T> {

    /**
     * One named rule over a value; {@code complaint} is what a message says of a value that breaks it, and
     * {@code problem}, when not null, why the rule itself cannot work (reported by {@link Builder#build()}).
     */
    record Rule<T>(String description, Predicate<? super T> test, String complaint, String problem) {
    }

    Input() {
    }

    /** An input that every run must supply. */
    public static <T> Builder<T> required(Key<T> key) {
        return new Builder<T>().key(key).required(true);
    }

    /** An input that takes {@code defaultValue} when a run does not supply it. */
    public static <T> Builder<T> optional(Key<T> key, T defaultValue) {
        Objects.requireNonNull(defaultValue, () -> "default value of " + key.name());
        return new Builder<T>().key(key).required(false).defaultValue(defaultValue);
    }

    /** An input that may be absent; steps read it with {@code ctx.find(key)}. */
    public static <T> Builder<T> optional(Key<T> key) {
        return new Builder<T>().key(key).required(false);
    }

    /** A builder holding this declaration's settings. */
    public Builder<T> toBuilder() {
        return new Builder<T>().from(this);
    }

    public abstract Key<T> key();

    /** Whether every run must supply it (default true; {@link #optional} makes it false). */
    @Value.Default
    public boolean isRequired() {
        return true;
    }

    /** The value used when a run does not supply one; only an input that is not required has one. */
    public abstract Optional<T> defaultValue();

    @Value.Default
    String text() {
        return "";
    }

    abstract List<Rule<T>> ruleList();

    /** A sentence for people: what the input means (shown in outlines and CLI help). */
    public String description() {
        return text();
    }

    /** The rule descriptions, in the order they are checked. */
    public List<String> rules() {
        return ruleList().stream().map(Rule::description).toList();
    }

    @Value.Check
    void check() {
        List<String> problems = new ArrayList<>();
        Key<T> key = key();
        defaultValue().ifPresent(d -> {
            if (!key.isValue(d)) {
                problems.add("default value " + key.show(d) + " (" + d.getClass().getSimpleName() + ") is not a "
                        + key.typeName());
            }
            if (isRequired()) {
                problems.add("default value " + key.show(d) + " is given, but the input is required: an input with a "
                        + "default is optional, so call required(false) or start from Input.optional(key, default)");
            }
        });
        for (Rule<T> r : ruleList()) {
            if (r.problem() != null) {
                problems.add(r.problem());
            }
        }
        if (!problems.isEmpty()) {
            throw new PlanValidationException("Input " + key.name(), problems);
        }
    }

    /**
     * Checks {@code value} (which may be {@code null} when absent) and adds one sentence per problem to
     * {@code problems}. Returns the value to use: the given one, or the default.
     */
    Object check(Object value, List<String> problems) {
        Key<T> key = key();
        String label = key.name();
        if (value == null) {
            if (isRequired()) {
                problems.add(label + " is required but was not given");
            }
            return defaultValue().orElse(null);
        }
        if (!key.isValue(value)) {
            problems.add(label + " must be a " + key.typeName() + " but was a "
                    + value.getClass().getSimpleName() + " (" + key.show(value) + ")");
            return null;
        }
        T v = key.cast(value);
        for (Rule<T> r : ruleList()) {
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
        Key<T> key = key();
        StringBuilder b = new StringBuilder(key.name()).append(':').append(key.typeName());
        b.append(isRequired() ? " required" : defaultValue().map(d -> " default " + key.show(d)).orElse(" optional"));
        for (Rule<T> r : ruleList()) {
            b.append(", must ").append(r.description());
        }
        return b.toString();
    }

    /**
     * Builds an {@link Input}. The rule methods add rules, checked in the order added; a rule that cannot work is
     * reported by {@link #build()}, with every other problem, in one {@link PlanValidationException}. Not
     * thread-safe.
     *
     * @param <T> the value's type
     */
    public static final class Builder<T> extends ImmutableInput.Builder<T> {
        Builder() {
        }

        /** Adds a rule that the value's {@code toString()} matches {@code regex} entirely. */
        public Builder<T> matching(String regex) {
            Objects.requireNonNull(regex, "regex");
            Pattern p;
            try {
                p = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                return addRuleList(new Rule<>("match " + regex, v -> false, "does not match " + regex, "pattern \""
                        + regex + "\" is not a regular expression: " + e.getDescription() + " near index " + e.getIndex()));
            }
            return addRuleList(new Rule<>("match " + regex, v -> p.matcher(String.valueOf(v)).matches(),
                    "does not match " + regex, null));
        }

        /** Adds a rule that the value is one of {@code allowed}. */
        @SafeVarargs
        public final Builder<T> oneOf(T... allowed) {
            List<T> values = new ArrayList<>(allowed.length);
            for (T a : allowed) {
                values.add(Objects.requireNonNull(a, "allowed value"));
            }
            return oneOf(values);
        }

        /** Adds a rule that the value is one of {@code allowed}, which must not be empty. */
        public Builder<T> oneOf(Collection<? extends T> allowed) {
            Set<T> set = new LinkedHashSet<>(Objects.requireNonNull(allowed, "allowed"));
            return addRuleList(new Rule<>("be one of " + set, set::contains, "is not one of " + set, set.isEmpty()
                    ? "oneOf [] allows no value: give at least one allowed value" : null));
        }

        /**
         * Adds a custom rule. {@code description} completes the sentence "the value must …", e.g.
         * {@code "be between 1 and 50"}.
         */
        public Builder<T> rule(String description, Predicate<? super T> test) {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(test, "test");
            return addRuleList(new Rule<>(description, test, "must " + description, null));
        }

        /** A sentence for people: what the input means (shown in outlines and CLI help). */
        public Builder<T> describedAs(String text) {
            return text(Objects.requireNonNull(text, "text"));
        }
    }
}
