package dev.stepwise.aviatrix;

import java.util.Objects;
import java.util.Optional;

/**
 * The controller's backup settings, from {@code get_cloudn_backup_config}.
 *
 * <p>Immutable and thread-safe.
 *
 * <p>A record, not a generated value: the client parses it from the controller's JSON, users only read it, and a step
 * output is journaled and read back by Jackson; its canonical constructor is public only because a record cannot
 * hide it, and it may gain components, so do not call it.
 *
 * <pre>{@code
 * if (!client.backupConfig().enabled()) {
 *     throw new IllegalStateException("configure controller backups before upgrading");
 * }
 * }</pre>
 *
 * @param enabled {@code results.enabled} is {@code "yes"}
 * @param multipleBackups {@code results.multiple_bkup} is true
 * @param accountName the access account that stores backups, when reported
 * @param bucketName the bucket that holds them, when reported
 */
public record BackupConfig(boolean enabled, boolean multipleBackups, Optional<String> accountName,
        Optional<String> bucketName) {

    /** Validates the parts. */
    public BackupConfig {
        Objects.requireNonNull(accountName, "accountName");
        Objects.requireNonNull(bucketName, "bucketName");
    }
}
