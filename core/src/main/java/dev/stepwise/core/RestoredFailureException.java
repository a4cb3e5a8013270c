package dev.stepwise.core;

import java.util.Map;

/**
 * A failure read back from a journal or from JSON, where the original exception no longer exists: it names the
 * original exception's type and message and carries the {@linkplain StepwiseException#details() details} that
 * exception recorded. After a resume, {@link StepFailedException#getCause()} is one of these.
 *
 * <pre>{@code
 * catch (StepFailedException e) {
 *     if (e.getCause() instanceof RestoredFailureException r) {
 *         System.out.println(r.originalType() + ": " + r.details());
 *     }
 * }
 * }</pre>
 */
public class RestoredFailureException extends StepwiseException {
    private static final long serialVersionUID = 1L;
    private final String originalType;
    private final String originalMessage;
    private final transient Map<String, Object> details;

    public RestoredFailureException(String originalType, String originalMessage, Map<String, Object> details) {
        super(simple(originalType) + (originalMessage == null || originalMessage.isEmpty() ? "" : ": " + originalMessage)
                + " (restored from the journal)");
        this.originalType = originalType;
        this.originalMessage = originalMessage == null ? "" : originalMessage;
        this.details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
    }

    /** The class name of the exception that was thrown. */
    public String originalType() {
        return originalType;
    }

    /** Its message. */
    public String originalMessage() {
        return originalMessage;
    }

    /** The details that exception recorded, as plain JSON values. */
    @Override
    public Map<String, Object> details() {
        return details;
    }

    private static String simple(String type) {
        int dot = type == null ? -1 : type.lastIndexOf('.');
        return dot < 0 ? String.valueOf(type) : type.substring(dot + 1);
    }
}
