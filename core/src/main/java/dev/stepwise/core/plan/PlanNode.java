package dev.stepwise.core.plan;

import java.util.List;
import java.util.Objects;

/** One element of a plan: a step, a precondition, a branch, or an end. */
public sealed interface PlanNode {

    /** Runs a step. */
    record StepNode(Step<?> step) implements PlanNode {
        public StepNode {
            Objects.requireNonNull(step, "step");
        }
    }

    /** Stops the run as FAILED, changing nothing more, unless {@code check} holds. Always executed, in dry runs too. */
    record Require(String description, Check check) implements PlanNode {
        public Require {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(check, "check");
        }
    }

    /** Follows {@code then} when {@code condition} holds, {@code otherwise} when it does not. */
    record Branch(String description, Check condition, List<PlanNode> then, List<PlanNode> otherwise) implements PlanNode {
        public Branch {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(condition, "condition");
            then = List.copyOf(then);
            otherwise = List.copyOf(otherwise);
        }
    }

    /** Stops the run successfully with a reason, like a runbook's {@code isEnd}. */
    record End(String reason) implements PlanNode {
        public End {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
