package dev.stepwise.aviatrix;

/**
 * The controller could not be reached, refused the connection or its certificate, or answered
 * something other than the API's JSON envelope (after the bounded retries of 502/503 answers).
 *
 * <p>Instances are immutable and thread-safe.
 *
 * <pre>{@code
 * try {
 *     client.login();
 * } catch (AviatrixTransportException e) {
 *     // e.getCause() is the IOException, e.g. an SSLHandshakeException for an untrusted certificate
 * }
 * }</pre>
 */
public final class AviatrixTransportException extends AviatrixException {

    private static final long serialVersionUID = 1L;

    /**
     * @param action the API action
     * @param message what went wrong (free of secrets)
     * @param cause the underlying failure, or null
     */
    public AviatrixTransportException(String action, String message, Throwable cause) {
        super(action, message, cause);
    }
}
