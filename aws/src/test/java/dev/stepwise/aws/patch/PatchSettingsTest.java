package dev.stepwise.aws.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.core.PlanValidationException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Bad settings are refused before any remote call: the context points at a port nothing listens on. */
class PatchSettingsTest {
    private final AwsContext aws = AwsContext.builder().region("us-east-1").endpointOverride(URI.create("http://127.0.0.1:9"))
            .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))).build();

    @AfterEach
    void tearDown() {
        aws.close();
    }

    @Test
    void ids_whenEmpty_namesTheInputAndRule() {
        assertThatThrownBy(() -> PatchTargets.ids(aws, List.of())).isInstanceOf(InvalidPatchSettingException.class)
                .hasMessage("Invalid patch setting: InstanceIds \"[]\" is empty: give at least one instance id");
    }

    @Test
    void ids_whenMalformed_namesTheValueAndPattern() {
        assertThatThrownBy(() -> PatchTargets.ids(aws, "i-12")).isInstanceOf(InvalidPatchSettingException.class)
                .hasMessage("Invalid patch setting: InstanceId \"i-12\" does not match i-[0-9a-f]{8} or i-[0-9a-f]{17}")
                .extracting(e -> ((InvalidPatchSettingException) e).setting()).isEqualTo("InstanceId");
    }

    @Test
    void tagged_whenKeyBlankOrReservedOrNoValues_isRefused() {
        assertThatThrownBy(() -> PatchTargets.tagged(aws, " ", "dev")).isInstanceOf(InvalidPatchSettingException.class)
                .hasMessageContaining("tag Key \" \" must be 1 to 128 characters");
        assertThatThrownBy(() -> PatchTargets.tagged(aws, "aws:cloudformation:stack-name", "x"))
                .isInstanceOf(InvalidPatchSettingException.class).hasMessageContaining("reserved by AWS");
        assertThatThrownBy(() -> PatchTargets.tagged(aws, "Env")).isInstanceOf(InvalidPatchSettingException.class)
                .hasMessage("Invalid patch setting: tag Values of Env \"[]\" is empty: give at least one value");
    }

    @Test
    void rebootOption_whenNotOneOfTheTwo_isRefused() {
        assertThatThrownBy(() -> RebootOption.parse("RebootAlways")).isInstanceOf(InvalidPatchSettingException.class)
                .hasMessage("Invalid patch setting: RebootOption \"RebootAlways\" is not one of RebootIfNeeded, NoReboot");
        assertThat(RebootOption.parse("NoReboot")).isEqualTo(RebootOption.NO_REBOOT);
    }

    @Test
    void pinSnapshotId_whenNotAGuid_isRefused() {
        assertThatThrownBy(() -> Pin.snapshotId("snap-1")).isInstanceOf(InvalidPatchSettingException.class)
                .hasMessage("Invalid patch setting: SnapshotId \"snap-1\" is not a GUID (8-4-4-4-12 hex digits)");
    }

    @Test
    void pinInstallOverrideList_whenNotS3OrHttps_isRefused() {
        assertThatThrownBy(() -> Pin.installOverrideList("http://bucket/list.yaml"))
                .isInstanceOf(InvalidPatchSettingException.class)
                .hasMessageStartingWith("Invalid patch setting: InstallOverrideList \"http://bucket/list.yaml\" is not an s3://bucket/key or https://");
        assertThat(Pin.installOverrideList("s3://patch-lists/prod.yaml").overrideList()).contains("s3://patch-lists/prod.yaml");
    }

    @Test
    void build_whenSoakNegative_isRefused() {
        assertThatThrownBy(() -> PatchRollout.builder("p", aws).nonProduction(PatchTargets.ids(aws, "i-00000001"))
                .production(PatchTargets.ids(aws, "i-00000002")).unpinnedProduction().soak(Duration.ofHours(-1)).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessage("PatchRollout \"p\": soak \"PT-1H\" must not be negative");
    }

    @Test
    void build_whenSnapshotPinOutlivesThreeDays_isRefused() {
        PatchRollout.Builder b = PatchRollout.builder("p", aws).nonProduction(PatchTargets.ids(aws, "i-00000001"))
                .production(PatchTargets.ids(aws, "i-00000002")).unpinnedProduction()
                .pin(Pin.snapshotId("3b2b1f5e-4f4c-4a47-9d1e-0c1d2e3f4a5b"));
        assertThatThrownBy(b::build).isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("soak with a SnapshotId pin \"PT168H\" is longer than the 3 days");
        assertThat(b.soak(Duration.ofDays(2)).build().pin()).isPresent();
    }

    @Test
    void parameters_whenInstall_carriesRebootSnapshotAndOverrideList() {
        assertThat(PatchSteps.parameters("Install", RebootOption.NO_REBOOT, "3b2b1f5e-4f4c-4a47-9d1e-0c1d2e3f4a5b",
                "https://example.com/list.yaml")).containsExactly(
                java.util.Map.entry("Operation", List.of("Install")),
                java.util.Map.entry("SnapshotId", List.of("3b2b1f5e-4f4c-4a47-9d1e-0c1d2e3f4a5b")),
                java.util.Map.entry("RebootOption", List.of("NoReboot")),
                java.util.Map.entry("InstallOverrideList", List.of("https://example.com/list.yaml")));
        assertThat(PatchSteps.parameters("Scan", RebootOption.NO_REBOOT, null, null))
                .containsExactly(java.util.Map.entry("Operation", List.of("Scan")));
    }
}
