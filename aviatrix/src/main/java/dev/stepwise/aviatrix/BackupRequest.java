package dev.stepwise.aviatrix;

import dev.stepwise.core.PlanValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * Where and how {@link AviatrixClient#backupNow(BackupRequest)} backs the controller up
 * ({@code enable_cloudn_backup_config} with {@code now=true}).
 *
 * <p>Default: {@code multipleBackups} true, so every hop's backup is kept. Cloud type and account are required,
 * and per cloud [R: the provider's {@code resource_aviatrix_controller_config.go}]: AWS, AWS GovCloud and GCP a
 * bucket; Azure a storage account, a container and a region; OCI a bucket and a region. Names must not be blank;
 * {@link Builder#build()} (and {@link #of}) report every problem in one {@link PlanValidationException}, before
 * any call to a controller. Which parameter names reach the controller depends on its version
 * ({@link ControllerEra}). Immutable and thread-safe; {@link #toBuilder()} starts a changed copy.
 *
 * <pre>{@code
 * BackupRequest backup = BackupRequest.of(CloudType.AWS, "aws-primary", "controller-backups");
 * BackupRequest newestOnly = backup.toBuilder().multipleBackups(false).build();
 * BackupRequest azure = BackupRequest.builder().cloudType(CloudType.AZURE).accountName("azure-ops").
 *     storageName("ctrlbackups").containerName("aviatrix").region("eastus").build();
 * client.backupNow(backup);
 * }</pre>
 */
@Value.Immutable
public abstract class BackupRequest {

    BackupRequest() {
    }

    /**
     * A request for a cloud that needs only a bucket (AWS, AWS GovCloud, GCP).
     *
     * @param cloudType the cloud of the bucket
     * @param accountName the access account that writes the backup
     * @param bucketName the bucket that holds it
     * @return a request that keeps multiple backups
     * @throws PlanValidationException naming every blank name and every field the cloud also needs
     */
    public static BackupRequest of(CloudType cloudType, String accountName, String bucketName) {
        return builder().cloudType(cloudType).accountName(accountName).bucketName(bucketName).build();
    }

    /** @return a builder; cloud type, account and bucket are required, {@code multipleBackups} defaults to true */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this request's settings */
    public Builder toBuilder() {
        return new Builder().from(this);
    }

    /** @return the cloud of the bucket */
    public abstract CloudType cloudType();

    /** @return the access account that writes the backup */
    public abstract String accountName();

    /** @return the bucket that holds it (AWS, AWS GovCloud, GCP, OCI) */
    public abstract Optional<String> bucketName();

    /** @return the Azure storage account */
    public abstract Optional<String> storageName();

    /** @return the Azure container */
    public abstract Optional<String> containerName();

    /** @return the region of the storage (required for Azure and OCI) */
    public abstract Optional<String> region();

    /** @return where the backup goes, for messages: the bucket, or {@code storage/container} on Azure */
    public String location() {
        return bucketName().orElseGet(() -> storageName().orElse("") + "/" + containerName().orElse(""));
    }

    /** @return whether every backup is kept rather than only the newest (default true) */
    @Value.Default
    public boolean multipleBackups() {
        return true;
    }

    @Value.Check
    void check() {
        List<String> problems = new ArrayList<>();
        if (accountName().isBlank()) {
            problems.add("accountName \"" + accountName() + "\" must not be blank");
        }
        List<String> needed = switch (cloudType()) {
            case AZURE -> List.of("storageName", "containerName", "region");
            case OCI -> List.of("bucketName", "region");
            default -> List.of("bucketName");
        };
        check(problems, "bucketName", bucketName(), needed);
        check(problems, "storageName", storageName(), needed);
        check(problems, "containerName", containerName(), needed);
        check(problems, "region", region(), needed);
        if (!problems.isEmpty()) {
            throw new PlanValidationException("BackupRequest", problems);
        }
    }

    private void check(List<String> problems, String field, Optional<String> value, List<String> needed) {
        if (value.isPresent() && value.get().isBlank()) {
            problems.add(field + " \"" + value.get() + "\" must not be blank");
        } else if (value.isEmpty() && needed.contains(field)) {
            problems.add(field + " is required for cloud " + cloudType() + " (it needs " + String.join(", ", needed)
                    + ")");
        }
    }

    /** Builds a {@link BackupRequest}; {@link #build()} reports every problem at once. Not thread-safe; reusable. */
    public static final class Builder extends ImmutableBackupRequest.Builder {
        Builder() {
        }
    }
}
