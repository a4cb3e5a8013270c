package dev.stepwise.core.rollout;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Where a wave's targets come from, resolved when the wave starts (not when the rollout is built), so a
 * query such as an EC2 tag filter sees the fleet as it is at that moment.
 *
 * <p>Implement {@link #resolve()} to plug in a provider; a source that throws halts the rollout before the wave
 * starts, with the failure in the result. A list from {@link #of(String...)} is known up front, so a target in
 * two such waves is reported when the rollout is built. Implementations must be thread-safe if a rollout is
 * run more than once at a time.
 *
 * <p>Written by hand rather than generated like Stepwise's other values: it is an interface users implement, and
 * its two records hold one or two fields given by the factories below.
 *
 * <pre>{@code
 * TargetSource canaries = TargetSource.of("i-0aaa", "i-0bbb");
 * TargetSource prod = TargetSource.named("ec2 tag Env=prod", () -> ec2.instanceIdsTagged("Env", "prod"));
 * }</pre>
 */
@FunctionalInterface
public interface TargetSource {

    /**
     * The targets, in the order they should start. Duplicates and blank ids are errors: a wave refuses them in a
     * fixed list when it is built, and halts on them in a resolved list before any target starts.
     */
    List<String> resolve() throws Exception;

    /** What this source is, for renderings; defaults to {@code "custom target source"}. */
    default String description() {
        return "custom target source";
    }

    /** A fixed list of targets. */
    static TargetSource of(String... targets) {
        return of(List.of(targets));
    }

    /** A fixed list of targets. */
    static TargetSource of(Collection<String> targets) {
        return new FixedTargets(List.copyOf(targets));
    }

    /** {@code source} with a description for renderings, e.g. {@code "ec2 tag Env=prod"}. */
    static TargetSource named(String description, TargetSource source) {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(source, "source");
        return new Named(description, source);
    }

    /**
     * Targets computed from what earlier waves produced — for example "the instances that scanned clean in wave
     * production-scan": the rollout calls {@code compute} with its result so far when the wave starts, and journals
     * the targets, so a resume uses the same ones. It can only be resolved by a rollout.
     */
    static TargetSource fromEarlierWaves(String description, Function<RolloutResult, List<String>> compute) {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(compute, "compute");
        return new FromEarlierWaves(description, compute);
    }

    /** Targets computed from earlier waves' results; see {@link #fromEarlierWaves}. */
    record FromEarlierWaves(String description, Function<RolloutResult, List<String>> compute) implements TargetSource {
        /** @throws IllegalStateException always: only a rollout, which knows the earlier waves, resolves it */
        @Override
        public List<String> resolve() {
            throw new IllegalStateException("targets \"" + description + "\" come from earlier waves' results: only a "
                    + "rollout resolves them, when the wave starts");
        }

        /** The targets, computed from the rollout's result so far. */
        public List<String> resolve(RolloutResult soFar) {
            return compute.apply(soFar);
        }
    }

    /** A fixed list, known before the rollout runs. */
    record FixedTargets(List<String> targets) implements TargetSource {
        public FixedTargets {
            targets = List.copyOf(targets);
        }

        @Override
        public List<String> resolve() {
            return targets;
        }

        @Override
        public String description() {
            return targets.size() <= 5 ? "targets " + targets : "targets " + targets.subList(0, 5) + " and "
                    + (targets.size() - 5) + " more";
        }
    }

    /** A described source. */
    record Named(String description, TargetSource source) implements TargetSource {
        @Override
        public List<String> resolve() throws Exception {
            return source.resolve();
        }
    }
}
