package dev.stepwise.core.rollout;

import dev.stepwise.core.PlanValidationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.immutables.value.Value;

/**
 * One wave of a rollout: its targets and how fast and how carefully it runs through them.
 *
 * <p>Defaults: {@code maxConcurrency 1}, {@code maxErrors 0} (the first failure halts), no ramp, not strict,
 * an empty wave is an error. Rules, exact:
 * <ul>
 *   <li>At most {@code maxConcurrency} targets are in flight (see {@link Limit} for percentages).</li>
 *   <li>Error budget: once more than {@code maxErrors} targets have failed, no new target starts; targets in
 *       flight finish and are reported; the wave and the rollout halt with a reason. Without {@link
 *       Builder#strict()}, in-flight targets may fail too, so failures can reach
 *       {@code maxErrors + maxConcurrency} (as with SSM's MaxErrors).</li>
 *   <li>{@link Builder#strict() Strict}: at most {@code maxErrors + 1 - failedSoFar} targets are in flight, so
 *       failures never exceed {@code maxErrors + 1}. With {@code maxErrors 0} a strict wave runs one target at
 *       a time.</li>
 *   <li>{@link Builder#ramp() Ramp}: stages of 1, 2, 4, … targets while the stage is smaller than the
 *       concurrency limit; each stage finishes before the next starts; then the rest of the wave runs at the
 *       limit. The first target is a canary: if it fails, the wave halts whatever the budget.</li>
 * </ul>
 * A fixed list of targets ({@link Builder#targets(String...)}) must name each target once, each with an id that
 * is not blank. Immutable and thread-safe; {@link #toBuilder()} starts a changed copy, and
 * {@link Rollout.Builder#wave(String, java.util.function.Consumer)} builds a wave in place.
 *
 * <pre>{@code
 * Wave prod = Wave.builder("production").
 *     targets(TargetSource.named("ec2 tag Env=prod", () -> ec2.idsTagged("Env", "prod"))).
 *     maxConcurrency(10).
 *     maxErrors("10%").
 *     ramp().
 *     strict().
 *     build();
 * }</pre>
 */
@Value.Immutable
public abstract class Wave {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    Wave() {
    }

    /** Starts a wave called {@code name} (letters, digits, '_', '.', '-'). */
    public static Builder builder(String name) {
        return new Builder().name(name);
    }

    /** A builder holding this wave's settings. */
    public Builder toBuilder() {
        return new Builder().from(this);
    }

    public abstract String name();

    abstract Optional<TargetSource> source();

    /**
     * The plan this wave runs on each target, when it is not the rollout's own — for example a read-only scan
     * before a later wave installs on the same targets. A target may be in several waves only if they run
     * different plans.
     */
    public abstract Optional<dev.stepwise.core.plan.Plan> plan();

    @Value.Default
    Limit concurrencyLimit() {
        return Limit.of(1);
    }

    @Value.Default
    Limit errorLimit() {
        return Limit.of(0);
    }

    /** Where the targets come from, resolved when the wave starts. */
    public TargetSource targets() {
        return source().orElseThrow();
    }

    /** At most this many targets in flight (default 1). */
    public Limit maxConcurrency() {
        return concurrencyLimit();
    }

    /** The error budget: the wave halts once more than this many targets have failed (default 0). */
    public Limit maxErrors() {
        return errorLimit();
    }

    /** Whether the wave ramps up 1, 2, 4, … with the first target as a canary (default false). */
    @Value.Default
    public boolean ramp() {
        return false;
    }

    /** Whether in-flight targets are bounded by the remaining error budget (default false). */
    @Value.Default
    public boolean strict() {
        return false;
    }

    /** Whether a wave that resolves to no targets is allowed (it then succeeds at once; default false). */
    @Value.Default
    public boolean allowEmpty() {
        return false;
    }

    @Value.Check
    void check() {
        List<String> problems = new ArrayList<>();
        if (!NAME.matcher(name()).matches()) {
            problems.add("name \"" + name() + "\" does not match " + NAME.pattern()
                    + " (a letter or digit, then letters, digits, '_', '.' or '-', at most 128 characters)");
        }
        if (concurrencyLimit().value() == 0) {
            problems.add("maxConcurrency " + concurrencyLimit() + " must be at least "
                    + (concurrencyLimit().isPercentage() ? "1%" : "1"));
        }
        if (source().isEmpty()) {
            problems.add("targets are not set: call targets(...)");
        } else {
            fixedTargets(source().get()).ifPresent(ids -> checkFixed(ids, problems));
        }
        if (!problems.isEmpty()) {
            throw new PlanValidationException(subject(name()), problems);
        }
    }

    private void checkFixed(List<String> ids, List<String> problems) {
        if (ids.isEmpty() && !allowEmpty()) {
            problems.add("targets [] are empty: give the wave some, or call allowEmpty()");
        }
        Set<String> seen = new HashSet<>();
        Set<String> twice = new LinkedHashSet<>();
        List<String> blank = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            if (id.isBlank()) {
                blank.add("\"" + id + "\" at position " + (i + 1));
            } else if (!seen.add(id)) {
                twice.add(id);
            }
        }
        if (!twice.isEmpty()) {
            problems.add("targets " + twice + " appear more than once: a target runs at most once per rollout");
        }
        if (!blank.isEmpty()) {
            problems.add("target ids " + String.join(", ", blank) + (blank.size() == 1 ? " is" : " are")
                    + " empty or blank: every target needs an id");
        }
    }

    /** The targets of a source known before the rollout runs: a fixed list, named or not. */
    static Optional<List<String>> fixedTargets(TargetSource source) {
        if (source instanceof TargetSource.FixedTargets fixed) {
            return Optional.of(fixed.targets());
        }
        if (source instanceof TargetSource.Named named) {
            return fixedTargets(named.source());
        }
        return Optional.empty();
    }

    static String subject(String name) {
        return "Wave \"" + name + "\"";
    }

    /**
     * The ramp's stage sizes for a wave of {@code targetCount} targets: 1, 2, 4, … while smaller than the
     * concurrency limit (always at least the canary stage of 1), cut short when targets run out; empty without
     * a ramp. Targets after the stages run at the full limit.
     */
    public List<Integer> rampStages(int targetCount) {
        List<Integer> stages = new ArrayList<>();
        if (!ramp() || targetCount <= 0) {
            return stages;
        }
        int limit = maxConcurrency().concurrencyFor(targetCount);
        int left = targetCount;
        int size = 1;
        do {
            int s = Math.min(size, left);
            stages.add(s);
            left -= s;
            size *= 2;
        } while (size < limit && left > 0);
        return List.copyOf(stages);
    }

    @Override
    public String toString() {
        return "Wave{" + name() + ": " + targets().description() + ", maxConcurrency=" + maxConcurrency()
                + ", maxErrors=" + maxErrors() + (ramp() ? ", ramp" : "") + (strict() ? ", strict" : "")
                + (allowEmpty() ? ", allowEmpty" : "") + "}";
    }

    /**
     * Builds a {@link Wave}. A limit given as a number or text that is not a limit is recorded and reported by
     * {@link #build()} together with every other problem, in one {@link PlanValidationException}; a later valid
     * value for the same setting replaces a bad one. Not thread-safe.
     */
    public static final class Builder extends ImmutableWave.Builder {
        /** Problems found by the limit setters, by setting, so that a later good value clears a bad one. */
        private final Map<String, String> problems = new LinkedHashMap<>();

        Builder() {
        }

        /** Where the targets come from, resolved when the wave starts. */
        public Builder targets(TargetSource source) {
            return source(Objects.requireNonNull(source, "targets"));
        }

        /** A fixed list of targets; duplicates and empty or blank ids are refused by {@link #build()}. */
        public Builder targets(String... ids) {
            return targets(TargetSource.of(ids));
        }

        /** A fixed list of targets; duplicates and empty or blank ids are refused by {@link #build()}. */
        public Builder targets(Collection<String> ids) {
            return targets(TargetSource.of(ids));
        }

        /** At most {@code limit} targets in flight; at least 1 (or 1%). */
        public Builder maxConcurrency(Limit limit) {
            problems.remove("maxConcurrency");
            return concurrencyLimit(limit);
        }

        /** At most {@code count} targets in flight; at least 1. */
        public Builder maxConcurrency(int count) {
            if (count < 0) {
                problems.put("maxConcurrency", "maxConcurrency " + count + " must be at least 1");
                return this;
            }
            return maxConcurrency(Limit.of(count));
        }

        /** At most {@code "10"} or {@code "10%"} targets in flight; a percentage rounds up, at least 1. */
        public Builder maxConcurrency(String limit) {
            Objects.requireNonNull(limit, "maxConcurrency");
            String problem = Limit.problem("maxConcurrency", limit);
            if (problem != null) {
                problems.put("maxConcurrency", problem);
                return this;
            }
            return maxConcurrency(Limit.parsed(limit));
        }

        /** Halt once more than {@code limit} targets have failed. */
        public Builder maxErrors(Limit limit) {
            problems.remove("maxErrors");
            return errorLimit(limit);
        }

        /** Halt once more than {@code count} targets have failed; 0 or more. */
        public Builder maxErrors(int count) {
            if (count < 0) {
                problems.put("maxErrors", "maxErrors " + count + " must not be negative");
                return this;
            }
            return maxErrors(Limit.of(count));
        }

        /** Halt once more than {@code "2"} or {@code "10%"} of the targets have failed; a percentage rounds down. */
        public Builder maxErrors(String limit) {
            Objects.requireNonNull(limit, "maxErrors");
            String problem = Limit.problem("maxErrors", limit);
            if (problem != null) {
                problems.put("maxErrors", problem);
                return this;
            }
            return maxErrors(Limit.parsed(limit));
        }

        /** Ramps up 1, 2, 4, … to the concurrency limit; the first target is a canary. */
        public Builder ramp() {
            return ramp(true);
        }

        /** Keeps in flight no more targets than the remaining error budget, so failures never exceed maxErrors + 1. */
        public Builder strict() {
            return strict(true);
        }

        /** Lets the wave resolve to no targets (it then succeeds at once); otherwise that halts the rollout. */
        public Builder allowEmpty() {
            return allowEmpty(true);
        }

        /**
         * The wave.
         *
         * @throws PlanValidationException listing every problem: a malformed name, a limit out of range or
         *                                 malformed, no targets, a fixed list with duplicate, empty or blank ids
         */
        @Override
        public Wave build() {
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
            all.addAll(problems.values());
            throw new PlanValidationException(subject, all);
        }
    }
}
