package dev.stepwise.aviatrix;

import dev.stepwise.core.PlanValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where and how {@link AviatrixClient#backupNow(BackupRequest)} backs the controller up
 * ({@code enable_cloudn_backup_config} with {@code now=true}).
 *
 * <p>Default: {@code multipleBackups} true, so every hop's backup is kept. Immutable and thread-safe.
 *
 * <pre>{@code
 * BackupRequest backup = BackupRequest.of(CloudType.AWS, "aws-primary", "controller-backups");
 * client.backupNow(backup);
 * }</pre>
 *
 * @param cloudType the cloud of the bucket
 * @param accountName the access account that writes the backup
 * @param bucketName the bucket (or container) that holds it
 * @param multipleBackups keep every backup rather than only the newest
 */
public record BackupRequest(CloudType cloudType, String accountName, String bucketName, boolean multipleBackups) {

    /**
     * Validates the parts: names must not be blank.
     *
     * @throws PlanValidationException naming every blank name
     */
    public BackupRequest {
        Objects.requireNonNull(cloudType, "cloudType");
        Objects.requireNonNull(accountName, "accountName");
        Objects.requireNonNull(bucketName, "bucketName");
        List<String> problems = new ArrayList<>();
        if (accountName.isBlank()) {
            problems.add("accountName \"" + accountName + "\" must not be blank");
        }
        if (bucketName.isBlank()) {
            problems.add("bucketName \"" + bucketName + "\" must not be blank");
        }
        if (!problems.isEmpty()) {
            throw new PlanValidationException("BackupRequest", problems);
        }
    }

    /**
     * @param cloudType the cloud of the bucket
     * @param accountName the access account that writes the backup
     * @param bucketName the bucket that holds it
     * @return a request that keeps multiple backups
     */
    public static BackupRequest of(CloudType cloudType, String accountName, String bucketName) {
        return new BackupRequest(cloudType, accountName, bucketName, true);
    }
}
