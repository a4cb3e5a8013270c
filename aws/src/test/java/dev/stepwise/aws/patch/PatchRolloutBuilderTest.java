package dev.stepwise.aws.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.notify.Notifications;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Patch rollouts, targets and parameters report every bad setting in one exception, before any remote call: the
 * context points at a port nothing listens on.
 */
class PatchRolloutBuilderTest {
    private static final String GUID = "3b2b1f5e-4f4c-4a47-9d1e-0c1d2e3f4a5b";
    private final AwsContext aws = AwsContext.builder().region("us-east-1").endpointOverride(URI.create("http://127.0.0.1:9"))
            .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))).build();

    @AfterEach
    void tearDown() {
        aws.close();
    }

    @Test
    void build_whenEverySettingIsBad_listsEachInOneException() {
        assertThatThrownBy(() -> PatchRollout.builder("monthly patching", aws).soak(Duration.ofHours(-1))
                .rebootOption("RebootAlways").productionWave(w -> w.maxErrors(-1)).production(PatchTargets.ids(aws,
                        "i-00000002")).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageStartingWith("PatchRollout \"monthly patching\": 6 problems")
                .satisfies(e -> assertThat(((PlanValidationException) e).problems()).containsExactly(
                        "name \"monthly patching\" does not match [A-Za-z0-9][A-Za-z0-9_.-]{0,127} (a letter or digit, "
                                + "then letters, digits, '_', '.' or '-', at most 128 characters)",
                        "soak \"PT-1H\" must not be negative",
                        "RebootOption \"RebootAlways\" is not one of RebootIfNeeded, NoReboot",
                        "nonProduction targets are not set: call nonProduction(...)",
                        "productionWave: maxErrors -1 must not be negative",
                        "production is not pinned to what non-production verified: give pin(Pin.s3(bucket, keyPrefix)) "
                                + "or pin(Pin.installOverrideList(url).publishedBy(writer)), or opt out explicitly with "
                                + "unpinnedProduction()"));
    }

    @Test
    void build_whenSoakIsLongerThanARolloutAllows_isRefusedBeforeTheRolloutRuns() {
        assertThatThrownBy(() -> PatchRollout.builder("p", aws).nonProduction(PatchTargets.ids(aws, "i-00000001"))
                .production(PatchTargets.ids(aws, "i-00000002")).unpinnedProduction().soak(Duration.ofDays(31)).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessage("PatchRollout \"p\": soak \"PT744H\" must be at most PT720H (30 days)");
    }

    @Test
    void build_whenAWaveCustomiserSetsABadLimit_reportsItAtBuild() {
        assertThatThrownBy(() -> PatchRollout.builder("p", aws).nonProduction(PatchTargets.ids(aws, "i-00000001"))
                .production(PatchTargets.ids(aws, "i-00000002")).unpinnedProduction().productionWave(w -> w.maxConcurrency(0)).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessage("PatchRollout \"p\": productionWave: maxConcurrency 0 must be at least 1");
    }

    @Test
    void build_whenABadValueIsReplacedByAGoodOne_builds() {
        PatchRollout r = PatchRollout.builder("p", aws).nonProduction(PatchTargets.ids(aws, "i-00000001"))
                .production(PatchTargets.ids(aws, "i-00000002")).unpinnedProduction().soak(Duration.ofHours(-1)).soak(Duration.ofDays(1))
                .rebootOption("RebootAlways").rebootOption("NoReboot").acceptPendingReboot().build();

        assertThat(r.soak()).isEqualTo(Duration.ofDays(1));
        assertThat(r.rebootOption()).isEqualTo(RebootOption.NO_REBOOT);
    }

    @Test
    void announceProduction_whenMadeInPlaceWithABadLeadTime_reportsItAtBuildWithTheOtherProblems() {
        Notifications ops = Notifications.builder(notice -> { }).build();
        assertThatThrownBy(() -> PatchRollout.builder("p", aws).nonProduction(PatchTargets.ids(aws, "i-00000001"))
                .production(PatchTargets.ids(aws, "i-00000002")).unpinnedProduction().soak(Duration.ofHours(-1))
                .announceProduction(ops, a -> a.leadTime(Duration.ofHours(-1)).required()).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageStartingWith("PatchRollout \"p\": 2 problems")
                .hasMessageContaining("soak \"PT-1H\" must not be negative")
                .hasMessageContaining("announceProduction: leadTime");
    }

    @Test
    void toBuilder_keepsEverySettingAndChangesOnlyWhatIsSet() {
        PatchRollout r = PatchRollout.builder("p", aws).nonProduction(PatchTargets.ids(aws, "i-00000001"))
                .production(PatchTargets.ids(aws, "i-00000002")).unpinnedProduction().soak(Duration.ofDays(2)).rebootOption("NoReboot").acceptPendingReboot()
                .amiBackup(false).build();

        PatchRollout shorter = r.toBuilder().soak(Duration.ofDays(1)).build();

        assertThat(shorter.soak()).isEqualTo(Duration.ofDays(1));
        assertThat(shorter.rebootOption()).isEqualTo(RebootOption.NO_REBOOT);
        assertThat(shorter.amiBackup()).isFalse();
        assertThat(shorter.toString()).isEqualTo(r.toString().replace("soak PT48H", "soak PT24H"));
    }

    @Test
    void ids_whenSeveralIdsAreBad_listsEachInOneException() {
        assertThatThrownBy(() -> PatchTargets.ids(aws, "i-12", "i-00000001", "i-00000001", "x"))
                .isInstanceOf(InvalidPatchSettingException.class)
                .isInstanceOf(PlanValidationException.class)
                .hasMessageStartingWith("Invalid patch settings: 3 problems")
                .satisfies(e -> assertThat(((InvalidPatchSettingException) e).violations()).containsExactly(
                        new InvalidPatchSettingException.Violation("InstanceId", "i-12", Checks.INSTANCE_ID_RULE),
                        new InvalidPatchSettingException.Violation("InstanceId", "i-00000001",
                                "is given twice: each instance at most once"),
                        new InvalidPatchSettingException.Violation("InstanceId", "x", Checks.INSTANCE_ID_RULE)))
                .extracting(e -> ((InvalidPatchSettingException) e).setting()).isEqualTo("InstanceId");
    }

    @Test
    void tagged_whenKeyAndValuesAreBad_listsBoth() {
        assertThatThrownBy(() -> PatchTargets.tagged(aws, "aws:x", List.of(" ")))
                .isInstanceOf(InvalidPatchSettingException.class)
                .hasMessageContaining("tag Key \"aws:x\" must not start with aws:")
                .hasMessageContaining("tag Value of aws:x \" \" must be 1 to 256 characters");
    }

    @Test
    void parameters_whenOperationSnapshotAndListAreBad_listsEachInOneException() {
        assertThatThrownBy(() -> PatchSteps.parameters("Patch", RebootOption.NO_REBOOT, "snap-1", "ftp://x/y"))
                .isInstanceOf(InvalidPatchSettingException.class)
                .hasMessageContaining("Operation \"Patch\" is not one of Scan, Install")
                .hasMessageContaining("SnapshotId \"snap-1\" is not a GUID");
        assertThatThrownBy(() -> PatchSteps.parameters("Install", RebootOption.NO_REBOOT, "snap-1", "ftp://x/y"))
                .isInstanceOf(InvalidPatchSettingException.class)
                .hasMessageContaining("SnapshotId \"snap-1\" is not a GUID")
                .hasMessageContaining("InstallOverrideList \"ftp://x/y\" is not an s3://bucket/key or https://");
    }

    @Test
    void pinPublishedBy_whenASnapshotPin_isRefused() {
        assertThatThrownBy(() -> Pin.snapshotId(GUID).publishedBy(yaml -> { }))
                .isInstanceOf(InvalidPatchSettingException.class)
                .hasMessageContaining("publishedBy applies to a Pin.installOverrideList pin");
    }
}
