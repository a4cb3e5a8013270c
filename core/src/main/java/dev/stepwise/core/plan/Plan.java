package dev.stepwise.core.plan;

import dev.stepwise.core.InvalidInputException;
import dev.stepwise.core.PlanValidationException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * An immutable, named sequence of steps, preconditions, branches and ends, with declared inputs. Built
 * fluently and validated once, at {@link Builder#build()}: duplicate step names, a go-to naming an unknown or
 * earlier step, a step reading a key that nothing before it produces, and anything after an end are all
 * reported together in one {@link PlanValidationException}.
 *
 * <p>A plan prints as an outline ({@link #toString()}) and as a Mermaid flowchart ({@link #toMermaid()}). Its
 * {@link #fingerprint()} changes whenever its structure does, so a journal can refuse to resume a run with a
 * different plan. The structure is the inputs (name, type, required) and, in order, every step (name, effect,
 * output key, on-failure rule), precondition, branch with its arms, and end — not descriptions, reasons, retry
 * settings or timeouts, so a library upgrade that only rewords or tunes a plan does not strand a waiting run. Immutable and thread-safe: one plan may be run many times at once; {@link #toBuilder()} starts
 * a changed copy.
 *
 * <p>Written by hand, unlike Stepwise's other values: its builder is a small language (nodes in order, branch
 * arms built in nested scopes) checked as one flow, which a generated builder of attributes cannot express.
 *
 * <pre>{@code
 * Plan plan = Plan.builder("patch-db-host").
 *     input(INSTANCE_ID, i -> i.matching("i-[0-9a-f]{8,17}")).
 *     require("instance is Windows", ctx -> facts.isWindows(ctx.get(INSTANCE_ID))).
 *     step(backup).
 *     branch("anything missing?", ctx -> ctx.get(MISSING) > 0,
 *         then -> then.step(install),
 *         otherwise -> otherwise.end("nothing to install")).
 *     build();
 * }</pre>
 */
public final class Plan {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    private final String name;
    private final String description;
    private final List<Input<?>> inputs;
    private final List<PlanNode> nodes;
    private final String outline;
    private final String fingerprint;

    private Plan(Builder b) {
        this.name = b.name;
        this.description = b.description;
        this.inputs = List.copyOf(b.inputs.values());
        this.nodes = List.copyOf(b.nodes);
        String body = PlanRendering.outlineBody(this);
        this.fingerprint = sha256(PlanRendering.structure(this)).substring(0, 16);
        this.outline = PlanRendering.outlineHeader(this) + body;
    }

    /** Starts a plan called {@code name} (letters, digits, '_', '.', '-'). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder holding this plan's name, description, inputs and nodes, to add to or change. */
    public Builder toBuilder() {
        Builder b = new Builder(name).describedAs(description);
        inputs.forEach(b::input);
        b.nodes.addAll(nodes);
        return b;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    /** The declared inputs, in declaration order. */
    public List<Input<?>> inputs() {
        return inputs;
    }

    /** The top-level nodes; branches hold their own. */
    public List<PlanNode> nodes() {
        return nodes;
    }

    /** Every step, branches included, in plan order. */
    public List<Step<?>> steps() {
        List<Step<?>> out = new ArrayList<>();
        collectSteps(nodes, out);
        return Collections.unmodifiableList(out);
    }

    /** The step called {@code stepName}, if there is one. */
    public Optional<Step<?>> step(String stepName) {
        return steps().stream().filter(s -> s.name().equals(stepName)).findFirst();
    }

    /** A short hash of the plan's structure (names, effects, keys, policies, order). */
    public String fingerprint() {
        return fingerprint;
    }

    /**
     * Checks {@code given} against the declared inputs and returns them with defaults filled in.
     *
     * @throws InvalidInputException listing every missing, unknown, mistyped or rule-breaking input
     */
    public Inputs resolve(Inputs given) {
        Objects.requireNonNull(given, "inputs");
        List<String> problems = new ArrayList<>();
        Map<String, Input<?>> byName = new LinkedHashMap<>();
        for (Input<?> in : inputs) {
            byName.put(in.key().name(), in);
        }
        for (Key<?> k : given.asMap().keySet()) {
            Input<?> declared = byName.get(k.name());
            if (declared == null) {
                problems.add(k.name() + " is not an input of this plan (inputs: "
                        + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet())) + ")");
            }
        }
        Inputs resolved = Inputs.empty();
        for (Input<?> in : inputs) {
            Object value = given.asMap().entrySet().stream()
                    .filter(e -> e.getKey().name().equals(in.key().name()))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            Object v = in.check(value, problems);
            if (v != null && in.key().isValue(v)) {
                resolved = put(resolved, in.key(), v);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(name, problems);
        }
        return resolved;
    }

    private static <T> Inputs put(Inputs inputs, Key<T> key, Object value) {
        return inputs.with(key, key.cast(value));
    }

    /** The plan as a Mermaid flowchart, branches included. */
    public String toMermaid() {
        return PlanRendering.mermaid(this);
    }

    /** The plan as an indented outline: inputs, then numbered steps, checks, branches and ends. */
    public String outline() {
        return outline;
    }

    @Override
    public String toString() {
        return outline;
    }

    static void collectSteps(List<PlanNode> nodes, List<Step<?>> out) {
        for (PlanNode n : nodes) {
            if (n instanceof PlanNode.StepNode s) {
                out.add(s.step());
            } else if (n instanceof PlanNode.Branch b) {
                collectSteps(b.then(), out);
                collectSteps(b.otherwise(), out);
            }
        }
    }

    /**
     * The problems of a part that did not build, each prefixed with what the part is ({@code step "install": …}),
     * for the plan's own list.
     */
    static List<String> within(PlanValidationException e) {
        String subject = e.subject().isEmpty() ? "" : Character.toLowerCase(e.subject().charAt(0))
                + e.subject().substring(1) + ": ";
        return e.problems().stream().map(p -> subject + p).toList();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /**
     * The nodes of a plan or of a branch arm, added in order. Not thread-safe.
     *
     * @param <S> the concrete builder, so chains keep their type
     */
    public abstract static class Sequence<S extends Sequence<S>> {
        final List<PlanNode> nodes = new ArrayList<>();
        /** Problems of steps built here, reported by {@link Builder#build()} with the plan's own. */
        final List<String> stepProblems = new ArrayList<>();

        Sequence() {
        }

        @SuppressWarnings("unchecked")
        private S self() {
            return (S) this;
        }

        /** Adds a step. */
        public S step(Step<?> step) {
            nodes.add(new PlanNode.StepNode(Objects.requireNonNull(step, "step")));
            return self();
        }

        /**
         * Builds and adds a step. A step that cannot be built is left out, and its problems are reported by the
         * plan's {@link Builder#build()} together with every other problem of the plan.
         */
        public S step(Step.Builder<?> step) {
            Objects.requireNonNull(step, "step");
            try {
                return step(step.build());
            } catch (PlanValidationException e) {
                stepProblems.addAll(within(e));
                return self();
            }
        }

        /** Adds a precondition: the run stops, FAILED and changing nothing more, unless {@code check} holds. */
        public S require(String description, Check check) {
            nodes.add(new PlanNode.Require(description, check));
            return self();
        }

        /** Adds a branch with both arms. */
        public S branch(String description, Check condition, Consumer<Arm> then, Consumer<Arm> otherwise) {
            Arm t = new Arm();
            Arm o = new Arm();
            Objects.requireNonNull(then, "then").accept(t);
            Objects.requireNonNull(otherwise, "otherwise").accept(o);
            nodes.add(new PlanNode.Branch(description, condition, t.nodes, o.nodes));
            stepProblems.addAll(t.stepProblems);
            stepProblems.addAll(o.stepProblems);
            return self();
        }

        /** Adds a branch that does something only when {@code condition} holds. */
        public S when(String description, Check condition, Consumer<Arm> then) {
            return branch(description, condition, then, o -> { });
        }

        /** Ends the run successfully here, with a reason. */
        public S end(String reason) {
            nodes.add(new PlanNode.End(reason));
            return self();
        }
    }

    /** The nodes of one arm of a branch. */
    public static final class Arm extends Sequence<Arm> {
        Arm() {
        }
    }

    /** Builds a {@link Plan}. Not thread-safe. */
    public static final class Builder extends Sequence<Builder> {
        private final String name;
        private String description = "";
        private final Map<String, Input<?>> inputs = new LinkedHashMap<>();
        private final List<String> inputProblems = new ArrayList<>();

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** A sentence saying what the plan is for. */
        public Builder describedAs(String text) {
            this.description = Objects.requireNonNull(text, "text");
            return this;
        }

        /** Declares a required input with no rules. */
        public Builder input(Key<?> key) {
            return input(Input.required(key));
        }

        /** Declares an input. */
        public Builder input(Input<?> input) {
            Objects.requireNonNull(input, "input");
            if (inputs.putIfAbsent(input.key().name(), input) != null) {
                inputProblems.add("input " + input.key().name() + " is declared twice");
            }
            return this;
        }

        /**
         * Builds and declares an input, e.g. {@code input(Input.required(HOST).matching("[a-z0-9-]+"))}. An input
         * that cannot be built is left out, and its problems are reported by {@link #build()} with the plan's.
         */
        public Builder input(Input.Builder<?> input) {
            Objects.requireNonNull(input, "input");
            try {
                return input(input.build());
            } catch (PlanValidationException e) {
                inputProblems.addAll(within(e));
                return this;
            }
        }

        /**
         * Declares an input made in place from {@link Input#required(Key)}, e.g.
         * {@code input(HOST, i -> i.matching("[a-z0-9-]+").describedAs("the host to patch"))}.
         */
        public <T> Builder input(Key<T> key, Consumer<Input.Builder<T>> input) {
            Input.Builder<T> b = Input.required(key);
            Objects.requireNonNull(input, "input").accept(b);
            return input(b);
        }

        /**
         * Validates and builds the plan.
         *
         * @throws PlanValidationException listing every problem found
         */
        public Plan build() {
            List<String> problems = new ArrayList<>(inputProblems);
            problems.addAll(stepProblems);
            if (!NAME.matcher(name).matches()) {
                problems.add("name \"" + name + "\" does not match " + NAME.pattern());
            }
            List<Step<?>> steps = new ArrayList<>();
            collectSteps(nodes, steps);
            if (steps.isEmpty() && stepProblems.isEmpty() && nodes.stream().noneMatch(n -> n instanceof PlanNode.Branch)) {
                problems.add("has no steps");
            }
            Set<String> seen = new HashSet<>();
            Map<String, Integer> order = new LinkedHashMap<>();
            for (Step<?> s : steps) {
                if (!seen.add(s.name())) {
                    problems.add("step name \"" + s.name() + "\" is used more than once");
                }
                order.putIfAbsent(s.name(), order.size());
            }
            for (Step<?> s : steps) {
                if (s.onFailure() instanceof OnFailure.GoTo g) {
                    Integer target = order.get(g.step());
                    if (target == null) {
                        problems.add("step \"" + s.name() + "\" goes to \"" + g.step() + "\" on failure, but no step has that name");
                    } else if (target <= order.get(s.name())) {
                        problems.add("step \"" + s.name() + "\" goes to \"" + g.step()
                                + "\" on failure, which does not come after it (go-to only jumps forward)");
                    }
                }
            }
            Set<Key<?>> available = new LinkedHashSet<>();
            for (Input<?> in : inputs.values()) {
                available.add(in.key());
            }
            checkFlow(nodes, available, problems);
            if (!problems.isEmpty()) {
                throw new PlanValidationException("Plan \"" + name + "\" is invalid", problems);
            }
            return new Plan(this);
        }

        /** Walks a sequence, tracking which keys are surely set; returns null when the sequence always ends. */
        private static Set<Key<?>> checkFlow(List<PlanNode> seq, Set<Key<?>> availableIn, List<String> problems) {
            Set<Key<?>> available = new LinkedHashSet<>(availableIn);
            for (int i = 0; i < seq.size(); i++) {
                PlanNode n = seq.get(i);
                if (n instanceof PlanNode.StepNode sn) {
                    Step<?> s = sn.step();
                    for (Key<?> k : s.reads()) {
                        if (!available.contains(k)) {
                            problems.add("step \"" + s.name() + "\" reads " + k.name()
                                    + ", which no input or earlier step surely produces");
                        }
                    }
                    if (s.onFailure() instanceof OnFailure.Abort) {
                        // a step that may fail and be passed over does not surely produce its output
                        s.output().ifPresent(available::add);
                    }
                } else if (n instanceof PlanNode.Branch b) {
                    Set<Key<?>> t = checkFlow(b.then(), available, problems);
                    Set<Key<?>> o = checkFlow(b.otherwise(), available, problems);
                    if (t == null && o == null) {
                        if (i < seq.size() - 1) {
                            problems.add("nodes after branch \"" + b.description() + "\" can never run: both arms end");
                        }
                        return null;
                    }
                    if (t == null) {
                        available = o;
                    } else if (o == null) {
                        available = t;
                    } else {
                        t.retainAll(o);
                        available = t;
                    }
                } else if (n instanceof PlanNode.End e) {
                    if (i < seq.size() - 1) {
                        problems.add("nodes after end \"" + e.reason() + "\" can never run");
                    }
                    return null;
                }
            }
            return available;
        }
    }
}
