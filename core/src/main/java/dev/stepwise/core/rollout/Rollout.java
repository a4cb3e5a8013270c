package dev.stepwise.core.rollout;

import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.notify.Announcement;
import dev.stepwise.core.notify.Notifications;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.run.Runner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One plan, run once per target, over ordered {@link Wave}s, with {@link Checkpoint}s (soak periods, gates,
 * approvals, maintenance windows) between them.
 *
 * <p>Validated once, at {@link Builder#build()}, before anything runs: at least one wave, unique wave names, no
 * target in two fixed-list waves (targets from other sources are checked as each wave resolves them), no
 * checkpoint after the last wave; each wave checks its own settings and fixed targets. Defaults: each target's
 * inputs are {@link Inputs#empty()} (steps can still read {@code ctx.target()}). Immutable and thread-safe: one
 * rollout may be run many times; {@link #toBuilder()} starts a changed copy.
 *
 * <p>Written by hand, unlike Stepwise's other values: its builder is a sequence (a checkpoint holds back the wave
 * added after it) checked as a whole, which a generated builder of attributes cannot express.
 *
 * <p>Run it with a {@link Runner}: {@code runner.run(rollout)}, {@code runner.dryRun().run(rollout)},
 * {@code runner.start(rollout)} for a handle to cancel it, {@code runner.resume(rollout, id)} after a crash.
 *
 * <pre>{@code
 * Rollout rollout = Rollout.builder("patch-fleet", plan).
 *     inputs(target -> Inputs.of(INSTANCE_ID, target)).
 *     wave("non-production", w -> w.targets("i-1", "i-2").maxConcurrency("50%")).
 *     soak(Duration.ofDays(7)).
 *     gate("every non-production target succeeded", r -> r.wave("non-production").allSucceeded()).
 *     approval(approver, a -> a.timeout(Duration.ofHours(4))).
 *     wave("production", w -> w.targets(prod).maxConcurrency(10).maxErrors("10%").ramp().strict()).
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
    private final Map<String, Object> parameters;
    private final String id;

    /** What a chosen rollout id may hold: it names journal files and prefixes its targets' run ids. */
    static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,39}");

    private Rollout(Builder b) {
        this.name = b.name;
        this.plan = b.plan;
        this.inputs = b.inputs;
        this.waves = List.copyOf(b.waves);
        Map<String, List<Checkpoint>> m = new LinkedHashMap<>();
        b.before.forEach((k, v) -> m.put(k, List.copyOf(v)));
        this.before = Map.copyOf(m);
        this.parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.parameters));
        this.id = b.id;
    }

    /** Starts a rollout called {@code name} (letters, digits, '_', '.', '-') of {@code plan}. */
    public static Builder builder(String name, Plan plan) {
        return new Builder(name, plan);
    }

    /** A builder holding this rollout's settings, waves and checkpoints, to add to or change. */
    public Builder toBuilder() {
        Builder b = new Builder(name, plan).inputs(inputs).parameters(parameters);
        if (id != null) {
            b.id(id);
        }
        for (Wave w : waves) {
            checkpointsBefore(w).forEach(b::checkpoint);
            b.wave(w);
        }
        return b;
    }

    public String name() {
        return name;
    }

    public Plan plan() {
        return plan;
    }

    /**
     * What the rollout was made from, recorded in its journal when it starts ({@code RolloutStarted.parameters}) so
     * that a tool can rebuild the same rollout for a resume from the id alone; empty unless given. Not part of the
     * fingerprint.
     */
    public Map<String, Object> parameters() {
        return parameters;
    }

    /**
     * The id a live run of this rollout takes, when one was chosen ({@link Builder#id}); otherwise the runner makes
     * a new one per run. Not part of the fingerprint.
     */
    public java.util.Optional<String> id() {
        return java.util.Optional.ofNullable(id);
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

    /**
     * Builds a {@link Rollout}; checkpoints added between waves hold back the next wave. A wave, approval or
     * announcement given as a builder, or made in place by a customiser, is built here, and so are soaks, gates
     * and windows; if one cannot be, its problems are reported by {@link #build()} with the rollout's own, in one
     * {@link PlanValidationException}. A
     * customiser starts from the defaults of {@link Wave#builder(String)}, {@link Approval#by(Approver)} or
     * {@link Announcement#to(Notifications)}. Not thread-safe.
     */
    public static final class Builder {
        private final String name;
        private final Plan plan;
        private Function<String, Inputs> inputs = t -> Inputs.empty();
        private final List<Wave> waves = new ArrayList<>();
        private final Map<String, List<Checkpoint>> before = new HashMap<>();
        private final List<Checkpoint> pending = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();
        private final Map<String, Object> parameters = new LinkedHashMap<>();
        private String id;
        private boolean waveRefused;

        private Builder(String name, Plan plan) {
            this.name = Objects.requireNonNull(name, "name");
            this.plan = Objects.requireNonNull(plan, "plan");
            if (!Wave.NAME.matcher(name).matches()) {
                problems.add("name \"" + name + "\" does not match " + Wave.NAME.pattern()
                        + " (a letter or digit, then letters, digits, '_', '.' or '-', at most 128 characters)");
            }
        }

        /**
         * What this rollout is made from, to be recorded in its journal when it starts, so that a command line or a
         * scheduler can rebuild the same rollout for {@code resume ID} from the journal alone (replacing any given
         * before). Plain JSON values only — strings, numbers, booleans, lists and maps of them — and never a secret:
         * the journal keeps them as given.
         */
        public Builder parameters(Map<String, ?> values) {
            parameters.clear();
            values.forEach((k, v) -> parameters.put(Objects.requireNonNull(k, "parameter name"), v));
            return this;
        }

        /**
         * The id a live run takes instead of a new one, e.g. {@code "patching-2026-12"}, so a scheduled job can use
         * the same id every time: start it once, then resume it ({@code Runner.resume(rollout, id)}); starting an id
         * whose journal already exists is refused. A letter or digit, then letters, digits, '_', '.' or '-', at
         * most 40 characters.
         */
        public Builder id(String rolloutId) {
            Objects.requireNonNull(rolloutId, "id");
            if (!ID.matcher(rolloutId).matches()) {
                problems.add("id \"" + rolloutId + "\" does not match " + ID.pattern() + " (a letter or digit, then "
                        + "letters, digits, '_', '.' or '-', at most 40 characters)");
            } else {
                this.id = rolloutId;
            }
            return this;
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
            Objects.requireNonNull(wave, "wave");
            try {
                return wave(wave.build());
            } catch (PlanValidationException e) {
                problems.addAll(within(e));
                pending.clear();
                waveRefused = true;
                return this;
            }
        }

        /**
         * Adds a wave called {@code name}, made in place: {@code wave("production", w -> w.targets(prod).maxErrors("10%"))}.
         */
        public Builder wave(String name, Consumer<Wave.Builder> wave) {
            Wave.Builder b = Wave.builder(name);
            Objects.requireNonNull(wave, "wave").accept(b);
            return wave(b);
        }

        /** Adds a checkpoint before the next wave. */
        public Builder checkpoint(Checkpoint checkpoint) {
            pending.add(Objects.requireNonNull(checkpoint, "checkpoint"));
            return this;
        }

        /** Waits {@code duration} (zero to 30 days) on the rollout's clock before the next wave. */
        public Builder soak(Duration duration) {
            return checkpoint(() -> new Checkpoint.Soak(duration));
        }

        /**
         * Waits {@code duration} on the rollout's clock before the next wave while watching the rollout's health: every
         * {@code every} (and at the soak's end) {@code watch} is evaluated over the result so far, each verdict is
         * journaled, and the first that does not hold halts the rollout (see {@link Checkpoint.WatchedSoak}).
         * {@code soak(Duration.ofDays(7), Duration.ofHours(1), "no alarm fires", r -> alarms.check())}.
         */
        public Builder soak(Duration duration, Duration every, String watched, Function<RolloutResult, GateVerdict> watch) {
            return checkpoint(() -> new Checkpoint.WatchedSoak(duration, every, watched, watch));
        }

        /** Halts before the next wave unless {@code condition} holds for the result so far. */
        public Builder gate(String description, Predicate<RolloutResult> condition) {
            return checkpoint(() -> Checkpoint.Gate.when(description, condition));
        }

        /**
         * Halts before the next wave unless the {@link GateVerdict} {@code verdict} computes from the result so far
         * holds; the data it saw is journaled with the verdict and shown in the result and the report.
         */
        public Builder gateWithData(String description, Function<RolloutResult, GateVerdict> verdict) {
            return checkpoint(() -> new Checkpoint.Gate(description, verdict));
        }

        /** Adds the checkpoint {@code make} makes, or keeps its problems for {@link #build()}. */
        private Builder checkpoint(Supplier<Checkpoint> make) {
            try {
                return checkpoint(make.get());
            } catch (PlanValidationException e) {
                problems.addAll(within(e));
                return this;
            }
        }

        /** Asks for an approval before the next wave. */
        public Builder approval(Approval approval) {
            return checkpoint(approval);
        }

        /** Builds and asks for an approval before the next wave. */
        public Builder approval(Approval.Builder approval) {
            Objects.requireNonNull(approval, "approval");
            try {
                return approval(approval.build());
            } catch (PlanValidationException e) {
                problems.addAll(within(e));
                return this;
            }
        }

        /**
         * Asks {@code approver} before the next wave, with settings made in place:
         * {@code approval(approver, a -> a.timeout(Duration.ofHours(4)))}.
         */
        public Builder approval(Approver approver, Consumer<Approval.Builder> approval) {
            Approval.Builder b = Approval.by(approver);
            Objects.requireNonNull(approval, "approval").accept(b);
            return approval(b);
        }

        /** Runs the next wave only inside {@code window}; when it is closed at the start, waits or halts per {@code rule}. */
        public Builder window(MaintenanceWindow window, Checkpoint.WindowRule rule) {
            return checkpoint(() -> new Checkpoint.Window(window, rule));
        }

        /**
         * Before the next wave, sends {@code announcement}'s notice and waits its lead time on the rollout's clock;
         * halts if a required announcement could not be sent.
         */
        public Builder announce(Announcement announcement) {
            return checkpoint(new Checkpoint.Notify(announcement));
        }

        /** Builds and adds an announcement before the next wave (see {@link #announce(Announcement)}). */
        public Builder announce(Announcement.Builder announcement) {
            Objects.requireNonNull(announcement, "announcement");
            try {
                return announce(announcement.build());
            } catch (PlanValidationException e) {
                problems.addAll(within(e));
                return this;
            }
        }

        /**
         * Announces the next wave through {@code notifications}, with settings made in place:
         * {@code announce(ops, a -> a.leadTime(Duration.ofHours(24)).required())}.
         */
        public Builder announce(Notifications notifications, Consumer<Announcement.Builder> announcement) {
            Announcement.Builder b = Announcement.to(notifications);
            Objects.requireNonNull(announcement, "announcement").accept(b);
            return announce(b);
        }

        /**
         * The rollout.
         *
         * @throws PlanValidationException listing every problem: a malformed name, no waves, a wave name used twice,
         *                                 a target in two fixed-list waves, a checkpoint after the last wave, and
         *                                 every problem of a wave, checkpoint, approval or announcement made here
         */
        public Rollout build() {
            List<String> all = new ArrayList<>(problems);
            if (waves.isEmpty() && !waveRefused) {
                all.add("waves: none given; a rollout needs at least one wave");
            }
            for (Checkpoint c : pending) {
                all.add(c.kind().name().toLowerCase(java.util.Locale.ROOT) + " \"" + c.description()
                        + "\" comes after the last wave, so it holds nothing back: add it before a wave");
            }
            Map<String, String> seen = new HashMap<>();
            for (Wave w : waves) {
                String runs = w.plan().orElse(plan).name();
                for (String t : Wave.fixedTargets(w.targets()).orElse(List.of())) {
                    String earlier = seen.putIfAbsent(runs + "\u0000" + t, w.name());
                    if (earlier != null && !earlier.equals(w.name())) {
                        all.add("target " + t + " is in wave " + earlier + " and in wave " + w.name()
                                + ", which run the same plan " + runs + ": a target runs a plan at most once per "
                                + "rollout");
                    }
                }
            }
            if (!all.isEmpty()) {
                throw new PlanValidationException("Rollout " + name, all);
            }
            return new Rollout(this);
        }

        /** A part's problems, each prefixed with what the part is ({@code wave "production": …}). */
        private static List<String> within(PlanValidationException e) {
            String subject = e.subject().isEmpty() ? "" : Character.toLowerCase(e.subject().charAt(0))
                    + e.subject().substring(1) + ": ";
            return e.problems().stream().map(p -> subject + p).toList();
        }
    }
}
