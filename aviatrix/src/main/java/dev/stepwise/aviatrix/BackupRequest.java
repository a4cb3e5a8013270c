package dev.stepwise.aviatrix;

import dev.stepwise.core.PlanValidationException;
import java.util.ArrayList;
import java.util.List;
import org.immutables.value.Value;

/**
 * Where and how {@link AviatrixClient#backupNow(BackupRequest)} backs the controller up
 * ({@code enable_cloudn_backup_config} with {@code now=true}).
 *
 * <p>Default: {@code multipleBackups} true, so every hop's backup is kept. Cloud type, account and bucket are
 * required; names must not be blank; {@link Builder#build()} (and {@link #of}) report every problem in one
 * {@link PlanValidationException}. Immutable and thread-safe; {@link #toBuilder()} starts a changed copy.
 *
 * <pre>{@code
 * BackupRequest backup = BackupRequest.of(CloudType.AWS, "aws-primary", "controller-backups");
 * BackupRequest newestOnly = backup.toBuilder().multipleBackups(false).build();
 * client.backupNow(backup);
 * }</pre>
 */
@Value.Immutable
public abstract class BackupRequest {

    BackupRequest() {
    }

    /**
     * @param cloudType the cloud of the bucket
     * @param accountName the access account that writes the backup
     * @param bucketName the bucket that holds it
     * @return a request that keeps multiple backups
     * @throws PlanValidationException naming every blank name
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

    /** @return the bucket (or container) that holds it */
    public abstract String bucketName();

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
        if (bucketName().isBlank()) {
            problems.add("bucketName \"" + bucketName() + "\" must not be blank");
        }
        if (!problems.isEmpty()) {
            throw new PlanValidationException("BackupRequest", problems);
        }
    }

    /** Builds a {@link BackupRequest}; {@link #build()} reports every problem at once. Not thread-safe; reusable. */
    public static final class Builder extends ImmutableBackupRequest.Builder {
        Builder() {
        }
    }
}
