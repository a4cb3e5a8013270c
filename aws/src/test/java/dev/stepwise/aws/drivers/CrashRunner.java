package dev.stepwise.aws.drivers;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.AwsTimings;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.run.RunEvent;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.Runner;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The child JVM of {@link DriversCrashIT}: {@code run <endpoint> <journalDir> <instanceId> <allowOffline> <step>}
 * runs the drivers runbook and, right after {@code step} succeeds, says so and waits to be killed;
 * {@code resume <endpoint> <journalDir> <runId>} resumes that run and prints its result as JSON.
 */
public final class CrashRunner {
    private CrashRunner() {
    }

    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[1]);
        JournalStore store = JournalStore.directory(Path.of(args[2]));
        try (AwsContext aws = AwsContext.builder().region("us-east-1").endpointOverride(endpoint)
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .timings(AwsTimings.allOf(Duration.ofMillis(5))).build()) {
            Runner runner = Runner.create().withJournal(store);
            if (args[0].equals("run")) {
                String killAfter = args[5];
                Object lock = new Object();
                runner.withListener(e -> {
                    if (e instanceof RunEvent.StepSucceeded s && s.step().equals(killAfter)) {
                        System.out.println("KILL-ME " + e.run().runId());
                        System.out.flush();
                        synchronized (lock) {
                            while (true) {
                                try {
                                    lock.wait();
                                } catch (InterruptedException ignored) {
                                    // only SIGKILL ends this JVM
                                }
                            }
                        }
                    }
                }).run(WindowsDriverUpgrade.plan(aws), WindowsDriverUpgrade.inputs(args[3])
                        .with(WindowsDriverUpgrade.ALLOW_OFFLINE, Boolean.parseBoolean(args[4])));
                System.out.println("FINISHED-WITHOUT-KILL");
            } else {
                RunResult r = runner.resume(WindowsDriverUpgrade.plan(aws), args[3]);
                System.out.println("RESULT " + r.toJson().replace('\n', ' '));
            }
        }
        System.exit(0);
    }

}
