package dev.stepwise.aws.testkit;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Requests a {@link FillInProxy} received, per operation, and the commands sent through it.
 *
 * <p>Every AWS request counts once when it arrives, whether it is forwarded to Moto, filled in, or
 * answered by a fault, so a request the SDK retried twice counts three times. Requests to Moto's own
 * {@code /moto-api/} do not count. The operation is the name after {@code AmazonSSM.} in
 * {@code X-Amz-Target} (JSON services) or the {@code Action} field (EC2 and other query services).
 * Cleared by {@link FillInProxy#reset()}. Thread-safe; reads are snapshots.
 *
 * <pre>{@code
 * assertThat(proxy.counts().count("SendCommand")).isEqualTo(1);
 * assertThat(proxy.counts().sentCommands()).extracting(SentCommand::documentName)
 *     .containsExactly("AWS-RunPatchBaseline");
 * }</pre>
 */
public final class RequestCounts {

    private final RequestLog log;

    RequestCounts(RequestLog log) {
        this.log = log;
    }

    /**
     * @param operation such as {@code SendCommand}
     * @return the requests for it so far
     */
    public long count(String operation) {
        return log.count(Objects.requireNonNull(operation, "operation"));
    }

    /** @return all requests so far */
    public long total() {
        return log.total();
    }

    /** @return the counts per operation, sorted by name */
    public Map<String, Long> asMap() {
        return log.snapshot();
    }

    /** @return every {@code SendCommand} received, in order */
    public List<SentCommand> sentCommands() {
        return log.commands();
    }

    @Override
    public String toString() {
        return "RequestCounts" + log.snapshot();
    }
}
