package dev.stepwise.core;

import java.util.Map;

/**
 * The root of every failure Stepwise raises on purpose. Messages say what failed, for which input or
 * target, and what the caller can do.
 *
 * <p>What stays a plain Java exception: {@code NullPointerException} for a null given where a value is required,
 * and {@code IllegalStateException} for a programming error — a closed writer or context used again, an engine
 * invariant broken. Anything a caller can cause with a value or a remote system can cause is a
 * {@code StepwiseException}.
 *
 * <p>A failure that carries data for its caller (an upgrade report, the patches that differed) returns it from
 * {@link #details()} as plain JSON values; the runner records them in the journal with the failure, so a result
 * rebuilt after a resume still offers them through {@link RestoredFailureException#details()}.
 */
public class StepwiseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StepwiseException(String message) {
        super(message);
    }

    public StepwiseException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Data for the caller that must survive a journal: plain JSON values (maps, lists, strings, numbers,
     * booleans), or values Jackson writes as such. Empty by default. Never put secrets here.
     */
    public Map<String, Object> details() {
        return Map.of();
    }
}
