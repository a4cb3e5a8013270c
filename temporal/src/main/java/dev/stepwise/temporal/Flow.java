package dev.stepwise.temporal;

import dev.stepwise.core.plan.Effect;
import dev.stepwise.core.plan.PlanNode;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.StepResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A plan's tree as a flat program with one row per step, check, branch and end in plan order, the shape the
 * embedded runner reports, so a workflow's {@code RunResult} has the same rows. Branches and on-failure go-tos are
 * forward jumps. Built from the plan's public nodes; immutable.
 */
final class Flow {

    sealed interface Instr permits StepI, RequireI, BranchI, EndI, JumpI {
    }

    record StepI(Step<?> step, int row) implements Instr {
    }

    record RequireI(PlanNode.Require require, int row) implements Instr {
    }

    record BranchI(PlanNode.Branch branch, int row, int elseTarget, int thenFrom, int thenTo, int elseFrom,
            int elseTo) implements Instr {
    }

    record EndI(PlanNode.End end, int row) implements Instr {
    }

    record JumpI(int target) implements Instr {
    }

    record RowShape(String name, StepResult.Kind kind, Effect effect) {
    }

    private final List<Instr> instrs = new ArrayList<>();
    private final List<RowShape> rows = new ArrayList<>();
    private final Map<String, Integer> stepInstr = new HashMap<>();
    /** The check (require or branch condition) of each row that has one. */
    private final Map<Integer, dev.stepwise.core.plan.Check> checks = new HashMap<>();

    private Flow() {
    }

    static Flow of(List<PlanNode> nodes) {
        Flow f = new Flow();
        f.add(nodes);
        return f;
    }

    private void add(List<PlanNode> nodes) {
        for (PlanNode n : nodes) {
            if (n instanceof PlanNode.StepNode sn) {
                Step<?> s = sn.step();
                stepInstr.put(s.name(), instrs.size());
                instrs.add(new StepI(s, addRow(s.name(), StepResult.Kind.STEP, s.effect())));
            } else if (n instanceof PlanNode.Require r) {
                int row = addRow("require: " + r.description(), StepResult.Kind.CHECK, Effect.READ_ONLY);
                checks.put(row, r.check());
                instrs.add(new RequireI(r, row));
            } else if (n instanceof PlanNode.End e) {
                instrs.add(new EndI(e, addRow("end: " + e.reason(), StepResult.Kind.END, Effect.READ_ONLY)));
            } else if (n instanceof PlanNode.Branch b) {
                int row = addRow("branch: " + b.description(), StepResult.Kind.BRANCH, Effect.READ_ONLY);
                checks.put(row, b.condition());
                int at = instrs.size();
                instrs.add(null);
                int thenFrom = rows.size();
                add(b.then());
                int thenTo = rows.size();
                int jumpAt = instrs.size();
                instrs.add(null);
                int elseTarget = instrs.size();
                int elseFrom = rows.size();
                add(b.otherwise());
                int elseTo = rows.size();
                instrs.set(jumpAt, new JumpI(instrs.size()));
                instrs.set(at, new BranchI(b, row, elseTarget, thenFrom, thenTo, elseFrom, elseTo));
            }
        }
    }

    private int addRow(String name, StepResult.Kind kind, Effect effect) {
        rows.add(new RowShape(name, kind, effect));
        return rows.size() - 1;
    }

    List<Instr> instrs() {
        return instrs;
    }

    List<RowShape> rows() {
        return rows;
    }

    int stepAt(String name) {
        return stepInstr.get(name);
    }

    dev.stepwise.core.plan.Check check(int row) {
        return checks.get(row);
    }

    static int rowOf(Instr ins) {
        if (ins instanceof StepI s) {
            return s.row();
        } else if (ins instanceof RequireI r) {
            return r.row();
        } else if (ins instanceof BranchI b) {
            return b.row();
        } else if (ins instanceof EndI e) {
            return e.row();
        }
        throw new IllegalStateException("a jump has no row");
    }
}
