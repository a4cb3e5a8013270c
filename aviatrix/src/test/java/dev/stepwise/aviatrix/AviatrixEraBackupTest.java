package dev.stepwise.aviatrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.PlanValidationException;
import org.junit.jupiter.api.Test;

/** Backups per cloud [R] and per era [B0, B1, B2], checked when the request is built. */
class AviatrixEraBackupTest {

    private static final BackupRequest AZURE = BackupRequest.builder().cloudType(CloudType.AZURE).accountName("az")
            .storageName("st").containerName("ct").region("eastus").build();

    @Test
    void build_whenAzureWithoutStorageContainerRegion_reportsAllThree() {
        assertThatThrownBy(() -> BackupRequest.builder().cloudType(CloudType.AZURE).accountName("az").build())
                .isInstanceOf(PlanValidationException.class).hasMessageContaining("storageName is required")
                .hasMessageContaining("containerName is required").hasMessageContaining("region is required");
    }

    @Test
    void build_whenOciWithoutRegion_isRefused() {
        assertThatThrownBy(() -> BackupRequest.of(CloudType.OCI, "oci", "bucket"))
                .isInstanceOf(PlanValidationException.class).hasMessageContaining("region is required for cloud OCI");
    }

    @Test
    void build_whenAwsGovOrGcpWithoutBucket_isRefused() {
        for (CloudType c : new CloudType[] {CloudType.AWS, CloudType.AWS_GOV, CloudType.GCP}) {
            assertThatThrownBy(() -> BackupRequest.builder().cloudType(c).accountName("a").build())
                    .isInstanceOf(PlanValidationException.class).hasMessageContaining("bucketName is required");
        }
    }

    @Test
    void backupParams_whenEra_usesThatErasNames() {
        BackupRequest aws = BackupRequest.of(CloudType.AWS, "acct", "bkt");
        assertThat(ControllerEra.backupParams(ControllerVersion.parse("6.5.2608"), aws, true))
                .containsEntry("account_name", "acct").containsEntry("multiple", "true").containsEntry("now", "true")
                .doesNotContainKeys("acct_name", "multiple_bkup", "region");
        assertThat(ControllerEra.backupParams(ControllerVersion.parse("7.1.1794"), aws, true))
                .containsEntry("acct_name", "acct").containsEntry("multiple_bkup", "true")
                .doesNotContainKeys("account_name", "multiple");
        assertThat(ControllerEra.backupParams(ControllerVersion.parse("7.2.4820"), AZURE, true))
                .containsEntry("storage_name", "st").containsEntry("container_name", "ct")
                .containsEntry("region", "eastus").doesNotContainKey("bucket_name");
        assertThat(ControllerEra.backupParams(ControllerVersion.parse("7.2.4820"), aws, false))
                .containsEntry("bucket_name", "bkt").containsKey("region").doesNotContainKey("now");
    }
}
