package dev.stepwise.core;

/** A step failed after all the attempts its retry policy allowed. The cause is the last attempt's failure. */
public class StepFailedException extends StepwiseException {
    private static final long serialVersionUID = 1L;
    private final String step;
    private final int attempts;

    public StepFailedException(String step, int attempts, Throwable cause) {
        super("Step \"" + step + "\" failed after " + attempts + (attempts == 1 ? " attempt: " : " attempts: ")
                + describe(cause), cause);
        this.step = step;
        this.attempts = attempts;
    }

    /** The name of the step that failed. */
    public String step() {
        return step;
    }

    /** How many attempts were made. */
    public int attempts() {
        return attempts;
    }

    static String describe(Throwable t) {
        if (t == null) {
            return "unknown cause";
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
