package dev.stepwise.core.notify;

/**
 * Sends a {@link Notice} somewhere people read it: a chat webhook, an SNS topic, an e-mail list.
 *
 * <p>{@link #send} returns once the notice was accepted and throws (any exception, ideally a
 * {@link NotifyException}) when it was not; Stepwise records the failure and, unless a rule says the notice is
 * required, carries on with the change. {@link #destination()} says to whom, for dry runs and results; it must
 * name no credential. Implementations must be thread-safe.
 *
 * <pre>{@code
 * Notifier console = Notifier.of("console", notice -> System.out.println(notice.subject()));
 * }</pre>
 */
@FunctionalInterface
public interface Notifier {

    /**
     * Sends {@code notice}.
     *
     * @throws Exception if it could not be sent (after any retries of the notifier's own)
     */
    void send(Notice notice) throws Exception;

    /** To whom and how, for people, e.g. {@code "SNS topic arn:aws:sns:…:ops"}; no credentials. */
    default String destination() {
        return toString();
    }

    /** A notifier that calls {@code send} and is shown as {@code destination}. */
    static Notifier of(String destination, Notifier send) {
        java.util.Objects.requireNonNull(destination, "destination");
        java.util.Objects.requireNonNull(send, "send");
        return new Notifier() {
            @Override
            public void send(Notice notice) throws Exception {
                send.send(notice);
            }

            @Override
            public String destination() {
                return destination;
            }

            @Override
            public String toString() {
                return destination;
            }
        };
    }
}
