package dev.stepwise.aws.patch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.Testbed;
import dev.stepwise.aws.testkit.FillInProxy;
import dev.stepwise.aws.testkit.MotoExtension;
import dev.stepwise.aws.testkit.Patch;
import dev.stepwise.aws.testkit.SentCommand;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.notify.Notifications;
import dev.stepwise.core.notify.Notifier;
import dev.stepwise.core.rollout.ApprovalDecision;
import dev.stepwise.core.rollout.CheckpointResult;
import dev.stepwise.core.rollout.Rollouts;
import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.rollout.TargetResult;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * Issue #18 with #17 item 4: a patch rollout is one core rollout, parked at every long wait and resumed each time by
 * a fresh {@link PatchRollout} (as a new process would build it) from the journal alone.
 */
class PatchFidelityResumeIT {
    @RegisterExtension
    static final MotoExtension MOTO = MotoExtension.create();

    @TempDir
    Path dir;

    private FillInProxy proxy;
    private AwsContext aws;
    private VirtualTimeSource time;
    private JournalStore store;
    private final List<String> told = new CopyOnWriteArrayList<>();
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final List<String> published = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        proxy = MOTO.proxy();
        aws = Testbed.context(proxy);
        time = VirtualTimeSource.create();
        store = JournalStore.directory(dir);
    }

    @AfterEach
    void tearDown() {
        aws.close();
    }

    private String instance(String platform, String env, Patch... patches) {
        String ami = platform.equals("Windows") ? Testbed.WINDOWS_AMI : Testbed.LINUX_AMI;
        String id = aws.ec2().runInstances(r -> r.imageId(ami).instanceType(InstanceType.T3_MEDIUM).minCount(1).maxCount(1)
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE)
                        .tags(Tag.builder().key("Env").value(env).build()).build())).instances().get(0).instanceId();
        proxy.scenario().managedInstance(id, platform);
        proxy.scenario().patches(id, patches);
        return id;
    }

    private static Patch openssl() {
        return Patch.missing("openssl.x86_64").withTitle("openssl.x86_64:1:1.0.2k-24.amzn2").withSeverity("Important");
    }

    private static Patch kb() {
        return Patch.missing("KB5031356").withTitle("2023-10 Cumulative Update").withSeverity("Critical");
    }

    /** The rollout as a new process builds it: nothing shared with an earlier instance but the journal store. */
    private PatchRollout fresh() {
        Notifications owners = Notifications.builder(Notifier.of("owners' channel", n -> told.add(n.subject())))
                .audience("production owners").build();
        return PatchRollout.builder("monthly-patching", aws)
                .nonProduction(PatchTargets.tagged(aws, "Env", "dev"))
                .production(PatchTargets.tagged(aws, "Env", "prod"))
                .soak(Duration.ofDays(7))
                .pin(Pin.installOverrideList("s3://patch-lists/prod.yaml").publishedBy(yaml -> {
                    published.add(yaml);
                    proxy.scenario().overrideList("s3://patch-lists/prod.yaml", yaml);
                }))
                .approveProduction(req -> {
                    asked.add(req.wave());
                    return new CompletableFuture<ApprovalDecision>();
                }, a -> a.timeout(Duration.ofDays(3)))
                .announceProduction(owners, a -> a.leadTime(Duration.ofHours(24)))
                .journal(store)
                .build();
    }

    private Runner runner() {
        return Runner.create().withTimeSource(time).parkLongerThan(Duration.ofMinutes(5));
    }

    private List<SentCommand> installs() {
        return proxy.counts().sentCommands().stream()
                .filter(c -> c.parameters().get("Operation").equals(List.of("Install"))).toList();
    }

    private void advanceTo(Instant t) {
        if (t.isAfter(time.now())) {
            time.advance(Duration.between(time.now(), t));
        }
    }

    @Test
    void resume_afterParkingMidSoak_continuesAndProductionInstallsWhatWasVerified() {
        String dev1 = instance("Linux", "dev", openssl());
        String dev2 = instance("Windows", "dev", kb());
        String prod1 = instance("Linux", "prod", openssl());
        String prod2 = instance("Windows", "prod", kb());
        Instant start = time.now();

        PatchRolloutResult first = fresh().run(runner());

        assertThat(first.status()).as(first.toString()).isEqualTo(RolloutStatus.WAITING);
        String id = first.rolloutId();
        Instant soakEnd = first.resumeAt().orElseThrow();
        assertThat(Duration.between(start, soakEnd)).isBetween(Duration.ofDays(7), Duration.ofDays(7).plusHours(1));
        assertThat(installs()).extracting(c -> c.instanceIds().get(0)).containsExactlyInAnyOrder(dev1, dev2);
        int callsAfterNonProduction = proxy.counts().sentCommands().size();

        time.advance(Duration.ofDays(6));
        PatchRolloutResult sixDays = fresh().resume(runner(), id);

        assertThat(sixDays.status()).isEqualTo(RolloutStatus.WAITING);
        assertThat(sixDays.rolloutId()).isEqualTo(id);
        assertThat(sixDays.resumeAt()).as("only the day that remains of the soak").hasValue(soakEnd);
        assertThat(proxy.counts().sentCommands()).hasSize(callsAfterNonProduction);

        advanceTo(soakEnd);
        PatchRolloutResult pending = fresh().resume(runner(), id);

        assertThat(pending.status()).as(pending.toString()).isEqualTo(RolloutStatus.WAITING);
        assertThat(asked).containsExactly(PatchRollout.PRODUCTION);
        assertThat(pending.comparison()).hasValueSatisfying(c -> assertThat(c.matches()).as(c.toString()).isTrue());
        assertThat(published).containsExactly("patches:\n  - id: 'KB5031356'\n    title: '2023-10 Cumulative Update'\n"
                + "  - id: 'openssl.x86_64'\n    title: 'openssl.x86_64:1:1.0.2k-24.amzn2'\n");
        assertThat(told).isEmpty();

        Rollouts.approve(store, id, "alice", "change board approved");
        PatchRolloutResult announced = fresh().resume(runner(), id);

        assertThat(announced.status()).as(announced.toString()).isEqualTo(RolloutStatus.WAITING);
        assertThat(asked).as("a decided approval is not asked again").hasSize(1);
        assertThat(told).hasSize(1);
        assertThat(installs()).noneMatch(c -> c.instanceIds().contains(prod1) || c.instanceIds().contains(prod2));

        advanceTo(announced.resumeAt().orElseThrow());
        PatchRolloutResult done = fresh().resume(runner(), id);

        assertThat(done.status()).as(done.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(told).as("the notice is not sent again").hasSize(1);
        assertThat(asked).hasSize(1);
        assertThat(published).as("the verdict was recalled, not re-evaluated").hasSize(1);
        assertThat(installs()).filteredOn(c -> c.instanceIds().contains(prod1) || c.instanceIds().contains(prod2))
                .hasSize(2).allSatisfy(c -> assertThat(c.parameters())
                        .containsEntry("InstallOverrideList", List.of("s3://patch-lists/prod.yaml")));
        assertThat(installs()).hasSize(4);
        TargetResult p1 = done.result().wave(PatchRollout.PRODUCTION).target(prod1).orElseThrow();
        assertThat(p1.run().output(PatchKeys.PINNED).orElseThrow()).extracting(PatchInfo::title)
                .as("production recalled the verified set of its own OS from the journal")
                .containsExactly("openssl.x86_64:1:1.0.2k-24.amzn2");
        assertThat(done.instance(PatchRollout.PRODUCTION, prod1).orElseThrow().installed()).extracting(PatchInfo::title)
                .containsExactly("openssl.x86_64:1:1.0.2k-24.amzn2");
        CheckpointResult gate = done.result().wave(PatchRollout.PRODUCTION).checkpoints().get(0);
        assertThat(gate.data()).containsEntry("matches", true);
    }

    /** The temporary journals made for a run without one, in the system's temporary directory. */
    private static List<Path> temporaryJournals(String rollout) throws java.io.IOException {
        try (var l = java.nio.file.Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return l.filter(p -> p.getFileName().toString().startsWith("stepwise-patch-" + rollout + "-")).toList();
        }
    }

    @Test
    void run_withoutAJournal_deletesItsTemporaryJournalWhenItEnds_butKeepsAndNamesItWhenItParks() throws Exception {
        instance("Linux", "dev", openssl());
        instance("Linux", "prod", openssl());
        String name = "tmp-journal-" + Long.toHexString(System.nanoTime());
        PatchRollout.Builder b = PatchRollout.builder(name, aws).nonProduction(PatchTargets.tagged(aws, "Env", "dev"))
                .production(PatchTargets.tagged(aws, "Env", "prod")).unpinnedProduction().amiBackup(false);

        PatchRolloutResult ended = b.soak(Duration.ZERO).build().run(Runner.create().withTimeSource(time));
        assertThat(ended.status()).as(ended.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(temporaryJournals(name)).as("deleted when the run ended").isEmpty();

        PatchRolloutResult parked = b.soak(Duration.ofDays(7)).build()
                .run(Runner.create().withTimeSource(time).parkLongerThan(Duration.ofMinutes(5)));
        assertThat(parked.status()).isEqualTo(RolloutStatus.WAITING);
        List<Path> kept = temporaryJournals(name);
        assertThat(kept).as("kept while the rollout waits").hasSize(1);
        assertThat(parked.warnings()).anySatisfy(w -> assertThat(w).contains(kept.get(0).toString(), "resume it with"));
        java.nio.file.Files.walk(kept.get(0)).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
}
