package dev.stepwise.core.plan;

import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One action of a plan: a name, a declared {@link Effect}, an optional typed output, the keys it reads, a
 * {@link RetryPolicy}, an optional timeout over all its attempts, an {@link OnFailure} rule, and what it
 * would do, for dry runs.
 *
 * <p>Defaults: no output, no retries ({@link RetryPolicy#none()}), no timeout, {@link OnFailure#abort()}; a
 * MUTATING step without a {@link Builder#predict predictor} is predicted by its description. Immutable and
 * thread-safe; the {@code with…} methods return changed copies.
 *
 * <pre>{@code
 * Step<String> backup = Step.mutating("backup").
 *     output(IMAGE_ID).
 *     reads(INSTANCE_ID).
 *     describedAs("create an AMI of the instance").
 *     action(ctx -> ec2.createImage(ctx.get(INSTANCE_ID))).
 *     retry(RetryPolicy.defaults()).
 *     build();
 * }</pre>
 *
 * @param <T> the output type ({@code Void} for a step without an output)
 */
public final class Step<T> {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 _.:/()-]{0,127}");

    private final String name;
    private final Effect effect;
    private final Key<T> output;
    private final Set<Key<?>> reads;
    private final StepAction<T> action;
    private final RetryPolicy retry;
    private final Duration timeout;
    private final OnFailure onFailure;
    private final String description;
    private final Predictor predictor;
    private final String rerunSafety;

    private Step(Builder<T> b) {
        this.name = b.name;
        this.effect = b.effect;
        this.output = b.output;
        this.reads = Set.copyOf(b.reads);
        this.action = b.action;
        this.retry = b.retry;
        this.timeout = b.timeout;
        this.onFailure = b.onFailure;
        this.description = b.description;
        this.predictor = b.predictor;
        this.rerunSafety = b.rerunSafety;
    }

    /** A step that only reads facts; dry runs execute it. */
    public static Builder<Void> readOnly(String name) {
        return new Builder<>(name, Effect.READ_ONLY);
    }

    /** A step that changes something; dry runs only predict it. */
    public static Builder<Void> mutating(String name) {
        return new Builder<>(name, Effect.MUTATING);
    }

    /** A builder holding this step's settings. */
    public Builder<T> toBuilder() {
        Builder<T> b = new Builder<>(name, effect);
        b.output = output;
        b.reads.addAll(reads);
        b.action = action;
        b.retry = retry;
        b.timeout = timeout;
        b.onFailure = onFailure;
        b.description = description;
        b.predictor = predictor;
        b.rerunSafety = rerunSafety;
        return b;
    }

    public String name() {
        return name;
    }

    public Effect effect() {
        return effect;
    }

    public Optional<Key<T>> output() {
        return Optional.ofNullable(output);
    }

    /** The keys the step declares it reads; the plan checks that each is an input or an earlier output. */
    public Set<Key<?>> reads() {
        return reads;
    }

    public StepAction<T> action() {
        return action;
    }

    public RetryPolicy retry() {
        return retry;
    }

    /** The bound on all attempts together, including the waits between them. */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    public OnFailure onFailure() {
        return onFailure;
    }

    /** What the step does, in a sentence. */
    public String description() {
        return description;
    }

    /**
     * How the step finds out whether an earlier attempt already acted, if it declares it: a resumed run re-runs
     * an unfinished MUTATING step only when it has one. READ_ONLY steps are always safe to re-run.
     */
    public Optional<String> rerunSafety() {
        return Optional.ofNullable(rerunSafety);
    }

    /** What the step would do in this context, for a dry run. */
    public List<Prediction> predict(StepContext ctx) throws Exception {
        if (predictor != null) {
            return List.copyOf(predictor.predict(ctx));
        }
        return List.of(Prediction.of(description.isEmpty() ? "run " + name : description));
    }

    /** A copy with another retry policy. */
    public Step<T> withRetry(RetryPolicy policy) {
        return toBuilder().retry(policy).build();
    }

    /** A copy with a timeout over all attempts. */
    public Step<T> withTimeout(Duration timeout) {
        return toBuilder().timeout(timeout).build();
    }

    /** A copy with another on-failure rule. */
    public Step<T> withOnFailure(OnFailure rule) {
        return toBuilder().onFailure(rule).build();
    }

    /** A copy under another name (useful when one building block is used twice in a plan). */
    public Step<T> withName(String newName) {
        Builder<T> b = toBuilder();
        b.name = newName;
        return b.build();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Step{").append(name).append(", ").append(effect);
        if (output != null) {
            b.append(", output ").append(output.name());
        }
        if (retry.maxAttempts() > 1) {
            b.append(", ").append(retry);
        }
        if (timeout != null) {
            b.append(", timeout ").append(timeout);
        }
        if (!(onFailure instanceof OnFailure.Abort)) {
            b.append(", on failure ").append(onFailure);
        }
        return b.append('}').toString();
    }

    /**
     * Builds a {@link Step}. Call {@link #output(Key)} before {@link #action(StepAction)}, since the output
     * key fixes the action's type. Setters check only for {@code null}; {@link #build()} checks everything else
     * and reports every problem at once. Not thread-safe.
     *
     * @param <T> the output type
     */
    public static final class Builder<T> {
        private String name;
        private final Effect effect;
        private Key<T> output;
        private final Set<Key<?>> reads = new LinkedHashSet<>();
        private StepAction<T> action;
        private RetryPolicy retry = RetryPolicy.none();
        private Duration timeout;
        private OnFailure onFailure = OnFailure.abort();
        private String description = "";
        private Predictor predictor;
        private String rerunSafety;
        private String outputAfterAction;

        private Builder(String name, Effect effect) {
            this.name = Objects.requireNonNull(name, "name");
            this.effect = effect;
        }

        /**
         * Declares the step's output; must come before {@link #action(StepAction)}. Called after it, the mistake
         * is reported by {@link #build()}, with the builder's other problems.
         */
        @SuppressWarnings("unchecked")
        public <R> Builder<R> output(Key<R> key) {
            Objects.requireNonNull(key, "key");
            if (action != null) {
                outputAfterAction = "output(" + key.name() + ") was called after action(...): call output("
                        + key.name() + ") before action(...), since the output key fixes the action's type";
            }
            Builder<R> self = (Builder<R>) this;
            self.output = key;
            return self;
        }

        /** The name given, for messages about a step that could not be built. */
        String name() {
            return name;
        }

        /** Declares keys the step reads, so the plan can check something produces them first. */
        public Builder<T> reads(Key<?>... keys) {
            for (Key<?> k : keys) {
                reads.add(Objects.requireNonNull(k, "key"));
            }
            return this;
        }

        /** The work; its return value is the step's output. */
        public Builder<T> action(StepAction<T> action) {
            this.action = Objects.requireNonNull(action, "action");
            return this;
        }

        /** The work, for a step without an output. */
        public Builder<T> run(VoidAction action) {
            Objects.requireNonNull(action, "action");
            this.action = ctx -> {
                action.execute(ctx);
                return null;
            };
            return this;
        }

        public Builder<T> retry(RetryPolicy policy) {
            this.retry = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Bounds all attempts together, including the waits between them. */
        public Builder<T> timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public Builder<T> onFailure(OnFailure rule) {
            this.onFailure = Objects.requireNonNull(rule, "rule");
            return this;
        }

        /** What the step does, in a sentence (shown in outlines and, without a predictor, in dry runs). */
        public Builder<T> describedAs(String description) {
            this.description = Objects.requireNonNull(description, "description");
            return this;
        }

        /** What the step would do in a given context, for dry runs: ideally the exact API calls. */
        public Builder<T> predict(Predictor predictor) {
            this.predictor = Objects.requireNonNull(predictor, "predictor");
            return this;
        }

        /**
         * Declares that the step can safely run again after an attempt that may have acted, and says how it
         * knows (e.g. "looks for the image this run tagged before creating one"); the action reads
         * {@link StepContext#isRerun()} to decide when to look.
         */
        public Builder<T> rerunnable(String how) {
            this.rerunSafety = Objects.requireNonNull(how, "how");
            return this;
        }

        /**
         * Builds the step.
         *
         * @throws PlanValidationException listing every problem: a malformed name, no action, a timeout that is not
         *                                 positive, an output declared after the action
         */
        public Step<T> build() {
            List<String> problems = new ArrayList<>();
            if (!NAME.matcher(name).matches()) {
                problems.add("name \"" + name + "\" does not match " + NAME.pattern());
            }
            if (action == null) {
                problems.add("action is not set: call action(ctx -> ...) or run(ctx -> ...)");
            }
            if (outputAfterAction != null) {
                problems.add(outputAfterAction);
            }
            if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
                problems.add("timeout " + timeout + " must be positive");
            }
            if (!problems.isEmpty()) {
                throw new PlanValidationException("Step \"" + name + "\"", problems);
            }
            return new Step<>(this);
        }
    }

    /** The work of a step without an output. */
    @FunctionalInterface
    public interface VoidAction {
        void execute(StepContext ctx) throws Exception;
    }
}
