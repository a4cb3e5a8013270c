package dev.stepwise.core.rollout;

import dev.stepwise.core.PlanValidationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

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
 * Immutable and thread-safe.
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
public final class Wave {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    private final String name;
    private final TargetSource targets;
    private final Limit maxConcurrency;
    private final Limit maxErrors;
    private final boolean ramp;
    private final boolean strict;
    private final boolean allowEmpty;

    private Wave(Builder b) {
        this.name = b.name;
        this.targets = b.targets;
        this.maxConcurrency = b.maxConcurrency;
        this.maxErrors = b.maxErrors;
        this.ramp = b.ramp;
        this.strict = b.strict;
        this.allowEmpty = b.allowEmpty;
    }

    /** Starts a wave called {@code name} (letters, digits, '_', '.', '-'). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder holding this wave's settings. */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.targets = targets;
        b.maxConcurrency = maxConcurrency;
        b.maxErrors = maxErrors;
        b.ramp = ramp;
        b.strict = strict;
        b.allowEmpty = allowEmpty;
        return b;
    }

    public String name() {
        return name;
    }

    public TargetSource targets() {
        return targets;
    }

    public Limit maxConcurrency() {
        return maxConcurrency;
    }

    public Limit maxErrors() {
        return maxErrors;
    }

    /** Whether the wave ramps up 1, 2, 4, … with the first target as a canary. */
    public boolean ramp() {
        return ramp;
    }

    /** Whether in-flight targets are bounded by the remaining error budget. */
    public boolean strict() {
        return strict;
    }

    /** Whether a wave that resolves to no targets is allowed (it then succeeds at once). */
    public boolean allowEmpty() {
        return allowEmpty;
    }

    /**
     * The ramp's stage sizes for a wave of {@code targetCount} targets: 1, 2, 4, … while smaller than the
     * concurrency limit (always at least the canary stage of 1), cut short when targets run out; empty without
     * a ramp. Targets after the stages run at the full limit.
     */
    public List<Integer> rampStages(int targetCount) {
        List<Integer> stages = new ArrayList<>();
        if (!ramp || targetCount <= 0) {
            return stages;
        }
        int limit = maxConcurrency.concurrencyFor(targetCount);
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
        return "Wave{" + name + ": " + targets.description() + ", maxConcurrency=" + maxConcurrency + ", maxErrors="
                + maxErrors + (ramp ? ", ramp" : "") + (strict ? ", strict" : "") + (allowEmpty ? ", allowEmpty" : "")
                + "}";
    }

    /**
     * Builds a {@link Wave}. A bad name or limit is recorded and reported by {@link #build()} together with every
     * other problem, in one {@link PlanValidationException}; a later valid value for the same setting replaces a
     * bad one. Not thread-safe.
     */
    public static final class Builder {
        private final String name;
        private TargetSource targets;
        private Limit maxConcurrency = Limit.of(1);
        private Limit maxErrors = Limit.of(0);
        private boolean ramp;
        private boolean strict;
        private boolean allowEmpty;
        /** Problems found by the setters, by setting, so that a later good value clears a bad one. */
        private final Map<String, String> problems = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
            if (!NAME.matcher(name).matches()) {
                problems.put("name", "name \"" + name + "\" does not match " + NAME.pattern()
                        + " (a letter or digit, then letters, digits, '_', '.' or '-', at most 128 characters)");
            }
        }

        private void record(String setting, String problem) {
            problems.remove(setting);
            if (problem != null) {
                problems.put(setting, problem);
            }
        }

        /** Where the targets come from, resolved when the wave starts. */
        public Builder targets(TargetSource source) {
            this.targets = Objects.requireNonNull(source, "targets");
            return this;
        }

        /** A fixed list of targets. */
        public Builder targets(String... ids) {
            return targets(TargetSource.of(ids));
        }

        /** At most {@code count} targets in flight; at least 1. */
        public Builder maxConcurrency(int count) {
            if (count < 1) {
                record("maxConcurrency", "maxConcurrency " + count + " must be at least 1");
            } else {
                record("maxConcurrency", null);
                this.maxConcurrency = Limit.of(count);
            }
            return this;
        }

        /** At most {@code "10"} or {@code "10%"} targets in flight; a percentage rounds up, at least 1. */
        public Builder maxConcurrency(String limit) {
            Objects.requireNonNull(limit, "maxConcurrency");
            String problem = Limit.problem("maxConcurrency", limit);
            if (problem == null && Limit.parsed(limit).value() == 0) {
                problem = "maxConcurrency \"" + limit + "\" must be at least 1 (or 1%)";
            }
            record("maxConcurrency", problem);
            if (problem == null) {
                this.maxConcurrency = Limit.parsed(limit);
            }
            return this;
        }

        /** Halt once more than {@code count} targets have failed; 0 or more. */
        public Builder maxErrors(int count) {
            if (count < 0) {
                record("maxErrors", "maxErrors " + count + " must not be negative");
            } else {
                record("maxErrors", null);
                this.maxErrors = Limit.of(count);
            }
            return this;
        }

        /** Halt once more than {@code "2"} or {@code "10%"} of the targets have failed; a percentage rounds down. */
        public Builder maxErrors(String limit) {
            Objects.requireNonNull(limit, "maxErrors");
            String problem = Limit.problem("maxErrors", limit);
            record("maxErrors", problem);
            if (problem == null) {
                this.maxErrors = Limit.parsed(limit);
            }
            return this;
        }

        /** Ramps up 1, 2, 4, … to the concurrency limit; the first target is a canary. */
        public Builder ramp() {
            return ramp(true);
        }

        /** Turns the ramp on or off. */
        public Builder ramp(boolean on) {
            this.ramp = on;
            return this;
        }

        /** Keeps in flight no more targets than the remaining error budget, so failures never exceed maxErrors + 1. */
        public Builder strict() {
            return strict(true);
        }

        /** Turns strict mode on or off. */
        public Builder strict(boolean on) {
            this.strict = on;
            return this;
        }

        /** Lets the wave resolve to no targets (it then succeeds at once); otherwise that halts the rollout. */
        public Builder allowEmpty() {
            this.allowEmpty = true;
            return this;
        }

        /**
         * The wave.
         *
         * @throws PlanValidationException listing every problem: a malformed name, a limit out of range or
         *                                 malformed, no targets
         */
        public Wave build() {
            List<String> all = new ArrayList<>(problems.values());
            if (targets == null) {
                all.add("targets are not set: call targets(...)");
            }
            if (!all.isEmpty()) {
                throw new PlanValidationException("Wave \"" + name + "\"", all);
            }
            return new Wave(this);
        }
    }
}
