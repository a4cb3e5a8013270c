package dev.stepwise.aws.testkit;

import java.util.List;
import java.util.Map;

/**
 * One {@code SendCommand} request as the proxy received it, for assertions and dry-run fidelity checks.
 *
 * <p>Recorded for every {@code SendCommand} that gets past the injected faults: answered by the proxy
 * (with its {@code commandId}), rejected by it ({@code InvalidInstanceId}, validation; empty
 * {@code commandId}) or forwarded to Moto for tag targets (empty {@code commandId}). A request that a
 * fault answered is counted but not recorded here, as it never reached the service. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * SentCommand sent = proxy.counts().sentCommands().get(0);
 * assertThat(sent.parameters()).containsEntry("Operation", List.of("Install"));
 * }</pre>
 *
 * @param commandId    the id the proxy answered with, or empty when the request was rejected or forwarded
 * @param documentName the {@code DocumentName}
 * @param parameters   the {@code Parameters}
 * @param instanceIds  the {@code InstanceIds}, plus the values of a {@code Key=InstanceIds} target
 * @param comment      the {@code Comment}, or empty
 */
public record SentCommand(String commandId, String documentName, Map<String, List<String>> parameters,
                          List<String> instanceIds, String comment) {

    /**
     * Copies the collections, so the record is immutable.
     *
     * @param commandId the command id, or empty
     * @param documentName the document
     * @param parameters the parameters
     * @param instanceIds the instance ids
     * @param comment the comment
     */
    public SentCommand {
        parameters = Map.copyOf(parameters);
        instanceIds = List.copyOf(instanceIds);
    }
}
