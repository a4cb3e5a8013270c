package dev.stepwise.core.plan;

import java.util.Objects;

/**
 * What a run does when a step has failed all its attempts: {@link #abort() abort} (the default),
 * {@link #continueRun() continue} with the next step, or {@link #goTo(String) go to} a named later step.
 */
public sealed interface OnFailure {

    /** Stop the run; its status is FAILED. */
    static OnFailure abort() {
        return Abort.INSTANCE;
    }

    /** Record the failure and go on with the next step; the run reports the failed step. */
    static OnFailure continueRun() {
        return Continue.INSTANCE;
    }

    /**
     * Record the failure and jump to the named step, which must come later in the plan (a clean-up or
     * restore step, say). The run goes on from there, and still ends FAILED, naming the failed step.
     */
    static OnFailure goTo(String step) {
        return new GoTo(step);
    }

    /** Stop the run. */
    enum Abort implements OnFailure {
        INSTANCE;

        @Override
        public String toString() {
            return "abort";
        }
    }

    /** Go on with the next step. */
    enum Continue implements OnFailure {
        INSTANCE;

        @Override
        public String toString() {
            return "continue";
        }
    }

    /** Jump to a named later step. */
    record GoTo(String step) implements OnFailure {
        public GoTo {
            Objects.requireNonNull(step, "step");
        }

        @Override
        public String toString() {
            return "go to " + step;
        }
    }
}
