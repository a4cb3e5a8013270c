package dev.stepwise.aws.testkit;

/**
 * No Moto server could be found or started; the message names each way that was tried and why it failed.
 *
 * <pre>{@code
 * try {
 *     MotoServer.shared();
 * } catch (MotoUnavailableException e) {
 *     System.err.println(e.getMessage());   // the four ways, and how to fix one
 * }
 * }</pre>
 */
public final class MotoUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what was tried and how to fix it */
    public MotoUnavailableException(String message) {
        super(message);
    }

    /**
     * @param message what was tried
     * @param cause the failure
     */
    public MotoUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
