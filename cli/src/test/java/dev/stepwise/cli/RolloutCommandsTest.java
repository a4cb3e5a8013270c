package dev.stepwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.rollout.Approval;
import dev.stepwise.core.rollout.Approver;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.rollout.Rollouts;
import dev.stepwise.core.rollout.Wave;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rollout status | approve | reject} against a rollout parked at an approval, in a journal directory. */
class RolloutCommandsTest {
    @TempDir
    Path journal;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        return new StepwiseCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), text -> null).run(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** A two-wave rollout parked at an approval nobody has answered yet; returns its id. */
    private String parkedAtApproval() {
        Plan plan = Plan.builder("touch").step(Step.readOnly("look").output(dev.stepwise.core.plan.Key.of("seen", String.class))
                .action(ctx -> "ok")).build();
        Rollout rollout = Rollout.builder("monthly-patching", plan)
                .wave(Wave.builder("non-production").targets("dev-1").build())
                .approval(Approval.by(request -> new CompletableFuture<>()).timeout(Duration.ofDays(3))
                        .onTimeout(Approval.TimeoutRule.REJECT))
                .wave(Wave.builder("production").targets("prod-1", "prod-2").build())
                .build();
        RolloutResult parked = Runner.create().withTimeSource(VirtualTimeSource.create())
                .withJournal(JournalStore.directory(journal)).parkLongerThan(Duration.ofHours(1)).run(rollout);
        assertThat(parked.status()).isEqualTo(RolloutStatus.WAITING);
        return parked.rolloutId();
    }

    @Test
    void status_ofAParkedRollout_printsStateWavesAndThePendingApproval(@TempDir Path dir) throws Exception {
        String id = parkedAtApproval();
        Path html = dir.resolve("status.html");

        assertThat(run("rollout", "status", id, "--journal", journal.toString(), "--html", html.toString())).isZero();

        assertThat(out()).contains("Rollout " + id).contains("WAITING").contains("waiting for approval")
                .contains("wave non-production: SUCCEEDED").contains("wave production: NOT_STARTED");
        assertThat(Files.readString(html)).contains(id).contains("approval pending").doesNotContain("<script");
    }

    @Test
    void status_asJson_holdsTheSameFacts() throws Exception {
        String id = parkedAtApproval();

        assertThat(run("rollout", "status", id, "--journal", journal.toString(), "--output", "json")).isZero();

        JsonNode n = new ObjectMapper().readTree(out());
        assertThat(n.path("rolloutId").asText()).isEqualTo(id);
        assertThat(n.path("state").asText()).isEqualTo("WAITING");
        assertThat(n.path("pending").path("wave").asText()).isEqualTo("production");
        assertThat(n.path("waves")).hasSize(2);
        assertThat(n.path("waves").get(0).path("targets").get(0).asText()).isEqualTo("dev-1");
    }

    @Test
    void approve_writesTheDecisionThatStatusThenShows() {
        String id = parkedAtApproval();

        assertThat(run("rollout", "approve", id, "--by", "alice", "--comment", "dashboards are green", "--journal",
                journal.toString())).isZero();

        assertThat(Rollouts.status(JournalStore.directory(journal), id).approvals()).singleElement()
                .satisfies(d -> {
                    assertThat(d.by()).isEqualTo("alice");
                    assertThat(d.approved()).isTrue();
                });
        assertThat(run("rollout", "status", id, "--journal", journal.toString())).isZero();
        assertThat(out()).contains("approved by alice");
    }

    @Test
    void approve_whenNothingPendingOrUnknownId_exits2NamingTheIdAndWritesNothing() throws Exception {
        String id = parkedAtApproval();
        assertThat(run("rollout", "reject", id, "--by", "bob", "--reason", "not this month", "--journal", journal.toString()))
                .isZero();
        long files = Files.list(journal).count();

        assertThat(run("rollout", "approve", id, "--by", "alice", "--journal", journal.toString())).isEqualTo(2);
        assertThat(run("rollout", "approve", "nosuchrollout", "--by", "alice", "--journal", journal.toString())).isEqualTo(2);
        assertThat(run("rollout", "status", "nosuchrollout", "--journal", journal.toString())).isEqualTo(2);

        assertThat(err()).contains("Rollout " + id + " has no approval pending").contains("nosuchrollout");
        assertThat(Files.list(journal).count()).isEqualTo(files);
    }

    @Test
    void approve_withoutByOrJournal_exits2() {
        assertThat(run("rollout", "approve", "abc", "--journal", journal.toString())).isEqualTo(2);
        assertThat(run("rollout", "approve", "abc", "--by", "alice")).isEqualTo(2);
        assertThat(run("rollout", "approve", "--by", "alice", "--journal", journal.toString())).isEqualTo(2);

        assertThat(err()).contains("Missing required option: '--by=NAME'").contains("Missing required option: '--journal=DIR'")
                .contains("Missing required parameter: 'ID'");
    }
}
