package dev.stepwise.core.plan;

import dev.stepwise.core.Durations;
import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.immutables.value.Value;

/**
 * One action of a plan: a name, a declared {@link Effect}, an optional typed output, the keys it reads, a
 * {@link RetryPolicy}, an optional timeout over all its attempts, an {@link OnFailure} rule, and what it
 * would do, for dry runs.
 *
 * <p>Defaults: no output, no retries ({@link RetryPolicy#none()}), no timeout, {@link OnFailure#abort()}; a
 * MUTATING step without a {@link Builder#predict predictor} is predicted by its description. The timeout is at
 * most {@link Durations#MAX} (30 days). Immutable and thread-safe; {@link #toBuilder()} and the {@code with…}
 * methods make changed copies.
 *
 * <pre>{@code
 * Step<String> backup = Step.mutating("backup").
 *     output(IMAGE_ID).
 *     reads(INSTANCE_ID).
 *     describedAs("create an AMI of the instance").
 *     action(ctx -> ec2.createImage(ctx.get(INSTANCE_ID))).
 *     retry(r -> r.maxAttempts(5)).
 *     build();
 * Step<String> patient = backup.withTimeout(Duration.ofMinutes(30));
 * }</pre>
 *
 * @param <T> the output type ({@code Void} for a step without an output)
 */
@Value.Immutable
public abstract class Step<T> {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 _.:/()-]{0,127}");

    Step() {
    }

    /** A step that only reads facts; dry runs execute it. */
    public static Builder<Void> readOnly(String name) {
        return new Builder<Void>().name(name).effect(Effect.READ_ONLY);
    }

    /** A step that changes something; dry runs only predict it. */
    public static Builder<Void> mutating(String name) {
        return new Builder<Void>().name(name).effect(Effect.MUTATING);
    }

    /** A builder holding this step's settings. */
    public Builder<T> toBuilder() {
        Builder<T> b = new Builder<T>().from(this);
        b.actionGiven = true;
        return b;
    }

    public abstract String name();

    public abstract Effect effect();

    abstract Optional<Key<T>> outputKey();

    abstract Set<Key<?>> readKeys();

    abstract Optional<StepAction<T>> work();

    @Value.Default
    String text() {
        return "";
    }

    abstract Optional<Predictor> predictor();

    abstract Optional<String> rerunHow();

    /** The key of the step's output, if it has one. */
    public Optional<Key<T>> output() {
        return outputKey();
    }

    /** The keys the step declares it reads; the plan checks that each is an input or an earlier output. */
    public Set<Key<?>> reads() {
        return readKeys();
    }

    /** The work; its return value is the step's output. */
    public StepAction<T> action() {
        return work().orElseThrow();
    }

    /** How the step is retried (default: {@link RetryPolicy#none()}). */
    @Value.Default
    public RetryPolicy retry() {
        return RetryPolicy.none();
    }

    /** The bound on all attempts together, including the waits between them. */
    public abstract Optional<Duration> timeout();

    /** What the run does when the step has failed all its attempts (default: {@link OnFailure#abort()}). */
    @Value.Default
    public OnFailure onFailure() {
        return OnFailure.abort();
    }

    /** What the step does, in a sentence. */
    public String description() {
        return text();
    }

    /**
     * How the step finds out whether an earlier attempt already acted, if it declares it: a resumed run re-runs
     * an unfinished MUTATING step only when it has one. READ_ONLY steps are always safe to re-run.
     */
    public Optional<String> rerunSafety() {
        return rerunHow();
    }

    @Value.Check
    void check() {
        List<String> problems = new ArrayList<>();
        if (!NAME.matcher(name()).matches()) {
            problems.add("name \"" + name() + "\" does not match " + NAME.pattern());
        }
        if (work().isEmpty()) {
            problems.add("action is not set: call action(ctx -> ...) or run(ctx -> ...)");
        }
        timeout().ifPresent(t -> Durations.checkPositive("timeout", t, problems));
        if (!problems.isEmpty()) {
            throw new PlanValidationException(subject(name()), problems);
        }
    }

    static String subject(String name) {
        return "Step \"" + name + "\"";
    }

    /** What the step would do in this context, for a dry run. */
    public List<Prediction> predict(StepContext ctx) throws Exception {
        if (predictor().isPresent()) {
            return List.copyOf(predictor().get().predict(ctx));
        }
        return List.of(Prediction.of(text().isEmpty() ? "run " + name() : text()));
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
        return toBuilder().name(newName).build();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Step{").append(name()).append(", ").append(effect());
        outputKey().ifPresent(k -> b.append(", output ").append(k.name()));
        if (retry().maxAttempts() > 1) {
            b.append(", ").append(retry());
        }
        timeout().ifPresent(t -> b.append(", timeout ").append(t));
        if (!(onFailure() instanceof OnFailure.Abort)) {
            b.append(", on failure ").append(onFailure());
        }
        return b.append('}').toString();
    }

    /**
     * Builds a {@link Step}. Call {@link #output(Key)} before {@link #action(StepAction)}, since the output
     * key fixes the action's type. Setters check only for {@code null}; {@link #build()} checks everything else
     * and reports every problem at once, in one {@link PlanValidationException}. Not thread-safe.
     *
     * @param <T> the output type
     */
    public static final class Builder<T> extends ImmutableStep.Builder<T> {
        private boolean actionGiven;
        /** Mistakes only the builder can see (the order of calls, a retry policy that did not build). */
        private final List<String> problems = new ArrayList<>();

        Builder() {
        }

        /**
         * Declares the step's output; must come before {@link #action(StepAction)}. Called after it, the mistake
         * is reported by {@link #build()}, with the builder's other problems.
         */
        @SuppressWarnings("unchecked")
        public <R> Builder<R> output(Key<R> key) {
            Objects.requireNonNull(key, "key");
            if (actionGiven) {
                problems.add("output(" + key.name() + ") was called after action(...): call output(" + key.name()
                        + ") before action(...), since the output key fixes the action's type");
            }
            Builder<R> self = (Builder<R>) (Builder<?>) this;
            self.outputKey(key);
            return self;
        }

        /** Declares keys the step reads (adding to those declared before), so the plan can check something produces them first. */
        public Builder<T> reads(Key<?>... keys) {
            for (Key<?> k : keys) {
                addReadKeys(Objects.requireNonNull(k, "key"));
            }
            return this;
        }

        /** The work; its return value is the step's output. */
        public Builder<T> action(StepAction<T> action) {
            actionGiven = true;
            return work(Objects.requireNonNull(action, "action"));
        }

        /** The work, for a step without an output. */
        public Builder<T> run(VoidAction action) {
            Objects.requireNonNull(action, "action");
            return action(ctx -> {
                action.execute(ctx);
                return null;
            });
        }

        /**
         * A retry policy made by {@code policy} from {@link RetryPolicy#builder()}'s defaults, e.g.
         * {@code retry(r -> r.maxAttempts(5).abortOn(IllegalArgumentException.class))}. A policy that does not
         * build is reported by {@link #build()}, with the step's other problems.
         */
        public Builder<T> retry(Consumer<RetryPolicy.Builder> policy) {
            RetryPolicy.Builder b = RetryPolicy.builder();
            Objects.requireNonNull(policy, "policy").accept(b);
            try {
                return retry(b.build());
            } catch (PlanValidationException e) {
                e.problems().forEach(p -> problems.add("retry: " + p));
                return this;
            }
        }

        /** What the step does, in a sentence (shown in outlines and, without a predictor, in dry runs). */
        public Builder<T> describedAs(String description) {
            return text(Objects.requireNonNull(description, "description"));
        }

        /** What the step would do in a given context, for dry runs: ideally the exact API calls. */
        public Builder<T> predict(Predictor predictor) {
            return predictor(Objects.requireNonNull(predictor, "predictor"));
        }

        /**
         * Declares that the step can safely run again after an attempt that may have acted, and says how it
         * knows (e.g. "looks for the image this run tagged before creating one"); the action reads
         * {@link StepContext#isRerun()} to decide when to look.
         */
        public Builder<T> rerunnable(String how) {
            return rerunHow(Objects.requireNonNull(how, "how"));
        }

        /**
         * Builds the step.
         *
         * @throws PlanValidationException listing every problem: a malformed name, no action, a timeout that is
         *                                 not positive or over 30 days, an output declared after the action, a
         *                                 retry policy that did not build
         */
        @Override
        public Step<T> build() {
            if (problems.isEmpty()) {
                return super.build();
            }
            List<String> all = new ArrayList<>();
            String subject;
            try {
                subject = subject(super.build().name());
            } catch (PlanValidationException e) {
                subject = e.subject();
                all.addAll(e.problems());
            }
            all.addAll(problems);
            throw new PlanValidationException(subject, all);
        }
    }

    /** The work of a step without an output. */
    @FunctionalInterface
    public interface VoidAction {
        void execute(StepContext ctx) throws Exception;
    }
}
