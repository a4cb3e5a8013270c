package dev.stepwise.aws.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.Testbed;
import dev.stepwise.aws.testkit.CommandOutcome;
import dev.stepwise.aws.testkit.FillInProxy;
import dev.stepwise.aws.testkit.MotoExtension;
import dev.stepwise.aws.testkit.Patch;
import dev.stepwise.aws.testkit.SentCommand;
import dev.stepwise.core.plan.Prediction;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.notify.Announcement;
import dev.stepwise.core.notify.Notifications;
import dev.stepwise.core.notify.Notifier;
import dev.stepwise.core.rollout.ApprovalDecision;
import dev.stepwise.core.rollout.Approver;
import dev.stepwise.core.rollout.Checkpoint;
import dev.stepwise.core.rollout.CheckpointResult;
import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.rollout.WaveStatus;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

class PatchRolloutIT {
    @RegisterExtension
    static final MotoExtension MOTO = MotoExtension.create();

    private FillInProxy proxy;
    private AwsContext aws;
    private VirtualTimeSource time;
    private Runner runner;

    @BeforeEach
    void setUp() {
        proxy = MOTO.proxy();
        aws = Testbed.context(proxy);
        time = VirtualTimeSource.create();
        runner = Runner.create().withTimeSource(time);
    }

    @AfterEach
    void tearDown() {
        aws.close();
    }

    /** A running instance tagged Env={@code env}, managed by SSM as {@code platform}, with {@code patches}. */
    private String instance(String platform, String env, Patch... patches) {
        String ami = platform.equals("Windows") ? Testbed.WINDOWS_AMI : Testbed.LINUX_AMI;
        String id = aws.ec2().runInstances(r -> r.imageId(ami).instanceType(InstanceType.T3_MEDIUM).minCount(1).maxCount(1)
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE)
                        .tags(Tag.builder().key("Env").value(env).build()).build())).instances().get(0).instanceId();
        proxy.scenario().managedInstance(id, platform);
        if (patches.length > 0) {
            proxy.scenario().patches(id, patches);
        }
        return id;
    }

    private static Patch kb1() {
        return Patch.missing("KB5031356").withTitle("2023-10 Cumulative Update").withSeverity("Critical");
    }

    private static Patch kb2() {
        return Patch.installed("KB5030214").withTitle("2023-09 Servicing Stack");
    }

    private PatchRollout.Builder rollout() {
        return PatchRollout.builder("monthly-patching", aws)
                .nonProduction(PatchTargets.tagged(aws, "Env", "dev"))
                .production(PatchTargets.tagged(aws, "Env", "prod"))
                .unpinnedProduction();
    }

    private List<SentCommand> installs() {
        return proxy.counts().sentCommands().stream()
                .filter(c -> c.parameters().get("Operation").equals(List.of("Install"))).toList();
    }

    @Test
    void run_whenProductionMatches_patchesNonProductionSoaksThenPatchesProduction() {
        String dev1 = instance("Windows", "dev", kb1(), kb2(),
                Patch.of("KB5029000", Patch.State.INSTALLED_PENDING_REBOOT).withTitle("pending from last month"));
        String dev2 = instance("Linux", "dev", Patch.missing("openssl.x86_64"));
        String prod1 = instance("Windows", "prod", kb1(), kb2());
        String prod2 = instance("Linux", "prod", Patch.missing("openssl.x86_64"));
        instance("Windows", "staging", kb1());

        PatchRolloutResult r = rollout().build().run(runner);

        assertThat(r.status()).as(r.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(r.comparison()).hasValueSatisfying(c -> assertThat(c.matches()).isTrue());
        InstanceReport d1 = r.instance(PatchRollout.NON_PRODUCTION, dev1).orElseThrow();
        assertThat(d1.before().orElseThrow().missing()).isEqualTo(1);
        assertThat(d1.before().orElseThrow().installedPendingReboot()).isEqualTo(1);
        assertThat(d1.after().orElseThrow().missing()).isZero();
        assertThat(d1.after().orElseThrow().installedPendingReboot()).as("RebootIfNeeded clears pending reboots").isZero();
        assertThat(d1.pendingReboot()).isFalse();
        assertThat(d1.installed()).extracting(PatchInfo::id).containsExactly("KB5031356");
        assertThat(d1.platform()).isEqualTo("Microsoft Windows Server 2019 Datacenter 10.0.17763");
        assertThat(r.instance(PatchRollout.PRODUCTION, prod2).orElseThrow().installed()).extracting(PatchInfo::id)
                .containsExactly("openssl.x86_64");
        assertThat(r.instances(PatchRollout.PRODUCTION)).extracting(InstanceReport::instanceId)
                .containsExactlyInAnyOrder(prod1, prod2);
        assertThat(r.backupImages()).hasSize(4).doesNotHaveDuplicates();
        assertThat(Testbed.images(aws)).hasSize(4);
        List<SentCommand> installs = installs();
        assertThat(installs).extracting(c -> c.instanceIds().get(0)).containsExactlyInAnyOrder(dev1, dev2, prod1, prod2);
        assertThat(installs.subList(0, 2)).extracting(c -> c.instanceIds().get(0)).containsExactlyInAnyOrder(dev1, dev2);
        assertThat(installs).allSatisfy(c -> assertThat(c.parameters()).containsEntry("RebootOption", List.of("RebootIfNeeded")));
        CheckpointResult soak = r.result().wave(PatchRollout.NON_PRODUCTION_RESCAN).checkpoints().get(0);
        assertThat(soak.kind()).isEqualTo(Checkpoint.Kind.SOAK);
        assertThat(soak.duration()).isEqualTo(Duration.ofDays(7));
        assertThat(r.toJson()).contains("\"installed\" : [ {", "\"KB5031356\"", "\"backupImage\" : \"ami-");
        assertThat(r.toString()).contains("Wave production:", "installed [KB5031356]");
        // what a resume or Temporal reads back: every target's outputs survive their JSON form
        r.result().targets().forEach(t -> dev.stepwise.aws.OutputsRoundTrip.check(t.run(), PatchRollout.class,
                PatchKeys.class, PatchSteps.class, PatchBackups.class, PatchCutoff.class));
    }

    /**
     * The rollout run by a caller's runner that journals nowhere: production recalls the verified set from the gate's
     * data the engine hands its wave (StepContext.waveCheckpoints()), not from a journal store.
     */
    @Test
    void toRollout_onARunnerWithoutAJournal_productionRecallsTheVerifiedSetFromItsWaveCheckpoints() {
        instance("Windows", "dev", kb1(), kb2());
        String prod = instance("Windows", "prod", kb1(), kb2());

        dev.stepwise.core.rollout.RolloutResult r = runner.run(rollout().build().toRollout(time));

        assertThat(r.status()).as(r.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        RunResult production = r.wave(PatchRollout.PRODUCTION).target(prod).orElseThrow().run();
        assertThat(production.outputs().get("pinned")).asList().singleElement()
                .satisfies(p -> assertThat(((PatchInfo) p).id()).isEqualTo("KB5031356"));
        assertThat(installs()).filteredOn(c -> c.instanceIds().contains(prod)).hasSize(1);
    }

    @Test
    void productionPlan_runOutsideItsRollout_refusesToInstall_forWantOfTheGatesVerdict() {
        String prod = instance("Windows", "prod", kb1());
        dev.stepwise.core.rollout.Rollout staged = rollout().build().toRollout(time);
        dev.stepwise.core.plan.Plan production = staged.waves().stream().filter(w -> w.name().equals(PatchRollout.PRODUCTION))
                .findFirst().orElseThrow().plan().orElse(staged.plan());

        RunResult r = runner.run(production, dev.stepwise.core.plan.Inputs.of(PatchKeys.INSTANCE_ID, prod));

        assertThat(r.isSuccess()).isFalse();
        assertThat(r.step("recallVerified").orElseThrow().failure().message())
                .contains("no passed verdict of the gate \"" + PatchRollout.GATE + "\"", "not a target's run of a rollout");
        assertThat(installs()).as("nothing installed").isEmpty();
    }

    @Test
    void run_whenProductionWouldInstallAnUntestedPatch_haltsBeforeAnyProductionInstall() {
        String dev = instance("Windows", "dev", kb1());
        String prod = instance("Windows", "prod", kb1(), Patch.missing("KB5032000").withTitle("Out-of-band DNS fix")
                .withClassification("CriticalUpdates").withSeverity("Important"));

        PatchRolloutResult r = rollout().build().run(runner);

        assertThat(r.status()).isEqualTo(RolloutStatus.HALTED);
        assertThat(r.reason()).contains("halted before production changed", "1 patch difference");
        assertThat(r.comparison().orElseThrow().differences()).containsExactly(PatchDifference.builder(
                PatchDifference.Kind.NOT_VERIFIED_IN_NON_PRODUCTION, "KB5032000").title("Out-of-band DNS fix")
                .classification("CriticalUpdates").severity("Important").addInstances(prod).build());
        assertThat(installs()).as("no Install reached production").extracting(c -> c.instanceIds())
                .containsExactly(List.of(dev));
        assertThat(proxy.counts().sentCommands()).filteredOn(c -> c.instanceIds().contains(prod))
                .extracting(c -> c.parameters().get("Operation")).containsOnly(List.of("Scan"));
        var prodWave = r.result().wave(PatchRollout.PRODUCTION);
        assertThat(prodWave.status()).isEqualTo(WaveStatus.HALTED);
        assertThat(prodWave.reason()).contains(PatchRollout.GATE);
        assertThat(prodWave.total()).as("no production target started").isZero();
        assertThat(Testbed.images(aws)).as("only the non-production backup").hasSize(1);
        assertThat(r.toJson()).contains("\"NOT_VERIFIED_IN_NON_PRODUCTION\"", "\"Out-of-band DNS fix\"");
    }

    @Test
    void run_whenInstallsFailPastTheErrorBudget_haltsMidWaveAndNeverReachesProduction() {
        String a = instance("Windows", "dev", kb1());
        String b = instance("Windows", "dev", kb1());
        String c = instance("Windows", "dev", kb1());
        String d = instance("Windows", "dev", kb1());
        String prod = instance("Windows", "prod", kb1());
        proxy.scenario().commandOutcome(b, PatchSteps.DOCUMENT, CommandOutcome.failed("Install failed: 0x80070643", 1));
        proxy.scenario().commandOutcome(c, PatchSteps.DOCUMENT, CommandOutcome.failed("Install failed: 0x80070643", 1));

        PatchRolloutResult r = rollout().nonProduction(PatchTargets.ids(aws, a, b, c, d))
                .nonProductionWave(w -> w.maxConcurrency(1).maxErrors(1)).build().run(runner);

        assertThat(r.status()).isEqualTo(RolloutStatus.HALTED);
        assertThat(r.reason()).contains("more than maxErrors 1");
        assertThat(r.instances(PatchRollout.NON_PRODUCTION)).extracting(InstanceReport::instanceId, InstanceReport::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(a, "SUCCEEDED"), org.assertj.core.groups.Tuple.tuple(b, "FAILED"),
                        org.assertj.core.groups.Tuple.tuple(c, "FAILED"), org.assertj.core.groups.Tuple.tuple(d, "NOT_STARTED"));
        assertThat(r.instance(PatchRollout.NON_PRODUCTION, b).orElseThrow().reason()).contains("0x80070643");
        assertThat(proxy.counts().sentCommands()).noneMatch(s -> s.instanceIds().contains(d) || s.instanceIds().contains(prod));
        assertThat(r.result().waves()).filteredOn(w -> !w.name().equals(PatchRollout.NON_PRODUCTION))
                .allSatisfy(w -> assertThat(w.total()).as(w.name()).isZero());
    }

    @Test
    void run_withNoRebootAcceptingPendingReboot_reportsPendingRebootAndReachesProduction() {
        String dev = instance("Linux", "dev", Patch.missing("kernel.x86_64"));
        instance("Linux", "prod", Patch.missing("kernel.x86_64"));

        PatchRolloutResult r = rollout().rebootOption("NoReboot").acceptPendingReboot().soak(Duration.ZERO).amiBackup(false)
                .build().run(runner);

        InstanceReport d = r.instance(PatchRollout.NON_PRODUCTION, dev).orElseThrow();
        assertThat(d.status()).as(r.toString()).isEqualTo("SUCCEEDED");
        assertThat(d.pendingReboot()).isTrue();
        assertThat(d.after().orElseThrow().installedPendingReboot()).isEqualTo(1);
        assertThat(d.toString()).contains("REBOOT PENDING");
        assertThat(installs()).allSatisfy(c -> assertThat(c.parameters()).containsEntry("RebootOption", List.of("NoReboot")));
        assertThat(r.status()).as("acceptPendingReboot counts a pending patch as verified").isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(proxy.counts().count("CreateImage")).isZero();
        assertThat(proxy.counts().count("RebootInstances")).isZero();
    }

    @Test
    void resolve_byTag_selectsExactlyTheTaggedInstancesOfEitherPlatform() {
        String w = instance("Windows", "dev");
        String l = instance("Linux", "dev");
        instance("Windows", "prod");
        aws.ec2().runInstances(r -> r.imageId(Testbed.LINUX_AMI).instanceType(InstanceType.T3_MEDIUM).minCount(1).maxCount(1));

        PatchTargets dev = PatchTargets.tagged(aws, "Env", "dev");

        assertThat(dev.resolve()).containsExactlyInAnyOrder(w, l);
        assertThat(dev.resolveManaged()).containsExactlyInAnyOrderEntriesOf(Map.of(w, "Windows", l, "Linux"));
        assertThat(dev.description()).isEqualTo("ec2 tag Env=dev");
    }

    @Test
    void resolve_whenTagKeyOrValueIsUnknown_failsNamingIt() {
        instance("Windows", "dev");

        assertThatThrownBy(() -> PatchTargets.tagged(aws, "Environment", "dev").resolve())
                .isInstanceOf(PatchTargetException.class)
                .hasMessageContaining("tag key \"Environment\" is on no instance");
        assertThatThrownBy(() -> PatchTargets.tagged(aws, "Env", "qa").resolve())
                .isInstanceOf(PatchTargetException.class)
                .hasMessageContaining("tag key \"Env\" has values [dev] on instances, but none of [qa]");
    }

    @Test
    void run_whenNonProductionResolvesToNothing_isATypedErrorBeforeAnyCommand() {
        instance("Windows", "prod", kb1());

        assertThatThrownBy(() -> rollout().build().run(runner))
                .isInstanceOf(PatchTargetException.class)
                .hasMessageContaining("ec2 tag Env=dev").hasMessageContaining("has values [prod]");
        assertThat(proxy.counts().count("SendCommand")).isZero();
    }

    @Test
    void run_whenProductionResolvesToNothing_isATypedErrorBeforeNonProductionIsTouched() {
        instance("Windows", "dev", kb1());

        assertThatThrownBy(() -> rollout().build().run(runner))
                .isInstanceOf(PatchTargetException.class)
                .hasMessageContaining("ec2 tag Env=prod").hasMessageContaining("has values [dev]");
        assertThat(proxy.counts().count("SendCommand")).isZero();
        assertThat(proxy.counts().count("CreateImage")).isZero();
    }

    @Test
    void run_whenTheStagesOverlap_isATypedErrorNamingTheInstancesBeforeAnyCommand() {
        String both = instance("Windows", "dev", kb1());
        aws.ec2().createTags(t -> t.resources(both).tags(software.amazon.awssdk.services.ec2.model.Tag.builder()
                .key("Tier").value("prod").build()));
        instance("Windows", "prod", kb1());

        assertThatThrownBy(() -> rollout().production(PatchTargets.tagged(aws, "Tier", "prod")).build().run(runner))
                .isInstanceOf(InvalidPatchSettingException.class)
                .hasMessageContaining("production \"ec2 tag Tier=prod [" + both + "]\"")
                .hasMessageContaining("also non-production");
        assertThat(proxy.counts().count("SendCommand")).isZero();
    }

    @Test
    void resolve_whenAnInstanceIsNotManaged_failsNamingIt() {
        String managed = instance("Windows", "dev");
        String unmanaged = Testbed.launch(aws, Testbed.LINUX_AMI);

        assertThatThrownBy(() -> PatchTargets.ids(aws, managed, unmanaged).resolve())
                .isInstanceOf(PatchTargetException.class)
                .hasMessageContaining("not managed by SSM with an online agent: [" + unmanaged + "]");
    }

    @Test
    void run_withApprovalDuringSoak_endsTheSoakEarlyOnTheVirtualClock() {
        instance("Windows", "dev", kb1());
        instance("Windows", "prod", kb1());
        List<String> asked = new CopyOnWriteArrayList<>();
        Approver alice = Approver.answering(req -> {
            asked.add(req.wave());
            return ApprovalDecision.approve("alice", "dashboards are green");
        });

        PatchRolloutResult r = rollout().soak(Duration.ofDays(7), alice).build().run(runner);

        assertThat(r.status()).as(r.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        CheckpointResult cp = r.result().wave(PatchRollout.NON_PRODUCTION_RESCAN).checkpoints().get(0);
        assertThat(cp.kind()).isEqualTo(Checkpoint.Kind.APPROVAL);
        assertThat(cp.approval()).hasValueSatisfying(d -> assertThat(d.by()).isEqualTo("alice"));
        assertThat(cp.duration()).isLessThan(Duration.ofDays(1));
        assertThat(asked).containsExactly(PatchRollout.NON_PRODUCTION_RESCAN);
        assertThat(time.now()).isBefore(VirtualTimeSource.DEFAULT_START.plus(Duration.ofDays(1)));
    }

    @Test
    void dryRun_sendsNoCommandAndPredictsEachInstancesCommands() {
        String dev = instance("Windows", "dev", kb1(), kb2());
        String prod = instance("Windows", "prod", kb1(), kb2());
        PatchRollout rollout = rollout().build();

        PatchRolloutResult dry = rollout.dryRun(runner);

        assertThat(proxy.counts().count("SendCommand")).isZero();
        assertThat(Testbed.mutatingCalls(proxy)).isZero();
        assertThat(dry.dryRun()).isTrue();
        assertThat(dry.instance(PatchRollout.NON_PRODUCTION, dev).orElseThrow().wouldInstall())
                .extracting(PatchInfo::id).containsExactly("KB5031356");
        assertThat(dry.instance(PatchRollout.PRODUCTION, prod).orElseThrow().wouldInstall())
                .extracting(PatchInfo::id).containsExactly("KB5031356");
        RunResult devRun = dry.result().wave(PatchRollout.NON_PRODUCTION).target(dev).orElseThrow().run();
        List<Prediction> calls = devRun.steps().stream().flatMap(s -> s.predictions().stream()).filter(Prediction::isCall).toList();
        assertThat(calls).extracting(Prediction::operation)
                .as("the AMI is tagged in the creating call").containsExactly("SendCommand", "CreateImage", "SendCommand", "SendCommand");
        assertThat(devRun.step("install").orElseThrow().predictions().toString()).contains("would install 1 patch(es)", "KB5031356");

        PatchRolloutResult live = rollout.run(runner);

        assertThat(live.isSuccess()).as(live.toString()).isTrue();
        List<Object> predicted = dry.result().targets().stream()
                .flatMap(t -> t.run().steps().stream()).flatMap(s -> s.predictions().stream())
                .filter(p -> p.operation().equals("SendCommand"))
                .map(p -> (Object) List.of(p.parameters().get("InstanceIds"), p.parameters().get("Parameters"))).toList();
        assertThat(predicted).containsExactlyInAnyOrderElementsOf(proxy.counts().sentCommands().stream()
                .map(c -> (Object) List.of(c.instanceIds(), c.parameters())).toList());
    }

    @Test
    void run_withDatabaseBackup_runsItBeforeTheAmiAndInstall() {
        String dev = instance("Windows", "dev", kb1());
        instance("Windows", "prod", kb1());
        List<String> order = new CopyOnWriteArrayList<>();

        PatchRolloutResult r = rollout().databaseBackup(Step.mutating("dbBackup").reads(PatchKeys.INSTANCE_ID)
                        .run(ctx -> order.add(ctx.get(PatchKeys.INSTANCE_ID) + " images:" + Testbed.images(aws).size()
                                + " installs:" + installs().size())))
                .build().run(runner);

        assertThat(r.isSuccess()).as(r.toString()).isTrue();
        assertThat(order.get(0)).isEqualTo(dev + " images:0 installs:0");
        assertThat(order).hasSize(2);
    }

    @Test
    void run_withInstallOverrideListPin_publishesTheVerifiedListAndPinsOnlyProductionInstalls() {
        String dev = instance("Windows", "dev", kb1(), kb2());
        String prod = instance("Windows", "prod", kb1(), kb2());
        List<String> published = new CopyOnWriteArrayList<>();

        PatchRolloutResult r = rollout().pin(Pin.installOverrideList("s3://patch-lists/prod.yaml").publishedBy(yaml -> {
                    published.add(yaml);
                    proxy.scenario().overrideList("s3://patch-lists/prod.yaml", yaml);
                }))
                .build().run(runner);

        assertThat(r.isSuccess()).as(r.toString()).isTrue();
        assertThat(published).as("only what non-production installed through the rollout, not KB5030214 that was there")
                .containsExactly("patches:\n  - id: 'KB5031356'\n    title: '2023-10 Cumulative Update'\n");
        assertThat(installs()).filteredOn(c -> c.instanceIds().contains(prod)).singleElement()
                .satisfies(c -> assertThat(c.parameters()).containsEntry("InstallOverrideList", List.of("s3://patch-lists/prod.yaml")));
        assertThat(installs()).filteredOn(c -> c.instanceIds().contains(dev)).singleElement()
                .satisfies(c -> assertThat(c.parameters()).doesNotContainKey("InstallOverrideList"));
    }

    @Test
    void announceProduction_tellsOwnersAfterTheComparisonAndWaitsTheLeadTimeBeforeProductionChanges() {
        instance("Windows", "dev", kb1());
        String prod = instance("Windows", "prod", kb1());
        List<String> told = new CopyOnWriteArrayList<>();
        Notifications owners = Notifications.builder(Notifier.of("owners' channel", n -> {
            told.add(n.subject());
            assertThat(installs()).as("nothing installed in production before the notice")
                    .noneMatch(c -> c.instanceIds().contains(prod));
        })).audience("production owners").build();

        PatchRolloutResult r = rollout().announceProduction(owners, a -> a.leadTime(Duration.ofHours(24))
                .required()).build().run(runner);

        assertThat(r.status()).as(r.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(told).hasSize(1);
        assertThat(time.waits()).contains(Duration.ofDays(7), Duration.ofHours(24));
        assertThat(installs()).anyMatch(c -> c.instanceIds().contains(prod));
    }

    @Test
    void announceProduction_whenRequiredAndUnsendable_haltsBeforeAnyProductionInstall() {
        instance("Windows", "dev", kb1());
        String prod = instance("Windows", "prod", kb1());
        Notifications broken = Notifications.builder(Notifier.of("a dead mail relay", n -> {
            throw new IllegalStateException("relay refused the connection");
        })).build();

        PatchRolloutResult r = rollout().announceProduction(Announcement.to(broken).required().build()).build()
                .run(runner);

        assertThat(r.status()).isEqualTo(RolloutStatus.HALTED);
        assertThat(r.toString()).contains("relay refused the connection");
        assertThat(installs()).noneMatch(c -> c.instanceIds().contains(prod));
    }
}
