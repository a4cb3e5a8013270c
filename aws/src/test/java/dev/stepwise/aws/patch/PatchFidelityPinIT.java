package dev.stepwise.aws.patch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.Testbed;
import dev.stepwise.aws.testkit.FillInProxy;
import dev.stepwise.aws.testkit.ManagedInstance;
import dev.stepwise.aws.testkit.MotoExtension;
import dev.stepwise.aws.testkit.Patch;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.rollout.Approver;
import dev.stepwise.core.rollout.Rollouts;
import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * Issue #18 item 2: production installs exactly what non-production verified. A patch released between production's
 * scan and its Install (here: while the rollout is parked on the production approval) must not be installed.
 */
class PatchFidelityPinIT {
    @RegisterExtension
    static final MotoExtension MOTO = MotoExtension.create();
    private static final String LIST = "s3://patch-lists/prod.yaml";

    @TempDir
    Path dir;

    private FillInProxy proxy;
    private AwsContext aws;
    private VirtualTimeSource time;
    private JournalStore store;

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

    private static Patch curl() {
        return Patch.missing("curl.x86_64").withTitle("curl.x86_64:0:7.88.1-1.amzn2");
    }

    /** Runs to the production approval (parked), releases curl on production, approves, and finishes. */
    private PatchRolloutResult runWithReleaseBeforeProductionInstall(PatchRollout.Builder settings, String prod) {
        PatchRollout rollout = settings.nonProduction(PatchTargets.tagged(aws, "Env", "dev"))
                .production(PatchTargets.tagged(aws, "Env", "prod")).soak(Duration.ZERO).amiBackup(false)
                .approveProduction(Approver.of(new CompletableFuture<>()), a -> a.timeout(Duration.ofDays(1)))
                .journal(store).build();
        Runner runner = Runner.create().withTimeSource(time).parkLongerThan(Duration.ofMinutes(5));
        PatchRolloutResult parked = rollout.run(runner);
        assertThat(parked.status()).as(parked.toString()).isEqualTo(RolloutStatus.WAITING);
        proxy.scenario().releasePatch(prod, curl());
        Rollouts.approve(store, parked.rolloutId(), "alice", "go");
        return rollout.resume(runner, parked.rolloutId());
    }

    @Test
    void run_withOverrideList_aPatchReleasedAfterProductionsScanIsNotInstalled() {
        instance("dev", openssl());
        String prod = instance("prod", openssl());

        PatchRolloutResult r = runWithReleaseBeforeProductionInstall(PatchRollout.builder("pinned", aws)
                .pin(Pin.installOverrideList(LIST).publishedBy(yaml -> proxy.scenario().overrideList(LIST, yaml))), prod);

        assertThat(r.status()).as(r.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(r.instance(PatchRollout.PRODUCTION, prod).orElseThrow().installed()).extracting(PatchInfo::title)
                .containsExactly("openssl.x86_64:1:1.0.2k-24.amzn2");
        assertThat(proxy.scenario().patchesOf(prod)).filteredOn(p -> p.kbId().equals("curl.x86_64"))
                .singleElement().satisfies(p -> assertThat(p.state()).isEqualTo(Patch.State.MISSING));
    }

    @Test
    void run_withS3Pin_publishesTheVersionedListToS3AndProductionInstallsOnlyIt() {
        instance("dev", openssl());
        String prod = instance("prod", openssl());
        try (S3Client s3 = aws.configure(S3Client.builder()).credentialsProvider(aws.credentials()).forcePathStyle(true)
                .build()) {
            s3.createBucket(b -> b.bucket("patch-lists"));

            PatchRolloutResult r = runWithReleaseBeforeProductionInstall(PatchRollout.builder("s3-pinned", aws)
                    .pin(Pin.s3("patch-lists", "monthly/")), prod);

            assertThat(r.status()).as(r.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
            String key = "monthly/s3-pinned/" + r.rolloutId() + ".yaml";
            assertThat(s3.getObjectAsBytes(g -> g.bucket("patch-lists").key(key)).asUtf8String())
                    .isEqualTo("patches:\n  - id: 'openssl.x86_64'\n    title: 'openssl.x86_64:1:1.0.2k-24.amzn2'\n");
            assertThat(proxy.counts().sentCommands()).filteredOn(c -> c.instanceIds().contains(prod)
                    && c.parameters().get("Operation").equals(List.of("Install"))).singleElement()
                    .satisfies(c -> assertThat(c.parameters()).containsEntry("InstallOverrideList",
                            List.of("s3://patch-lists/" + key)));
            assertThat(proxy.scenario().patchesOf(prod)).extracting(Patch::kbId, Patch::state).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("openssl.x86_64", Patch.State.INSTALLED),
                    org.assertj.core.groups.Tuple.tuple("curl.x86_64", Patch.State.MISSING));
        }
    }

    @Test
    void run_withoutPin_aPatchReleasedAfterProductionsScanFailsThePostInstallCheckNamingIt() {
        instance("dev", openssl());
        String prod = instance("prod", openssl());

        PatchRolloutResult r = runWithReleaseBeforeProductionInstall(PatchRollout.builder("unpinned", aws)
                .unpinnedProduction(), prod);

        assertThat(r.status()).isEqualTo(RolloutStatus.HALTED);
        assertThat(r.instance(PatchRollout.PRODUCTION, prod).orElseThrow().reason())
                .contains("installed that non-production did not verify", "curl.x86_64:0:7.88.1-1.amzn2");
    }

    // ---- issue #18 item 8: a cut-off for long soaks ----

    private static final java.time.LocalDate CUTOFF = java.time.LocalDate.of(2026, 11, 10);

    private static Patch opensslReleased() {
        return openssl().withReleaseDate(java.time.LocalDate.of(2026, 11, 1));
    }

    /** Released after the cut-off. */
    private static Patch curlReleased() {
        return curl().withReleaseDate(java.time.LocalDate.of(2026, 11, 20));
    }

    @Test
    void run_withCutoff_aPatchReleasedAfterItIsNotInstalledInNonProduction_soNotInProductionsVerifiedSet() {
        String dev = instance("dev", opensslReleased(), curlReleased());
        String prod = instance("prod", opensslReleased(), curlReleased());
        proxy.scenario().baselineDefinition("pb-0123456789abcdef0", "AMAZON_LINUX_2", 0);
        try (S3Client s3 = aws.configure(S3Client.builder()).credentialsProvider(aws.credentials()).forcePathStyle(true)
                .build()) {
            s3.createBucket(b -> b.bucket("patch-lists"));
            PatchRollout rollout = PatchRollout.builder("cutoff", aws).nonProduction(PatchTargets.tagged(aws, "Env", "dev"))
                    .production(PatchTargets.tagged(aws, "Env", "prod")).soak(Duration.ZERO).amiBackup(false)
                    .pin(Pin.s3("patch-lists", "monthly/")).nonProductionApproveUntil(CUTOFF).journal(store).build();

            PatchRolloutResult dry = rollout.dryRun(Runner.create().withTimeSource(time));
            assertThat(dry.result().toString()).as(dry.toString()).contains("BaselineOverride");
            assertThat(proxy.counts().count("SendCommand")).as("a dry run sends nothing").isZero();

            PatchRolloutResult r = rollout.run(Runner.create().withTimeSource(time));

            assertThat(r.status()).as(r.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
            assertThat(proxy.scenario().patchesOf(dev)).extracting(Patch::kbId, Patch::state).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("openssl.x86_64", Patch.State.INSTALLED),
                    org.assertj.core.groups.Tuple.tuple("curl.x86_64", Patch.State.MISSING));
            assertThat(r.comparison().orElseThrow().verified().values()).flatExtracting(v -> v)
                    .extracting(PatchInfo::id).containsExactly("openssl.x86_64");
            assertThat(proxy.scenario().patchesOf(prod)).extracting(Patch::kbId, Patch::state).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("openssl.x86_64", Patch.State.INSTALLED),
                    org.assertj.core.groups.Tuple.tuple("curl.x86_64", Patch.State.MISSING));
            assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("held back by the cut-off 2026-11-10",
                    "curl.x86_64:0:7.88.1-1.amzn2"));
            String key = "monthly/cutoff/" + r.rolloutId() + "-baseline-override/" + dev + ".json";
            String override = s3.getObjectAsBytes(g -> g.bucket("patch-lists").key(key)).asUtf8String();
            assertThat(override).startsWith("[{").contains("\"OperatingSystem\":\"AMAZON_LINUX_2\"")
                    .contains("\"ApproveUntilDate\":\"2026-11-10\"").doesNotContain("ApproveAfterDays");
            var installs = proxy.counts().sentCommands().stream()
                    .filter(c -> c.parameters().get("Operation").equals(List.of("Install"))).toList();
            assertThat(installs).filteredOn(c -> c.instanceIds().contains(dev)).singleElement()
                    .satisfies(c -> assertThat(c.parameters()).containsEntry("BaselineOverride",
                            List.of("s3://patch-lists/" + key)).doesNotContainKey("InstallOverrideList"));
            assertThat(installs).filteredOn(c -> c.instanceIds().contains(prod)).singleElement()
                    .satisfies(c -> assertThat(c.parameters()).doesNotContainKey("BaselineOverride")
                            .containsKey("InstallOverrideList"));
        }
    }

    @Test
    void run_withCutoff_onAnUbuntuNonProductionInstance_isRefusedBeforeAnyCommand() {
        String dev = instance("dev", opensslReleased());
        proxy.scenario().managedInstance(dev_ubuntu(dev));
        instance("prod", opensslReleased());
        PatchRollout rollout = PatchRollout.builder("cutoff-ubuntu", aws).nonProduction(PatchTargets.tagged(aws, "Env", "dev"))
                .production(PatchTargets.tagged(aws, "Env", "prod")).soak(Duration.ZERO).amiBackup(false)
                .pin(Pin.s3("patch-lists", "monthly/")).nonProductionApproveUntil(CUTOFF).journal(store).build();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> rollout.run(Runner.create().withTimeSource(time)))
                .isInstanceOf(InvalidPatchSettingException.class)
                .hasMessageContaining("nonProductionApproveUntil \"2026-11-10 for " + dev + " (Ubuntu)\"")
                .hasMessageContaining("ApproveUntilDate does not work on Debian or Ubuntu");
        assertThat(proxy.counts().count("SendCommand")).isZero();
    }

    private static ManagedInstance dev_ubuntu(String id) {
        return ManagedInstance.linux(id).withPlatform("Ubuntu", "22.04");
    }

    /** The fill-in models reference §1: InstallOverrideList together with BaselineOverride makes the document fail. */
    @Test
    void fillIn_anInstallWithBothOverrides_fails() {
        String dev = instance("dev", opensslReleased());
        String commandId = aws.ssm().sendCommand(c -> c.documentName("AWS-RunPatchBaseline").instanceIds(dev)
                .parameters(java.util.Map.of("Operation", List.of("Install"), "InstallOverrideList",
                        List.of("s3://patch-lists/l.yaml"), "BaselineOverride", List.of("s3://patch-lists/o.json"))))
                .command().commandId();

        String status = "Pending";
        for (int i = 0; i < 20 && (status.equals("Pending") || status.equals("InProgress")); i++) {
            status = aws.ssm().getCommandInvocation(g -> g.commandId(commandId).instanceId(dev)).statusAsString();
        }

        assertThat(status).isEqualTo("Failed");
        assertThat(proxy.scenario().patchesOf(dev)).extracting(Patch::state).containsExactly(Patch.State.MISSING);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"BaselineOverride", "InstallOverrideList"})
    void fillIn_anInstallWithAnUnreadableOverride_failsSayingTheBehaviourIsUnknown_andInstallsNothing(String parameter) {
        String dev = instance("dev", opensslReleased());
        String commandId = aws.ssm().sendCommand(c -> c.documentName("AWS-RunPatchBaseline").instanceIds(dev)
                .parameters(java.util.Map.of("Operation", List.of("Install"),
                        parameter, List.of("s3://no-such-bucket/override.json"))))
                .command().commandId();

        var invocation = aws.ssm().getCommandInvocation(g -> g.commandId(commandId).instanceId(dev));
        for (int i = 0; i < 20 && List.of("Pending", "InProgress").contains(invocation.statusAsString()); i++) {
            invocation = aws.ssm().getCommandInvocation(g -> g.commandId(commandId).instanceId(dev));
        }

        assertThat(invocation.statusAsString()).isEqualTo("Failed");
        assertThat(invocation.standardErrorContent() + invocation.standardOutputContent())
                .contains("unknown behaviour").contains(parameter + " s3://no-such-bucket/override.json");
        assertThat(proxy.scenario().patchesOf(dev)).extracting(Patch::state).containsExactly(Patch.State.MISSING);
    }

    // ---- issue #18 item 1: an explicit option to accept a production OS nobody tested ----

    @Test
    void run_acceptingAnUncoveredProductionOs_patchesTheCoveredOnes_leavesTheOthersUnpatched_andWarns() {
        String dev = instance("dev", openssl());
        String prod = instance("prod", openssl());
        String rhel = instance("prod", openssl());
        proxy.scenario().managedInstance(ManagedInstance.linux(rhel)
                .withPlatform("Red Hat Enterprise Linux Server", "7.9"));
        PatchRollout.Builder b = PatchRollout.builder("uncovered", aws).nonProduction(PatchTargets.tagged(aws, "Env", "dev"))
                .production(PatchTargets.tagged(aws, "Env", "prod")).soak(Duration.ZERO).amiBackup(false)
                .pin(Pin.installOverrideList(LIST).publishedBy(yaml -> proxy.scenario().overrideList(LIST, yaml)))
                .journal(store);

        PatchRolloutResult halted = b.build().run(Runner.create().withTimeSource(time));
        assertThat(halted.status()).as("without the option it halts").isEqualTo(RolloutStatus.HALTED);
        assertThat(halted.reason()).contains("Red Hat Enterprise Linux Server 7.9", rhel, "not covered");

        proxy.scenario().patches(dev, openssl()); // the halted run patched non-production: start it afresh
        PatchRollout accepting = b.acceptUncoveredProductionOs().build();
        PatchRolloutResult dry = accepting.dryRun(Runner.create().withTimeSource(time));
        assertThat(dry.warnings()).anySatisfy(w -> assertThat(w).contains("acceptUncoveredProductionOs"));
        assertThat(dry.toString()).contains("acceptUncoveredProductionOs");

        PatchRolloutResult r = accepting.run(Runner.create().withTimeSource(time));

        assertThat(r.status()).as(r.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains(rhel, "Red Hat Enterprise Linux Server 7.9",
                "left unpatched"));
        assertThat(r.toString()).contains(rhel);
        assertThat(proxy.scenario().patchesOf(prod)).extracting(Patch::state).containsExactly(Patch.State.INSTALLED);
        assertThat(proxy.scenario().patchesOf(rhel)).extracting(Patch::state).containsExactly(Patch.State.MISSING);
        assertThat(proxy.counts().sentCommands()).filteredOn(c -> c.instanceIds().contains(rhel)
                && c.parameters().get("Operation").equals(List.of("Install"))).isEmpty();
    }
}
