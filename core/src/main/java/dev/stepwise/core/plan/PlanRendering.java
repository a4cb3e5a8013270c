package dev.stepwise.core.plan;

import java.util.ArrayList;
import java.util.List;

/** Outline and Mermaid renderings of a plan. */
final class PlanRendering {
    private PlanRendering() {
    }

    static String outlineHeader(Plan plan) {
        StringBuilder b = new StringBuilder("Plan ").append(plan.name()).append(" (fingerprint ")
                .append(plan.fingerprint()).append(")\n");
        if (!plan.description().isEmpty()) {
            b.append("  ").append(plan.description()).append('\n');
        }
        return b.toString();
    }

    static String outlineBody(Plan plan) {
        StringBuilder b = new StringBuilder();
        if (!plan.inputs().isEmpty()) {
            b.append("Inputs:\n");
            for (Input<?> in : plan.inputs()) {
                b.append("  ").append(in).append('\n');
            }
        }
        b.append("Steps:\n");
        outline(plan.nodes(), "", "  ", 0, b);
        return b.toString();
    }

    /**
     * What the fingerprint covers: the inputs (name, type, required), and in order every step (name, effect, output
     * key, on-failure rule), precondition, branch (with its arms) and end — the structure a journal's rows follow.
     * Not descriptions, reasons, retry settings or timeouts, so rewording or tuning a plan does not strand a run or
     * rollout that is waiting to resume.
     */
    static String structure(Plan plan) {
        StringBuilder b = new StringBuilder();
        for (Input<?> in : plan.inputs()) {
            b.append("input ").append(in.key().name()).append(':').append(in.key().type().getTypeName())
                    .append(in.isRequired() ? " required" : " optional").append('\n');
        }
        structure(plan.nodes(), b);
        return b.toString();
    }

    private static void structure(List<PlanNode> nodes, StringBuilder b) {
        for (PlanNode n : nodes) {
            if (n instanceof PlanNode.StepNode sn) {
                Step<?> s = sn.step();
                b.append("step ").append(s.name()).append(' ').append(s.effect());
                s.output().ifPresent(k -> b.append(" -> ").append(k.name()));
                b.append(" on failure ").append(s.onFailure()).append('\n');
            } else if (n instanceof PlanNode.Require) {
                b.append("require\n");
            } else if (n instanceof PlanNode.End) {
                b.append("end\n");
            } else if (n instanceof PlanNode.Branch br) {
                b.append("branch then {\n");
                structure(br.then(), b);
                b.append("} otherwise {\n");
                structure(br.otherwise(), b);
                b.append("}\n");
            }
        }
    }

    /** Writes numbered lines; returns the last number used, so an otherwise arm numbers on from its then arm. */
    private static int outline(List<PlanNode> nodes, String prefix, String indent, int first, StringBuilder b) {
        int i = first;
        for (PlanNode n : nodes) {
            String num = prefix + (++i) + ". ";
            b.append(indent).append(num);
            if (n instanceof PlanNode.StepNode sn) {
                Step<?> s = sn.step();
                b.append(s.name()).append(" [").append(s.effect()).append(']');
                s.output().ifPresent(k -> b.append(" -> ").append(k.name()));
                if (!s.description().isEmpty()) {
                    b.append(": ").append(s.description());
                }
                List<String> extras = new ArrayList<>();
                if (s.retry().maxAttempts() > 1) {
                    extras.add("retry " + s.retry().maxAttempts() + " attempts");
                }
                s.retry().attemptTimeout().ifPresent(t -> extras.add("attempt timeout " + t));
                s.timeout().ifPresent(t -> extras.add("timeout " + t));
                if (!(s.onFailure() instanceof OnFailure.Abort)) {
                    extras.add("on failure " + s.onFailure());
                }
                if (!extras.isEmpty()) {
                    b.append(" (").append(String.join(", ", extras)).append(')');
                }
                b.append('\n');
            } else if (n instanceof PlanNode.Require r) {
                b.append("require: ").append(r.description()).append('\n');
            } else if (n instanceof PlanNode.End e) {
                b.append("end: ").append(e.reason()).append('\n');
            } else if (n instanceof PlanNode.Branch br) {
                b.append("branch: ").append(br.description()).append('\n');
                String inner = indent + " ".repeat(num.length());
                b.append(inner).append("then:\n");
                if (br.then().isEmpty()) {
                    b.append(inner).append("  (nothing)\n");
                }
                int last = outline(br.then(), prefix + i + ".", inner + "  ", 0, b);
                b.append(inner).append("otherwise:\n");
                if (br.otherwise().isEmpty()) {
                    b.append(inner).append("  (nothing)\n");
                }
                outline(br.otherwise(), prefix + i + ".", inner + "  ", last, b);
            }
        }
        return i;
    }

    static String mermaid(Plan plan) {
        Mermaid m = new Mermaid();
        m.out.append("flowchart TD\n");
        m.out.append("  start([\"").append(label(plan.name())).append("\"])\n");
        List<Exit> exits = m.sequence(plan.nodes(), List.of(new Exit("start", null)));
        m.out.append("  done([\"done\"])\n");
        for (Exit e : exits) {
            m.edge(e, "done");
        }
        return m.out.toString();
    }

    private record Exit(String from, String label) {
    }

    private static final class Mermaid {
        final StringBuilder out = new StringBuilder();
        int counter;

        List<Exit> sequence(List<PlanNode> nodes, List<Exit> entries) {
            List<Exit> current = entries;
            for (PlanNode n : nodes) {
                String id = "n" + (++counter);
                if (n instanceof PlanNode.StepNode sn) {
                    Step<?> s = sn.step();
                    String shape = s.effect() == Effect.MUTATING ? "[[\"%s\"]]" : "[\"%s\"]";
                    out.append("  ").append(id).append(String.format(shape, label(s.name()))).append('\n');
                    connect(current, id);
                    current = List.of(new Exit(id, null));
                } else if (n instanceof PlanNode.Require r) {
                    out.append("  ").append(id).append("{{\"").append(label("require: " + r.description())).append("\"}}\n");
                    connect(current, id);
                    String fail = "f" + counter;
                    out.append("  ").append(fail).append("([\"precondition failed\"])\n");
                    out.append("  ").append(id).append(" -- no --> ").append(fail).append('\n');
                    current = List.of(new Exit(id, "yes"));
                } else if (n instanceof PlanNode.End e) {
                    out.append("  ").append(id).append("([\"").append(label("end: " + e.reason())).append("\"])\n");
                    connect(current, id);
                    current = List.of();
                } else if (n instanceof PlanNode.Branch br) {
                    out.append("  ").append(id).append("{\"").append(label(br.description())).append("\"}\n");
                    connect(current, id);
                    List<Exit> next = new ArrayList<>(sequence(br.then(), List.of(new Exit(id, "yes"))));
                    next.addAll(sequence(br.otherwise(), List.of(new Exit(id, "no"))));
                    current = next;
                }
            }
            return current;
        }

        void connect(List<Exit> from, String to) {
            for (Exit e : from) {
                edge(e, to);
            }
        }

        void edge(Exit e, String to) {
            out.append("  ").append(e.from()).append(e.label() == null ? " --> " : " -- " + e.label() + " --> ")
                    .append(to).append('\n');
        }
    }

    /** Mermaid labels are quoted; quotes and angle brackets become entities. */
    static String label(String s) {
        return s.replace("\"", "#quot;").replace("<", "#lt;").replace(">", "#gt;");
    }
}
