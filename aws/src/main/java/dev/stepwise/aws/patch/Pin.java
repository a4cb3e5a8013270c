package dev.stepwise.aws.patch;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * How production is pinned to exactly what non-production verified. Immutable and thread-safe.
 *
 * <ul>
 *   <li>{@link #s3(String, String)} — the trusted default: when the comparison passes, the rollout writes the
 *       verified patches as an AWS-RunPatchBaseline install override list to
 *       {@code s3://<bucket>/<keyPrefix><rollout name>/<rollout id>.yaml}, and production's Install carries
 *       {@code InstallOverrideList} with that URL, so it installs those patches, in those versions (Linux titles carry
 *       the version), and nothing released since. {@code s3://} is required for a private bucket (reference
 *       aws-patching-and-drivers.md §1 {@code InstallOverrideList}). The production instances read the object with
 *       their instance profile: the bucket policy must grant {@code s3:GetObject} on {@code <keyPrefix>*} to the
 *       instance roles of every production account; the rollout's own credentials need {@code s3:PutObject}.</li>
 *   <li>{@link #installOverrideList(String)} with {@link #publishedBy}: the same, at a fixed URL the user's writer
 *       stores the list at ({@code https://} works too).</li>
 *   <li>{@link #snapshotId(String)}: every Scan and Install of both stages carries the same {@code SnapshotId}. A
 *       snapshot gives one approved set only within one account, patch group and OS, for at most 3 days (reference
 *       §1 {@code SnapshotId}, §2 step 2): it does not carry non-production's set to a production patch group, so
 *       it does not pin production to what was verified and needs {@code unpinnedProduction()} as well. It is
 *       refused with a soak longer than 3 days and with {@code productionContext(...)} (another account).</li>
 * </ul>
 * Scan ignores an override list, so the comparison still sees the baseline (reference §1).
 *
 * <pre>{@code
 * Pin.s3("patch-lists", "monthly/");
 * Pin.installOverrideList("s3://patch-lists/prod.yaml").publishedBy(yaml -> s3.putObject(put, RequestBody.fromString(yaml)));
 * }</pre>
 */
public final class Pin {
    /** S3 bucket naming: 3 to 63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit. */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_./-]{0,100}");
    /** The model's maximum length of InstallOverrideList (reference §1). */
    static final int MAX_URL = 256;

    private final String snapshotId;
    private final String installOverrideList;
    private final Consumer<String> publisher;
    private final String bucket;
    private final String keyPrefix;

    private Pin(String snapshotId, String installOverrideList, Consumer<String> publisher, String bucket, String keyPrefix) {
        this.snapshotId = snapshotId;
        this.installOverrideList = installOverrideList;
        this.publisher = publisher;
        this.bucket = bucket;
        this.keyPrefix = keyPrefix;
    }

    /**
     * Production installs the verified list the rollout writes to {@code bucket} under {@code keyPrefix} (see the
     * type's description for the key and the bucket policy).
     *
     * @throws InvalidPatchSettingException naming each problem: a bucket name S3 does not allow, a prefix with
     *                                      characters other than letters, digits, '_', '.', '/', '-' or longer than 100
     */
    public static Pin s3(String bucket, String keyPrefix) {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        List<InvalidPatchSettingException.Violation> v = new ArrayList<>();
        if (!BUCKET.matcher(bucket).matches()) {
            v.add(new InvalidPatchSettingException.Violation("bucket", bucket, "does not match " + BUCKET.pattern()
                    + " (S3 bucket names: 3 to 63 lowercase letters, digits, '.' and '-')"));
        }
        if (!PREFIX.matcher(keyPrefix).matches()) {
            v.add(new InvalidPatchSettingException.Violation("keyPrefix", keyPrefix, "does not match "
                    + PREFIX.pattern()));
        }
        Checks.throwIfAny(v);
        return new Pin(null, null, null, bucket, keyPrefix);
    }

    /**
     * Both stages scan and install with this snapshot (not a production pin; see the type's description).
     *
     * @throws InvalidPatchSettingException if {@code guid} is not a GUID
     */
    public static Pin snapshotId(String guid) {
        return new Pin(Checks.snapshotId(guid), null, null, null, null);
    }

    /**
     * Production installs only the patches in the YAML list at {@code url}; pins production only with
     * {@link #publishedBy}, which writes the verified list there.
     *
     * @throws InvalidPatchSettingException if {@code url} is not an s3:// or https:// URL
     */
    public static Pin installOverrideList(String url) {
        return new Pin(null, Checks.installOverrideList(url), null, null, null);
    }

    /**
     * A copy that hands the verified list's YAML to {@code writer} (which stores it at the URL) before production
     * changes.
     *
     * @throws InvalidPatchSettingException if this is not a fixed-URL override list pin
     */
    public Pin publishedBy(Consumer<String> writer) {
        if (installOverrideList == null) {
            throw new InvalidPatchSettingException("publishedBy of " + this, snapshotId != null ? snapshotId : bucket,
                    "has no fixed list URL to publish to: publishedBy applies to a Pin.installOverrideList pin");
        }
        return new Pin(null, installOverrideList, Objects.requireNonNull(writer, "writer"), null, null);
    }

    public Optional<String> snapshot() {
        return Optional.ofNullable(snapshotId);
    }

    /** The fixed list URL of an {@link #installOverrideList} pin. */
    public Optional<String> overrideList() {
        return Optional.ofNullable(installOverrideList);
    }

    /** The bucket of an {@link #s3} pin. */
    public Optional<String> bucket() {
        return Optional.ofNullable(bucket);
    }

    /** The key prefix of an {@link #s3} pin. */
    public Optional<String> keyPrefix() {
        return Optional.ofNullable(keyPrefix);
    }

    /** Whether production installs only what non-production verified: an S3 pin, or a published fixed list. */
    public boolean pinsProduction() {
        return bucket != null || installOverrideList != null && publisher != null;
    }

    /** Whether production's Install carries an {@code InstallOverrideList}. */
    boolean overridesList() {
        return bucket != null || installOverrideList != null;
    }

    /** The object key of rollout {@code rolloutId}'s list for an S3 pin. */
    String key(String rolloutName, String rolloutId) {
        return keyPrefix + rolloutName + "/" + rolloutId + ".yaml";
    }

    /** The URL production's Install is given in rollout {@code rolloutId}. */
    String url(String rolloutName, String rolloutId) {
        return installOverrideList != null ? installOverrideList : "s3://" + bucket + "/" + key(rolloutName, rolloutId);
    }

    Optional<Consumer<String>> publisher() {
        return Optional.ofNullable(publisher);
    }

    @Override
    public String toString() {
        if (snapshotId != null) {
            return "Pin{SnapshotId " + snapshotId + "}";
        }
        if (bucket != null) {
            return "Pin{InstallOverrideList s3://" + bucket + "/" + keyPrefix + "<rollout>/<rollout id>.yaml}";
        }
        return "Pin{InstallOverrideList " + installOverrideList + (publisher == null ? "" : ", published by the rollout")
                + "}";
    }
}
