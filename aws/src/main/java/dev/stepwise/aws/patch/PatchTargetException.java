package dev.stepwise.aws.patch;

import dev.stepwise.core.StepwiseException;

/**
 * A target set could not be used: it resolved to no instance, a tag key or value is on no instance, or instances
 * are not managed by SSM with an online agent. A wave whose source throws this halts before it starts, with the
 * message in the result.
 *
 * <pre>{@code
 * try { PatchTargets.tagged(aws, "Env", "dev").resolve(); }
 * catch (PatchTargetException e) { System.out.println(e.getMessage()); }
 * }</pre>
 */
public class PatchTargetException extends StepwiseException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong with which target set, and what to do */
    public PatchTargetException(String message) {
        super(message);
    }
}
