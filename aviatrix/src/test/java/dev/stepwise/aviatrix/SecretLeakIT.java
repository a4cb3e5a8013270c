package dev.stepwise.aviatrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.stepwise.aviatrix.testkit.FakeController;
import dev.stepwise.aviatrix.testkit.FakeController.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Proves that the password, the API token and every CID stay out of logs (the client logs at TRACE
 * in tests, see simplelogger.properties; slf4j-simple writes to the current System.err, captured
 * here), exception messages and toString(), through a run with logins, a session expiry, an
 * upgrade with its 502/503 window, refusals and a controller that echoes the CID.
 */
class SecretLeakIT {

    private static final String WRONG_PASSWORD = "Wr0ng-Passw0rd-Guess";

    @Test
    void run_whenLoginExpiryUpgradeAndFailures_noSecretInLogsExceptionsOrToString() {
        List<String> texts = new ArrayList<>();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        Set<String> secrets = new LinkedHashSet<>();
        try (FakeController fake = FakeController.builder().gateway("spoke-1").inProgressPolls(2)
                .unavailableResponses(2).start()) {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                AviatrixClient.Builder builder = FakeClients.builder(fake);
                AviatrixClient client = builder.build();
                texts.add(builder.toString());
                texts.add(client.toString());

                client.login();
                texts.add(client.toString());
                client.currentVersion();
                fake.expireSessions();
                client.backupConfig();
                UpgradeStart start = client.upgrade(ControllerVersion.parse("7.2"),
                        UpgradeScope.CONTROLLER_AND_GATEWAYS);
                FakeClients.finishUpgrade(client, start);
                client.gateways();
                texts.add(message(() -> client.upgrade(ControllerVersion.parse("9.9"), UpgradeScope.CONTROLLER_ONLY)));
                texts.add(message(() -> client.upgradeGateway("nope", ControllerVersion.parse("7.2.4820"), "img")));

                String liveCid = lastCid(fake);
                fake.failAudit("Audit failed for session " + liveCid + ".");
                String echoed = message(client::accountAudit);
                texts.add(echoed);
                assertThat(echoed).contains("Audit failed for session ****.");

                AviatrixClient wrong = FakeClients.builder(fake).password(WRONG_PASSWORD.toCharArray()).build();
                texts.add(message(wrong::login));
                texts.add(wrong.toString());
            } finally {
                System.setErr(original);
            }
            secrets.add(FakeController.DEFAULT_PASSWORD);
            secrets.add(WRONG_PASSWORD);
            for (RecordedRequest r : fake.requests()) {
                if (r.params().containsKey("CID")) {
                    secrets.add(r.params().get("CID"));
                }
                r.headers().getOrDefault("x-access-key", List.of()).forEach(secrets::add);
            }
            // Reads are GET with every parameter, the CID included, in the query [C0, CH]; the password only ever
            // travels in a POST body.
            assertThat(fake.requests()).allSatisfy(r -> {
                assertThat(r.query()).doesNotContain("password");
                if (r.params().containsKey("password")) {
                    assertThat(r.method()).isEqualTo("POST");
                }
            });
            assertThat(fake.requestCount("login")).as("first login, after expiry, after upgrade, wrong").isEqualTo(4);
        }
        String log = captured.toString(StandardCharsets.UTF_8);

        // The capture works and saw the interesting moments, so the checks below can fail.
        assertThat(log).contains("Logged in to controller").contains("Session expired during get_cloudn_backup_config")
                .contains("HTTP 503").contains("HTTP 502").contains("Calling POST /v2/api login").contains("password=****")
                .contains("Controller answered platform_upgrade_status");
        assertThat(secrets).as("password, wrong password, three CIDs, API tokens").hasSizeGreaterThanOrEqualTo(6);
        for (String secret : secrets) {
            assertThat(log).as("log").doesNotContain(secret);
            assertThat(texts).as("messages and toString").allSatisfy(t -> assertThat(t).doesNotContain(secret));
        }
    }

    private static String lastCid(FakeController fake) {
        List<RecordedRequest> all = fake.requests();
        for (int i = all.size() - 1; i >= 0; i--) {
            String cid = all.get(i).params().get("CID");
            if (cid != null) {
                return cid;
            }
        }
        throw new AssertionError("no request carried a CID");
    }

    private static String message(Runnable call) {
        Throwable t = catchThrowable(call::run);
        assertThat(t).isInstanceOf(AviatrixException.class);
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c).append('\n');
        }
        return all.toString();
    }
}
