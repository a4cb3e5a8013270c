package dev.stepwise.core.internal;

import dev.stepwise.core.plan.Effect;
import dev.stepwise.core.plan.PlanNode;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.StepResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A plan's tree compiled into a flat program — steps, checks, branches as conditional jumps, ends — with one row
 * per step, check, branch and end in plan order. Branches and on-failure go-tos are forward jumps. Immutable.
 */
final class Program {

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

    /** What a row is before it runs. */
    record RowShape(String name, StepResult.Kind kind, Effect effect) {
    }

    private final List<Instr> instrs = new ArrayList<>();
    private final List<RowShape> rows = new ArrayList<>();
    private final Map<String, Integer> stepInstr = new HashMap<>();

    private Program() {
    }

    static Program compile(List<PlanNode> nodes) {
        Program p = new Program();
        p.add(nodes);
        return p;
    }

    private void add(List<PlanNode> nodes) {
        for (PlanNode n : nodes) {
            if (n instanceof PlanNode.StepNode sn) {
                Step<?> s = sn.step();
                stepInstr.put(s.name(), instrs.size());
                instrs.add(new StepI(s, addRow(s.name(), StepResult.Kind.STEP, s.effect())));
            } else if (n instanceof PlanNode.Require r) {
                instrs.add(new RequireI(r, addRow("require: " + r.description(), StepResult.Kind.CHECK, Effect.READ_ONLY)));
            } else if (n instanceof PlanNode.End e) {
                instrs.add(new EndI(e, addRow("end: " + e.reason(), StepResult.Kind.END, Effect.READ_ONLY)));
            } else if (n instanceof PlanNode.Branch b) {
                int row = addRow("branch: " + b.description(), StepResult.Kind.BRANCH, Effect.READ_ONLY);
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
        return Collections.unmodifiableList(instrs);
    }

    List<RowShape> rows() {
        return Collections.unmodifiableList(rows);
    }

    /** The instruction index of step {@code name}. */
    int stepAt(String name) {
        return stepInstr.get(name);
    }

    /** The row an instruction reports on. */
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
