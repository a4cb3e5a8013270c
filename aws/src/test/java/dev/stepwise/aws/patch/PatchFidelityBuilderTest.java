package dev.stepwise.aws.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.core.PlanValidationException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Issue #18 item 2 at build time: production is pinned by default; the opt-out is explicit and warned about. */
class PatchFidelityBuilderTest {
    private final AwsContext aws = AwsContext.builder().region("us-east-1").endpointOverride(URI.create("http://127.0.0.1:9"))
            .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))).build();

    @AfterEach
    void tearDown() {
        aws.close();
    }

    private PatchRollout.Builder rollout() {
        return PatchRollout.builder("monthly", aws).nonProduction(PatchTargets.ids(aws, "i-00000001"))
                .production(PatchTargets.ids(aws, "i-00000002"));
    }

    @Test
    void build_whenProductionHasNoPinAndNoOptOut_isRefusedNamingTheWaysOut() {
        assertThatThrownBy(() -> rollout().build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("production is not pinned to what non-production verified")
                .hasMessageContaining("Pin.s3(bucket, keyPrefix)")
                .hasMessageContaining("unpinnedProduction()");
    }

    @Test
    void build_whenOnlyASnapshotPin_isRefused_becauseASnapshotDoesNotCarryToProduction() {
        assertThatThrownBy(() -> rollout().soak(Duration.ofDays(2)).pin(Pin.snapshotId("3b2b1f5e-4f4c-4a47-9d1e-0c1d2e3f4a5b"))
                .build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("does not carry non-production's set to production");
    }

    @Test
    void build_whenASnapshotPinMeetsAProductionContextOfItsOwn_isRefused_becauseASnapshotIsScopedToOneAccount() {
        try (AwsContext other = AwsContext.builder().region("eu-west-1").endpointOverride(URI.create("http://127.0.0.1:9"))
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))).build()) {
            assertThatThrownBy(() -> rollout().soak(Duration.ofDays(2)).unpinnedProduction()
                    .pin(Pin.snapshotId("3b2b1f5e-4f4c-4a47-9d1e-0c1d2e3f4a5b")).productionContext(other).build())
                    .isInstanceOf(PlanValidationException.class)
                    .hasMessageContaining("3b2b1f5e-4f4c-4a47-9d1e-0c1d2e3f4a5b")
                    .hasMessageContaining("scoped to one account");
            assertThat(rollout().soak(Duration.ofDays(2)).unpinnedProduction()
                    .pin(Pin.snapshotId("3b2b1f5e-4f4c-4a47-9d1e-0c1d2e3f4a5b")).build().warnings()).isNotEmpty();
        }
    }

    @Test
    void build_whenAFixedListHasNoPublisher_isRefused() {
        assertThatThrownBy(() -> rollout().pin(Pin.installOverrideList("s3://lists/prod.yaml")).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("production is not pinned");
    }

    @Test
    void build_withS3Pin_buildsWithoutWarning_andRecordsThePinInItsParameters() {
        PatchRollout r = rollout().pin(Pin.s3("patch-lists", "monthly/")).build();

        assertThat(r.warnings()).isEmpty();
        assertThat(r.parameters()).containsEntry("pin", Map.of("bucket", "patch-lists", "keyPrefix", "monthly/"));
        assertThat(PatchRollout.Builder.fromParameters(r.parameters(), aws).build().toString()).isEqualTo(r.toString());
    }

    @Test
    void build_whenUnpinnedExplicitly_buildsAndWarns() {
        PatchRollout r = rollout().unpinnedProduction().build();

        assertThat(r.warnings()).singleElement().asString().contains("production is not pinned", "after the fact");
        assertThat(r.toString()).contains("WARNING: production is not pinned");
    }

    @Test
    void build_whenNoRebootWithNeitherTheRebootStepNorAcceptance_isRefused() {
        assertThatThrownBy(() -> rollout().unpinnedProduction().rebootOption("NoReboot").build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("NoReboot leaves installed patches INSTALLED_PENDING_REBOOT")
                .hasMessageContaining("rebootAfterInstall() or acceptPendingReboot()");
        assertThat(rollout().unpinnedProduction().rebootOption("NoReboot").rebootAfterInstall().build().rebootOption())
                .isEqualTo(RebootOption.NO_REBOOT);
    }

    @Test
    void s3_whenBucketAndPrefixAreBad_listsBoth() {
        assertThatThrownBy(() -> Pin.s3("Patch_Lists", "a b"))
                .isInstanceOf(InvalidPatchSettingException.class)
                .hasMessageContaining("bucket \"Patch_Lists\" does not match")
                .hasMessageContaining("keyPrefix \"a b\" does not match");
    }

    @Test
    void build_withACutoffButNoS3Pin_isRefusedNamingTheDateAndTheRule() {
        assertThatThrownBy(() -> rollout().unpinnedProduction()
                .nonProductionApproveUntil(java.time.LocalDate.of(2026, 11, 10)).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("nonProductionApproveUntil \"2026-11-10\"")
                .hasMessageContaining("needs pin(Pin.s3(bucket, keyPrefix))");
    }

    @Test
    void parameters_baselineOverrideWithAnInstallOverrideList_isATypedErrorNamingBoth() {
        assertThatThrownBy(() -> PatchSteps.parameters("Install", RebootOption.REBOOT_IF_NEEDED, null,
                "s3://lists/prod.yaml", "s3://lists/override.json"))
                .isInstanceOf(InvalidPatchSettingException.class)
                .hasMessageContaining("BaselineOverride \"s3://lists/override.json\"")
                .hasMessageContaining("InstallOverrideList s3://lists/prod.yaml")
                .hasMessageContaining("fails when both are given");
        assertThat(PatchSteps.parameters("Install", RebootOption.REBOOT_IF_NEEDED, null, null, "s3://lists/o.json"))
                .containsEntry("BaselineOverride", java.util.List.of("s3://lists/o.json"));
    }

    @Test
    void acceptUncoveredProductionOs_isAWarning_andRecorded() {
        PatchRollout r = rollout().pin(Pin.s3("patch-lists", "monthly/")).acceptUncoveredProductionOs().build();

        assertThat(r.warnings()).singleElement().asString().contains("acceptUncoveredProductionOs", "unpatched");
        assertThat(r.parameters()).containsEntry("acceptUncoveredProductionOs", true);
        assertThat(PatchRollout.Builder.fromParameters(r.parameters(), aws).build().warnings()).isEqualTo(r.warnings());
    }

    @Test
    void theCutoffAndTheWatch_areRecordedInTheParameters_andRebuiltFromThem() {
        PatchRollout r = rollout().pin(Pin.s3("patch-lists", "monthly/"))
                .nonProductionApproveUntil(java.time.LocalDate.of(2026, 11, 10)).healthAlarms("db-latency")
                .healthWatchEvery(Duration.ofHours(6)).build();

        assertThat(r.parameters()).containsEntry("nonProductionApproveUntil", "2026-11-10")
                .containsEntry("healthWatchEvery", "PT6H");
        assertThat(PatchRollout.Builder.fromParameters(r.parameters(), aws).build().parameters()).isEqualTo(r.parameters());
    }

    @Test
    void build_whenTheWatchIsTooFrequentForTheSoak_orNotPositive_isRefused() {
        assertThatThrownBy(() -> rollout().unpinnedProduction().healthAlarms("db-latency")
                .healthWatchEvery(Duration.ofSeconds(1)).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("healthWatchEvery \"PT1S\"").hasMessageContaining("watch less often");
        assertThatThrownBy(() -> rollout().unpinnedProduction().healthWatchEvery(Duration.ZERO).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("healthWatchEvery \"PT0S\" must be more than zero");
    }
}
