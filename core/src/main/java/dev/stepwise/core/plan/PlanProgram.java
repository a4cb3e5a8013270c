package dev.stepwise.core.plan;

import dev.stepwise.core.run.StepResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A plan's tree compiled into a flat program — steps, checks, branches as conditional jumps, ends — with one row
 * per step, check, branch and end in plan order, the rows a {@code RunResult} reports. Branches and on-failure
 * go-tos are forward jumps. Immutable.
 *
 * <p>For engines, not for plan authors: the embedded runner walks it, and so does {@code stepwise-temporal}'s plan
 * workflow, so that both report the same rows for the same plan.
 */
public final class PlanProgram {

    /** One instruction. */
    public sealed interface Instr permits StepI, RequireI, BranchI, EndI, JumpI {
    }

    /** Run a step, reporting on row {@code row}. */
    public record StepI(Step<?> step, int row) implements Instr {
    }

    /** Check a precondition, reporting on row {@code row}. */
    public record RequireI(PlanNode.Require require, int row) implements Instr {
    }

    /** Evaluate a branch condition: then-rows {@code [thenFrom, thenTo)}, else-rows {@code [elseFrom, elseTo)}, the else part from instruction {@code elseTarget}. */
    public record BranchI(PlanNode.Branch branch, int row, int elseTarget, int thenFrom, int thenTo, int elseFrom,
            int elseTo) implements Instr {
    }

    /** End the run, reporting on row {@code row}. */
    public record EndI(PlanNode.End end, int row) implements Instr {
    }

    /** Continue at instruction {@code target}. */
    public record JumpI(int target) implements Instr {
    }

    /** What a row is before it runs. */
    public record RowShape(String name, StepResult.Kind kind, Effect effect) {
    }

    private final List<Instr> instrs = new ArrayList<>();
    private final List<RowShape> rows = new ArrayList<>();
    private final Map<String, Integer> stepInstr = new HashMap<>();

    private PlanProgram() {
    }

    /** Compiles a plan's nodes ({@link Plan#nodes()}). */
    public static PlanProgram compile(List<PlanNode> nodes) {
        PlanProgram p = new PlanProgram();
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

    /** The instructions, in order. */
    public List<Instr> instrs() {
        return Collections.unmodifiableList(instrs);
    }

    /** The rows, in plan order. */
    public List<RowShape> rows() {
        return Collections.unmodifiableList(rows);
    }

    /** The instruction index of step {@code name}. */
    public int stepAt(String name) {
        return stepInstr.get(name);
    }

    /** The check of row {@code row} — a precondition's or a branch condition's — or null for other rows. */
    public Check check(int row) {
        for (Instr ins : instrs) {
            if (ins instanceof RequireI r && r.row() == row) {
                return r.require().check();
            } else if (ins instanceof BranchI b && b.row() == row) {
                return b.branch().condition();
            }
        }
        return null;
    }

    /** The row an instruction reports on. */
    public static int rowOf(Instr ins) {
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
