package dev.stepwise.aws.patch;

import dev.stepwise.core.StepwiseException;

/**
 * The rescan after an Install does not show what the Install should have done: patches failed, approved patches
 * are still missing, or patches still wait for a reboot although the Install ran with {@code RebootIfNeeded}.
 * The instance's target fails, which counts against its wave's error budget.
 *
 * <pre>{@code
 * result.instances().stream().filter(i -> !i.succeeded()).forEach(i -> System.out.println(i.reason()));
 * }</pre>
 */
public class PatchVerificationException extends StepwiseException {
    private static final long serialVersionUID = 1L;

    /** @param message what the rescan showed, per problem */
    public PatchVerificationException(String message) {
        super(message);
    }
}
