package dev.stepwise.core.rollout;

import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.notify.Announcement;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.run.Runner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One plan, run once per target, over ordered {@link Wave}s, with {@link Checkpoint}s (soak periods, gates,
 * approvals, maintenance windows) between them.
 *
 * <p>Validated once, at {@link Builder#build()}, before anything runs: at least one wave, unique wave names, no
 * target in two fixed-list waves (targets from other sources are checked as each wave resolves them), no
 * checkpoint after the last wave. Defaults: each target's inputs are {@link Inputs#empty()} (steps can still
 * read {@code ctx.target()}). Immutable and thread-safe: one rollout may be run many times.
 *
 * <p>Run it with a {@link Runner}: {@code runner.run(rollout)}, {@code runner.dryRun().run(rollout)},
 * {@code runner.start(rollout)} for a handle to cancel it, {@code runner.resume(rollout, id)} after a crash.
 *
 * <pre>{@code
 * Rollout rollout = Rollout.builder("patch-fleet", plan).
 *     inputs(target -> Inputs.of(INSTANCE_ID, target)).
 *     wave(Wave.builder("non-production").targets("i-1", "i-2").maxConcurrency("50%").build()).
 *     soak(Duration.ofDays(7)).
 *     gate("every non-production target succeeded", r -> r.wave("non-production").allSucceeded()).
 *     approval(Approval.by(approver).timeout(Duration.ofHours(4))).
 *     wave(Wave.builder("production").targets(prod).maxConcurrency(10).maxErrors("10%").ramp().strict().build()).
 *     build();
 * RolloutResult r = Runner.create().run(rollout);
 * }</pre>
 */
public final class Rollout {
    private final String name;
    private final Plan plan;
    private final Function<String, Inputs> inputs;
    private final List<Wave> waves;
    private final Map<String, List<Checkpoint>> before;

    private Rollout(Builder b) {
        this.name = b.name;
        this.plan = b.plan;
        this.inputs = b.inputs;
        this.waves = List.copyOf(b.waves);
        Map<String, List<Checkpoint>> m = new LinkedHashMap<>();
        b.before.forEach((k, v) -> m.put(k, List.copyOf(v)));
        this.before = Map.copyOf(m);
    }

    /** Starts a rollout called {@code name} (letters, digits, '_', '.', '-') of {@code plan}. */
    public static Builder builder(String name, Plan plan) {
        return new Builder(name, plan);
    }

    public String name() {
        return name;
    }

    public Plan plan() {
        return plan;
    }

    /** The waves, in order. */
    public List<Wave> waves() {
        return waves;
    }

    /** The checkpoints the rollout passes before {@code wave} starts, in order. */
    public List<Checkpoint> checkpointsBefore(Wave wave) {
        return before.getOrDefault(wave.name(), List.of());
    }

    /** The inputs for {@code target}'s run. */
    public Inputs inputsFor(String target) {
        return Objects.requireNonNull(inputs.apply(target), () -> "inputs for target " + target);
    }

    /** An outline: the plan, then each wave with its checkpoints and limits. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Rollout ").append(name).append(" of plan ").append(plan.name())
                .append(" (").append(waves.size()).append(waves.size() == 1 ? " wave)\n" : " waves)\n");
        int i = 0;
        for (Wave w : waves) {
            for (Checkpoint c : checkpointsBefore(w)) {
                b.append("     then: ").append(c.kind().name().toLowerCase(java.util.Locale.ROOT)).append(' ')
                        .append(c.description()).append('\n');
            }
            b.append("  ").append(++i).append(". wave ").append(w.name()).append(": ").append(w.targets().description())
                    .append("; maxConcurrency ").append(w.maxConcurrency()).append(", maxErrors ").append(w.maxErrors())
                    .append(w.ramp() ? ", ramp with canary" : "").append(w.strict() ? ", strict" : "").append('\n');
        }
        return b.toString();
    }

    /** Builds a {@link Rollout}; checkpoints added between waves hold back the next wave. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final Plan plan;
        private Function<String, Inputs> inputs = t -> Inputs.empty();
        private final List<Wave> waves = new ArrayList<>();
        private final Map<String, List<Checkpoint>> before = new HashMap<>();
        private final List<Checkpoint> pending = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();

        private Builder(String name, Plan plan) {
            Objects.requireNonNull(name, "name");
            this.plan = Objects.requireNonNull(plan, "plan");
            if (!Wave.NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("Rollout name \"" + name + "\" does not match " + Wave.NAME.pattern()
                        + " (a letter or digit, then letters, digits, '_', '.' or '-', at most 128 characters)");
            }
            this.name = name;
        }

        /** How each target's inputs are made, e.g. {@code target -> Inputs.of(INSTANCE_ID, target)}. */
        public Builder inputs(Function<String, Inputs> perTarget) {
            this.inputs = Objects.requireNonNull(perTarget, "inputs");
            return this;
        }

        /** Adds a wave; checkpoints added since the previous wave hold it back. */
        public Builder wave(Wave wave) {
            Objects.requireNonNull(wave, "wave");
            if (waves.stream().anyMatch(w -> w.name().equals(wave.name()))) {
                problems.add("wave name \"" + wave.name() + "\" is used twice: wave names must be unique");
            } else {
                before.put(wave.name(), new ArrayList<>(pending));
            }
            pending.clear();
            waves.add(wave);
            return this;
        }

        /** Builds and adds a wave. */
        public Builder wave(Wave.Builder wave) {
            return wave(Objects.requireNonNull(wave, "wave").build());
        }

        /** Adds a checkpoint before the next wave. */
        public Builder checkpoint(Checkpoint checkpoint) {
            pending.add(Objects.requireNonNull(checkpoint, "checkpoint"));
            return this;
        }

        /** Waits {@code duration} (zero or more) on the rollout's clock before the next wave. */
        public Builder soak(Duration duration) {
            return checkpoint(new Checkpoint.Soak(duration));
        }

        /** Halts before the next wave unless {@code condition} holds for the result so far. */
        public Builder gate(String description, Predicate<RolloutResult> condition) {
            return checkpoint(new Checkpoint.Gate(description, condition));
        }

        /** Asks for an approval before the next wave. */
        public Builder approval(Approval approval) {
            return checkpoint(approval);
        }

        /** Runs the next wave only inside {@code window}; when it is closed at the start, waits or halts per {@code rule}. */
        public Builder window(MaintenanceWindow window, Checkpoint.WindowRule rule) {
            return checkpoint(new Checkpoint.Window(window, rule));
        }

        /**
         * Before the next wave, sends {@code announcement}'s notice and waits its lead time on the rollout's clock;
         * halts if a required announcement could not be sent.
         */
        public Builder announce(Announcement announcement) {
            return checkpoint(new Checkpoint.Notify(announcement));
        }

        /**
         * The rollout.
         *
         * @throws PlanValidationException listing every problem: no waves, a wave name used twice, a target in two
         *                                 fixed-list waves or twice in one, an empty fixed-list wave not allowed to be
         *                                 empty, a checkpoint after the last wave
         */
        public Rollout build() {
            List<String> all = new ArrayList<>(problems);
            if (waves.isEmpty()) {
                all.add("waves: none given; a rollout needs at least one wave");
            }
            for (Checkpoint c : pending) {
                all.add(c.kind().name().toLowerCase(java.util.Locale.ROOT) + " \"" + c.description()
                        + "\" comes after the last wave, so it holds nothing back: add it before a wave");
            }
            Map<String, String> seen = new HashMap<>();
            for (Wave w : waves) {
                if (w.targets() instanceof TargetSource.FixedTargets fixed) {
                    Set<String> inWave = new HashSet<>();
                    for (String t : fixed.targets()) {
                        if (t == null || t.isBlank()) {
                            all.add("wave " + w.name() + " has a blank target id: every target needs an id");
                            continue;
                        }
                        if (!inWave.add(t)) {
                            all.add("target " + t + " appears twice in wave " + w.name()
                                    + ": a target runs at most once per rollout");
                            continue;
                        }
                        String earlier = seen.putIfAbsent(t, w.name());
                        if (earlier != null && !earlier.equals(w.name())) {
                            all.add("target " + t + " is in wave " + earlier + " and in wave " + w.name()
                                    + ": a target runs at most once per rollout");
                        }
                    }
                    if (fixed.targets().isEmpty() && !w.allowEmpty()) {
                        all.add("wave " + w.name() + " has no targets: give it some, or call allowEmpty()");
                    }
                }
            }
            if (!all.isEmpty()) {
                throw new PlanValidationException("Rollout " + name, all);
            }
            return new Rollout(this);
        }
    }
}
