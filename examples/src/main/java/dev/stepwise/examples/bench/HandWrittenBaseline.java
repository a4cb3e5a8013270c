package dev.stepwise.examples.bench;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.CommandInvocationStatus;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.InvocationDoesNotExistException;

/**
 * What a user would write by hand with the same SDK client: one {@code SendCommand} per instance, then a
 * polling loop per instance with {@code GetCommandInvocation}, treating {@code InvocationDoesNotExist} as
 * "not yet". Generous on purpose: the per-instance loops are interleaved in rounds (every pending instance
 * once, then one sleep), so the baseline never sleeps for an instance that already finished, and a poll that
 * fails even after the SDK's retries is simply asked again next round. A {@code SendCommand} that fails after
 * the SDK's retries leaves that instance out, as a script without its own retry loop would.
 */
final class HandWrittenBaseline {
    private final SsmClient ssm;
    private final Duration pollInterval;
    private final Duration timeout;

    HandWrittenBaseline(SsmClient ssm, Duration pollInterval, Duration timeout) {
        this.ssm = ssm;
        this.pollInterval = pollInterval;
        this.timeout = timeout;
    }

    /** Scans every instance, then installs on those whose scan succeeded; returns the instances installed. */
    Set<String> scanAndInstall(List<String> instanceIds) throws InterruptedException {
        Set<String> scanned = run(instanceIds, "Scan");
        return run(List.copyOf(scanned), "Install");
    }

    private Set<String> run(List<String> instanceIds, String operation) throws InterruptedException {
        Map<String, String> pending = new LinkedHashMap<>();
        for (String id : instanceIds) {
            try {
                pending.put(id, ssm.sendCommand(r -> r.documentName(FleetBenchmark.DOCUMENT).instanceIds(id)
                        .parameters(Map.of("Operation", List.of(operation)))).command().commandId());
            } catch (SdkException e) {
                // Left out: the script has no retry loop of its own beyond the SDK's.
            }
        }
        Set<String> succeeded = new LinkedHashSet<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            for (Iterator<Map.Entry<String, String>> it = pending.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, String> e = it.next();
                GetCommandInvocationResponse inv;
                try {
                    inv = ssm.getCommandInvocation(r -> r.commandId(e.getValue()).instanceId(e.getKey()));
                } catch (InvocationDoesNotExistException notYet) {
                    continue;
                } catch (SdkException failedPoll) {
                    continue;
                }
                CommandInvocationStatus status = inv.status();
                if (status == CommandInvocationStatus.SUCCESS) {
                    succeeded.add(e.getKey());
                    it.remove();
                } else if (status == CommandInvocationStatus.FAILED || status == CommandInvocationStatus.TIMED_OUT
                        || status == CommandInvocationStatus.CANCELLED) {
                    it.remove();
                }
            }
            if (!pending.isEmpty()) {
                Thread.sleep(pollInterval.toMillis());
            }
        }
        return succeeded;
    }
}
