package dev.stepwise.temporal;

import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.rollout.Checkpoint;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.Wave;
import dev.stepwise.temporal.TemporalRefusedException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The plans and rollouts one worker runs, by name. Registration checks everything a workflow would otherwise
 * find out mid-run: a name used twice (or a plan of one name with two fingerprints) and a secret output (whose
 * value would land in the workflow's history). Thread-safe; filled before the worker starts.
 */
final class Registry {
    private final Map<String, Plan> plans = new ConcurrentHashMap<>();
    private final Map<String, Rollout> rollouts = new ConcurrentHashMap<>();

    void add(Plan plan) {
        Plan earlier = plans.putIfAbsent(plan.name(), plan);
        if (earlier != null) {
            throw new TemporalRefusedException(Reason.DUPLICATE_NAME, "Plan \"" + plan.name()
                    + "\" is already registered on this worker (fingerprint " + earlier.fingerprint()
                    + "): register a changed plan under a new name, for example \"" + plan.name() + "-v2\"");
        }
        List<String> secrets = new ArrayList<>();
        for (Step<?> s : plan.steps()) {
            s.output().filter(Key::secret).ifPresent(k -> secrets.add("step \"" + s.name() + "\" outputs secret " + k.name()));
        }
        if (!secrets.isEmpty()) {
            plans.remove(plan.name());
            throw new TemporalRefusedException(Reason.SECRET_IN_HISTORY, "Plan \"" + plan.name()
                    + "\" cannot run on Temporal: " + String.join("; ", secrets)
                    + ", and step outputs travel in the workflow's history, which must never hold a secret");
        }
    }

    /**
     * Registers a rollout, and every plan it runs (its own and each wave's) that is not registered yet; a plan of
     * the same name with another fingerprint is refused, and nothing of the rollout stays registered.
     */
    void add(Rollout rollout) {
        Map<String, Plan> runs = new LinkedHashMap<>();
        runs.put(rollout.plan().name(), rollout.plan());
        List<String> problems = new ArrayList<>();
        for (Wave w : rollout.waves()) {
            w.plan().ifPresent(p -> {
                Plan other = runs.putIfAbsent(p.name(), p);
                if (other != null && !other.fingerprint().equals(p.fingerprint())) {
                    problems.add("wave \"" + w.name() + "\" runs plan \"" + p.name() + "\" with fingerprint "
                            + p.fingerprint() + ", but the rollout runs another plan of that name (fingerprint "
                            + other.fingerprint() + ")");
                }
            });
        }
        for (Plan p : runs.values()) {
            Plan known = plans.get(p.name());
            if (known != null && !known.fingerprint().equals(p.fingerprint())) {
                problems.add("it runs plan \"" + p.name() + "\" with fingerprint " + p.fingerprint()
                        + ", but another plan of that name (fingerprint " + known.fingerprint() + ") is registered");
            }
        }
        if (!problems.isEmpty()) {
            throw new TemporalRefusedException(Reason.DUPLICATE_NAME, "Rollout \"" + rollout.name() + "\" cannot be "
                    + "registered: " + String.join("; ", problems));
        }
        Rollout earlier = rollouts.putIfAbsent(rollout.name(), rollout);
        if (earlier != null) {
            throw new TemporalRefusedException(Reason.DUPLICATE_NAME, "Rollout \"" + rollout.name()
                    + "\" is already registered on this worker: register a changed rollout under a new name");
        }
        List<String> added = new ArrayList<>();
        try {
            for (Plan p : runs.values()) {
                if (!plans.containsKey(p.name())) {
                    add(p);
                    added.add(p.name());
                }
            }
        } catch (TemporalRefusedException e) {
            rollouts.remove(rollout.name());
            added.forEach(plans::remove);
            throw e;
        }
    }

    Plan plan(String name, String fingerprint) {
        Plan p = plans.get(name);
        if (p == null) {
            throw new TemporalRefusedException(Reason.UNKNOWN, "Plan \"" + name + "\" is not registered on this worker"
                    + " (registered: " + (plans.isEmpty() ? "none" : String.join(", ", plans.keySet())) + ")");
        }
        if (fingerprint != null && !p.fingerprint().equals(fingerprint)) {
            throw new TemporalRefusedException(Reason.CHANGED, "Plan \"" + name + "\" changed under a running workflow:"
                    + " it started with fingerprint " + fingerprint + ", this worker has " + p.fingerprint()
                    + "; deploy a changed plan under a new name or version and let running workflows finish on the old one");
        }
        return p;
    }

    Rollout rollout(String name, String fingerprint) {
        return rollout(name, fingerprint, null);
    }

    /**
     * The registered rollout {@code name}, refused when its fingerprint differs from {@code fingerprint} (the one
     * the workflow started with); the refusal also names its plan's fingerprints when {@code planFingerprint} (the
     * plan's at the start) is known.
     */
    Rollout rollout(String name, String fingerprint, String planFingerprint) {
        Rollout r = rollouts.get(name);
        if (r == null) {
            throw new TemporalRefusedException(Reason.UNKNOWN, "Rollout \"" + name + "\" is not registered on this worker"
                    + " (registered: " + (rollouts.isEmpty() ? "none" : String.join(", ", rollouts.keySet())) + ")");
        }
        if (fingerprint != null && !fingerprint(r).equals(fingerprint)) {
            throw new TemporalRefusedException(Reason.CHANGED, "Rollout \"" + name + "\" changed under a running workflow:"
                    + " it started with fingerprint " + fingerprint + ", this worker has " + fingerprint(r)
                    + (planFingerprint == null || planFingerprint.equals(r.plan().fingerprint()) ? ""
                    : " (its plan \"" + r.plan().name() + "\" started with fingerprint " + planFingerprint
                    + ", this worker's has " + r.plan().fingerprint() + ")")
                    + "; deploy a changed rollout under a new name and let running workflows finish on the old one");
        }
        return r;
    }

    /** Every key a plan's inputs and outputs use, by name. */
    static Map<String, Key<?>> keys(Plan plan) {
        Map<String, Key<?>> keys = new LinkedHashMap<>();
        for (Input<?> in : plan.inputs()) {
            keys.put(in.key().name(), in.key());
        }
        for (Step<?> s : plan.steps()) {
            s.output().ifPresent(k -> keys.put(k.name(), k));
            s.reads().forEach(k -> keys.putIfAbsent(k.name(), k));
        }
        return keys;
    }

    /**
     * A rollout's structure as a short hash: its plan's fingerprint, then each wave's name, targets' description,
     * limits and flags and the kind and description of every checkpoint before it. Not the code of gates or
     * target computations, which no fingerprint can see.
     */
    static String fingerprint(Rollout r) {
        StringBuilder b = new StringBuilder(r.name()).append('|').append(r.plan().fingerprint());
        for (Wave w : r.waves()) {
            for (Checkpoint c : r.checkpointsBefore(w)) {
                b.append("|cp:").append(c.kind()).append(':').append(c.description());
            }
            b.append("|wave:").append(w.name()).append(':').append(w.targets().description()).append(':')
                    .append(w.maxConcurrency()).append(':').append(w.maxErrors()).append(':').append(w.strict())
                    .append(':').append(w.allowEmpty());
            // added only when set, so rollouts without them keep the fingerprint they had before ramps and
            // per-wave plans ran on Temporal
            if (w.ramp()) {
                b.append(":ramp");
            }
            w.plan().ifPresent(p -> b.append(":plan=").append(p.name()).append('@').append(p.fingerprint()));
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(b.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
