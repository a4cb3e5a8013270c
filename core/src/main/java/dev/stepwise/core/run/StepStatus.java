package dev.stepwise.core.run;

/** What happened to one row of a run: a step, a check, a branch or an end. */
public enum StepStatus {
    /** Ran and succeeded (for a check: it held; for a branch: it was decided). */
    SUCCEEDED,
    /** Ran and failed after all its attempts (for a precondition: it did not hold). */
    FAILED,
    /** Not run because the plan went elsewhere: the other arm of a branch, or jumped over by a go-to. */
    SKIPPED,
    /** Dry run only: not run; the result lists what it would have done. */
    PREDICTED,
    /** Not run because the run stopped before it (failure, end, cancellation). */
    NOT_REACHED,
    /** Was running when the run was cancelled; the note says if its action may still be acting. */
    CANCELLED
}
