package dev.stepwise.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.aviatrix.AviatrixClient;
import dev.stepwise.aviatrix.BackupRequest;
import dev.stepwise.aviatrix.CloudType;
import dev.stepwise.aviatrix.ControllerUpgrade;
import dev.stepwise.aviatrix.testkit.FakeController;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue #21's parity test, for the built-in plan that does not talk to AWS: the Aviatrix controller upgrade, stepped
 * hop by hop against the testkit's fake controller, gives the same step statuses and outputs on Temporal as on the
 * embedded runner (the AWS plans are in {@link DriversOnTemporalIT}). Each engine gets a fake controller of its own,
 * started at the same version; the password is bound in the plan's client on the worker, never a workflow input.
 */
@Timeout(240)
class BuiltInPlansParityIT {
    static final String QUEUE = "aviatrix";

    TestWorkflowEnvironment env;

    @BeforeEach
    void setUp() {
        env = TestWorkflowEnvironment.newInstance();
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    /** The upgrade plan for {@code fake}, with short waits so the fake's in-progress polls pass quickly. */
    static Plan upgrade(FakeController fake) {
        AviatrixClient client = AviatrixClient.builder().controller(fake.uri())
                .username(FakeController.DEFAULT_USERNAME).password(FakeController.DEFAULT_PASSWORD.toCharArray())
                .allowPlainHttpOnLoopback().unavailableRetryInterval(Duration.ofMillis(10)).build();
        return ControllerUpgrade.builder().client(client).train(FakeController.DEFAULT_TRAIN)
                .backup(BackupRequest.of(CloudType.AWS, "aws-primary", "controller-backups"))
                .upgradeInitialDelay(Duration.ofMillis(10)).pollInterval(Duration.ofMillis(10)).build().plan();
    }

    @Test
    void aviatrixUpgrade_6_5To6_8_givesTheSameStepsAndOutputsAsTheEmbeddedRunner() {
        Inputs target = Inputs.of(ControllerUpgrade.TARGET_VERSION, "6.8");
        RunResult embedded;
        List<String> embeddedVersions;
        try (FakeController fake = FakeController.builder().version("6.5.2608").start()) {
            embedded = Runner.create().run(upgrade(fake), target);
            embeddedVersions = List.copyOf(fake.versionsReached());
        }
        try (FakeController fake = FakeController.builder().version("6.5.2608").start()) {
            Plan plan = upgrade(fake);
            StepwiseTemporal.worker(env.getWorkflowClient(), QUEUE).register(plan).start(env.getWorkerFactory());
            RunResult temporal = StepwiseTemporal.client(env.getWorkflowClient(), QUEUE).start(plan, target).await();

            assertThat(embedded.status()).as(embedded.toString()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(temporal.status()).as(temporal.toString()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(DriversOnTemporalIT.rows(temporal))
                    .containsExactlyElementsOf(DriversOnTemporalIT.rows(RunResult.fromJson(embedded.toJson())));
            assertThat(fake.versionsReached()).isEqualTo(embeddedVersions).isNotEmpty();
            assertThat(temporal.output(ControllerUpgrade.FINAL_VERSION)).hasValueSatisfying(v ->
                    assertThat(v.toString()).startsWith("6.8"));
        }
    }
}
