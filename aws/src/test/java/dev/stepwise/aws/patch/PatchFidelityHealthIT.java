package dev.stepwise.aws.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.Testbed;
import dev.stepwise.aws.testkit.FillInProxy;
import dev.stepwise.aws.testkit.MotoExtension;
import dev.stepwise.aws.testkit.Patch;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * Issue #18 item 3: health, not only time. The rollout parks in its soak; what happens meanwhile decides whether
 * production is scanned at all. CloudWatch alarms are Moto's own (reference moto.md: Put, Describe and SetAlarmState
 * work), not a stand-in.
 */
class PatchFidelityHealthIT {
    @RegisterExtension
    static final MotoExtension MOTO = MotoExtension.create();

    @TempDir
    Path dir;

    private FillInProxy proxy;
    private AwsContext aws;
    private VirtualTimeSource time;
    private CloudWatchClient cloudWatch;

    @BeforeEach
    void setUp() {
        proxy = MOTO.proxy();
        aws = Testbed.context(proxy);
        time = VirtualTimeSource.create();
        cloudWatch = aws.configure(CloudWatchClient.builder()).credentialsProvider(aws.credentials()).build();
    }

    @AfterEach
    void tearDown() {
        cloudWatch.close();
        aws.close();
    }

    private String instance(String env, Patch... patches) {
        String id = aws.ec2().runInstances(r -> r.imageId(Testbed.LINUX_AMI).instanceType(InstanceType.T3_MEDIUM)
                .minCount(1).maxCount(1).tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE)
                        .tags(Tag.builder().key("Env").value(env).build()).build())).instances().get(0).instanceId();
        proxy.scenario().managedInstance(id, "Linux");
        proxy.scenario().patches(id, patches);
        return id;
    }

    private static Patch openssl() {
        return Patch.missing("openssl.x86_64").withTitle("openssl.x86_64:1:1.0.2k-24.amzn2");
    }

    private void alarm(String name) {
        cloudWatch.putMetricAlarm(a -> a.alarmName(name).namespace("AWS/EC2").metricName("CPUUtilization")
                .statistic(Statistic.AVERAGE).period(300).evaluationPeriods(1).threshold(90.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
    }

    private PatchRollout.Builder rollout() {
        return PatchRollout.builder("health", aws).nonProduction(PatchTargets.tagged(aws, "Env", "dev"))
                .production(PatchTargets.tagged(aws, "Env", "prod")).unpinnedProduction().amiBackup(false)
                .soak(Duration.ofDays(7)).journal(JournalStore.directory(dir));
    }

    private Runner runner() {
        return Runner.create().withTimeSource(time).parkLongerThan(Duration.ofMinutes(5));
    }

    private long commandsTo(String instance) {
        return proxy.counts().sentCommands().stream().filter(c -> c.instanceIds().contains(instance)).count();
    }

    @Test
    void resume_whenAVerifiedPatchFailedDuringTheSoak_haltsBeforeProductionIsScanned() {
        String dev = instance("dev", openssl());
        String prod = instance("prod", openssl());
        PatchRollout r = rollout().build();
        PatchRolloutResult parked = r.run(runner());
        assertThat(parked.status()).as(parked.toString()).isEqualTo(RolloutStatus.WAITING);

        proxy.scenario().patches(dev, Patch.of("openssl.x86_64", Patch.State.FAILED)
                .withTitle("openssl.x86_64:1:1.0.2k-24.amzn2"));
        time.advance(Duration.ofDays(7));
        PatchRolloutResult done = r.resume(runner(), parked.rolloutId());

        assertThat(done.status()).as(done.toString()).isEqualTo(RolloutStatus.HALTED);
        assertThat(done.reason()).contains(dev, "openssl.x86_64 is FAILED");
        assertThat(commandsTo(prod)).as("production was not even scanned").isZero();
    }

    @Test
    void resume_whenAnAlarmFiredDuringTheSoak_haltsBeforeProductionNamingIt() {
        instance("dev", openssl());
        String prod = instance("prod", openssl());
        alarm("db-errors");
        alarm("db-latency");
        PatchRollout r = rollout().healthAlarms("db-errors", "db-latency").build();
        PatchRolloutResult parked = r.run(runner());
        assertThat(parked.status()).as(parked.toString()).isEqualTo(RolloutStatus.WAITING);

        cloudWatch.setAlarmState(s -> s.alarmName("db-latency").stateValue(StateValue.ALARM).stateReason("p99 > 2 s"));
        time.advance(Duration.ofDays(7));
        PatchRolloutResult done = r.resume(runner(), parked.rolloutId());

        assertThat(done.status()).as(done.toString()).isEqualTo(RolloutStatus.HALTED);
        assertThat(done.reason()).contains("db-latency is ALARM");
        assertThat(commandsTo(prod)).isZero();
    }

    /**
     * An alarm that fires on simulated day 2 and clears on day 4 of a 7-day soak halts before production: the soak is
     * watched while it lasts, not only after. A daily job resumes the rollout; Moto's own alarm changes state.
     */
    @Test
    void anAlarmInAlarmOnDayTwoThatClearsOnDayFour_haltsBeforeProduction_namingTheAlarmAndWhen() {
        instance("dev", openssl());
        String prod = instance("prod", openssl());
        alarm("db-latency");
        PatchRollout r = rollout().healthAlarms("db-latency").build();
        PatchRolloutResult last = r.run(runner());
        assertThat(last.status()).as(last.toString()).isEqualTo(RolloutStatus.WAITING);
        java.time.Instant started = last.result().wave(PatchRollout.NON_PRODUCTION_RESCAN).checkpoints().get(0).start();

        for (int day = 1; day <= 8 && last.status() == RolloutStatus.WAITING; day++) {
            time.advance(Duration.ofDays(1));
            if (day == 2) {
                cloudWatch.setAlarmState(s -> s.alarmName("db-latency").stateValue(StateValue.ALARM).stateReason("p99 > 2 s"));
            } else if (day == 4) {
                cloudWatch.setAlarmState(s -> s.alarmName("db-latency").stateValue(StateValue.OK).stateReason("recovered"));
            }
            last = r.resume(runner(), last.rolloutId());
        }

        assertThat(last.status()).as(last.toString()).isEqualTo(RolloutStatus.HALTED);
        assertThat(last.reason()).contains("db-latency is ALARM")
                .contains(started.plus(Duration.ofDays(2)).toString()).contains("after 2 d 00 h");
        assertThat(commandsTo(prod)).as("production was not even scanned").isZero();
    }

    /** The user's own health check is watched during the soak the same way as the alarms. */
    @Test
    void aHealthCheckThatFailsOnDayTwoOnly_haltsBeforeProduction() {
        instance("dev", openssl());
        String prod = instance("prod", openssl());
        java.util.concurrent.atomic.AtomicBoolean healthy = new java.util.concurrent.atomic.AtomicBoolean(true);
        PatchRollout r = rollout().healthCheck("the orders queue drains", x -> healthy.get())
                .healthWatchEvery(Duration.ofDays(1)).build();
        PatchRolloutResult last = r.run(runner());

        for (int day = 1; day <= 8 && last.status() == RolloutStatus.WAITING; day++) {
            time.advance(Duration.ofDays(1));
            healthy.set(day != 2);
            last = r.resume(runner(), last.rolloutId());
        }

        assertThat(last.status()).as(last.toString()).isEqualTo(RolloutStatus.HALTED);
        assertThat(last.reason()).contains("the orders queue drains", "does not hold", "after 2 d 00 h");
        assertThat(commandsTo(prod)).isZero();
    }

    @Test
    void resume_whenAlarmsStayOk_reachesProduction() {
        instance("dev", openssl());
        String prod = instance("prod", openssl());
        alarm("db-errors");
        PatchRollout r = rollout().healthAlarmPrefix("db-").build();
        PatchRolloutResult parked = r.run(runner());

        time.advance(Duration.ofDays(7));
        PatchRolloutResult done = r.resume(runner(), parked.rolloutId());

        assertThat(done.status()).as(done.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(commandsTo(prod)).isPositive();
    }

    @Test
    void run_whenANamedAlarmDoesNotExist_isRefusedBeforeAnyCommand() {
        instance("dev", openssl());
        instance("prod", openssl());
        alarm("db-errors");

        assertThatThrownBy(() -> rollout().healthAlarms("db-errors", "db-erorrs").build().run(runner()))
                .isInstanceOf(InvalidPatchSettingException.class)
                .hasMessageContaining("healthAlarms \"db-erorrs\" is no CloudWatch metric alarm");
        assertThat(proxy.counts().count("SendCommand")).isZero();
    }

    @Test
    void run_whenTheAlarmPrefixMatchesNoAlarm_isRefusedBeforeAnyCommand() {
        instance("dev", openssl());
        instance("prod", openssl());
        alarm("db-errors");

        assertThatThrownBy(() -> rollout().healthAlarmPrefix("dbx-").build().run(runner()))
                .isInstanceOf(InvalidPatchSettingException.class)
                .hasMessageContaining("healthAlarmPrefix \"dbx-\" matches no CloudWatch metric alarm");
        assertThat(proxy.counts().count("SendCommand")).isZero();
    }
}
