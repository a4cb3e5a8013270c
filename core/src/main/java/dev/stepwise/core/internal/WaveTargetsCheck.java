package dev.stepwise.core.internal;

import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.TargetSource;
import dev.stepwise.core.rollout.Wave;
import dev.stepwise.core.run.Failure;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Resolves a wave's targets and checks them: none blank, none twice, none that already ran the same plan in an
 * earlier wave.
 */
final class WaveTargetsCheck {
    private static final int MAX_PROBLEMS_SHOWN = 5;

    private WaveTargetsCheck() {
    }

    /** The targets, or why the wave cannot run them. */
    record Resolved(List<String> targets, String problem) {
        static Resolved of(List<String> targets) {
            return new Resolved(List.copyOf(targets), null);
        }
    }

    /**
     * Resolves {@code w}'s targets now; {@code seen} maps each (plan, target) that already ran to its wave, and
     * {@code plan} is the plan this wave runs.
     */
    /** How {@code seen} knows a target that already ran {@code plan}: a target runs each plan at most once. */
    static String key(String plan, String target) {
        return plan + "\u0000" + target;
    }

    static Resolved resolve(Wave w, String plan, Map<String, String> seen, Supplier<RolloutResult> soFar) {
        List<String> targets;
        try {
            List<String> resolved = w.targets() instanceof TargetSource.FromEarlierWaves earlier
                    ? earlier.resolve(soFar.get()) : w.targets().resolve();
            if (resolved == null) {
                throw new IllegalStateException("the source returned null instead of a list");
            }
            targets = new ArrayList<>(resolved);
        } catch (Exception | AssertionError e) {
            return new Resolved(List.of(), "targets from " + w.targets().description() + " could not be resolved: "
                    + Failure.of(e));
        }
        List<String> problems = new ArrayList<>();
        Set<String> inWave = new HashSet<>();
        for (String t : targets) {
            if (t == null || t.isBlank()) {
                problems.add("a blank target id");
            } else if (!inWave.add(t)) {
                problems.add("target " + t + " appears twice in this wave");
            } else if (seen.containsKey(key(plan, t))) {
                problems.add("target " + t + " already ran plan " + plan + " in wave " + seen.get(key(plan, t)));
            }
        }
        if (!problems.isEmpty()) {
            String shown = String.join("; ", problems.subList(0, Math.min(MAX_PROBLEMS_SHOWN, problems.size())))
                    + (problems.size() > MAX_PROBLEMS_SHOWN ? "; and " + (problems.size() - MAX_PROBLEMS_SHOWN) + " more" : "");
            return new Resolved(List.of(), "targets from " + w.targets().description()
                    + " are not valid (a target runs at most once per rollout): " + shown);
        }
        return Resolved.of(targets);
    }
}
