package dev.stepwise.aviatrix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.aviatrix.testkit.FakeController;
import dev.stepwise.aviatrix.testkit.FakeController.RecordedRequest;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Proves that the password, the API tokens and every CID stay out of what a ControllerUpgrade run
 * shows: the result's table (toString) and JSON, the run's events, the plan's and the upgrade's
 * toString, and the log lines of the plan, the engine and the client (at TRACE in tests, see
 * simplelogger.properties; slf4j-simple writes to the current System.err, captured here), through
 * a dry run, a live run with a session expiry and the 502/503 window, and a run failing at a hop.
 */
class ControllerUpgradeSecretLeakIT {

    private static final BackupRequest BACKUP = BackupRequest.of(CloudType.AWS, "aws-primary", "controller-backups");

    @Test
    void runs_whenDryLiveExpiryAndHopFailure_noSecretInResultsEventsOrLogs() {
        List<String> texts = new ArrayList<>();
        List<Object> events = new CopyOnWriteArrayList<>();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        Set<String> secrets = new LinkedHashSet<>();
        try (FakeController ok = FakeController.builder().version("6.5.2608").gateway("spoke-1").start();
                FakeController failing = FakeController.builder().version("6.5.2608").start()) {
            failing.failUpgradeAtHop(2, "Upgrade failed on the controller.");
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                Runner runner = Runner.create().withTimeSource(VirtualTimeSource.create()).withListener(events::add);
                AtomicBoolean expired = new AtomicBoolean();
                ControllerUpgrade upgrade = ControllerUpgrade.builder().
                        client(FakeClients.client(ok)).
                        target("6.8").
                        train(FakeController.DEFAULT_TRAIN).
                        gateways("spoke-1").
                        backup(BACKUP).
                        onHopCompleted(report -> {
                            if (expired.compareAndSet(false, true)) {
                                ok.expireSessions();
                            }
                        }).
                        build();
                texts.add(upgrade.toString());
                texts.add(upgrade.plan().toString());

                RunResult dry = runner.dryRun().run(upgrade.plan(), Inputs.empty());
                RunResult live = runner.run(upgrade.plan(), Inputs.empty());
                assertThat(live.status()).as(live.toString()).isEqualTo(RunStatus.SUCCEEDED);

                ControllerUpgrade doomed = ControllerUpgrade.builder().client(FakeClients.client(failing))
                        .train(FakeController.DEFAULT_TRAIN).backup(BACKUP).build();
                RunResult failed = runner.run(doomed.plan(), Inputs.of(ControllerUpgrade.TARGET_VERSION, "6.8"));
                assertThat(failed.status()).isEqualTo(RunStatus.FAILED);

                for (RunResult r : List.of(dry, live, failed)) {
                    texts.add(r.toString());
                    texts.add(r.toJson());
                }
            } finally {
                System.setErr(original);
            }
            for (FakeController fake : List.of(ok, failing)) {
                for (RecordedRequest r : fake.requests()) {
                    if (r.params().containsKey("CID")) {
                        secrets.add(r.params().get("CID"));
                    }
                    r.headers().getOrDefault("x-access-key", List.of()).forEach(secrets::add);
                }
            }
            secrets.add(FakeController.DEFAULT_PASSWORD);
        }
        events.forEach(e -> texts.add(e.toString()));
        String log = captured.toString(StandardCharsets.UTF_8);

        // The capture saw the plan's and the client's lines, so the checks below can fail.
        assertThat(log).contains("Hop 1/3 done: the controller runs 6.6.5612")
                .contains("Session expired during enable_cloudn_backup_config")
                .contains("Calling POST /v1/api login").contains("password=****")
                .contains("Hop 2 of 3 (6.6.5612 -> 6.7.1376) failed");
        assertThat(String.join("\n", texts)).contains("Hop 2 of 3").contains("would: aviatrix:upgrade");
        // 6.5 controllers have no API token: the password and the CIDs of both fakes
        assertThat(secrets).as("password, at least 6 CIDs").hasSizeGreaterThanOrEqualTo(7);
        for (String secret : secrets) {
            assertThat(log).as("log").doesNotContain(secret);
            assertThat(texts).as("results, events and toString").allSatisfy(t -> assertThat(t).doesNotContain(secret));
        }
    }
}
