package dev.stepwise.aws.patch;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How production is pinned to exactly what non-production tested. Immutable and thread-safe.
 *
 * <ul>
 *   <li>{@link #snapshotId(String)}: every Scan and Install of both waves carries the same {@code SnapshotId}, so
 *       every instance gets the same approved set. A snapshot can be regenerated for 3 days only, so this pin
 *       requires a soak of at most 3 days.</li>
 *   <li>{@link #installOverrideList(String)}: production's Install carries {@code InstallOverrideList} pointing to a
 *       YAML list in the user's bucket; {@link #publishedBy} writes that list (the patches non-production verified,
 *       {@link PatchComparison#installOverrideListYaml()}) just before production changes. Scan ignores the list,
 *       so the comparison still sees the baseline.</li>
 * </ul>
 *
 * <pre>{@code
 * Pin.installOverrideList("s3://patch-lists/prod.yaml").publishedBy(yaml -> s3.putObject(put, RequestBody.fromString(yaml)));
 * Pin.snapshotId("3b2b1f5e-4f4c-4a47-9d1e-0c1d2e3f4a5b");
 * }</pre>
 */
public final class Pin {
    private final String snapshotId;
    private final String installOverrideList;
    private final Consumer<String> publisher;

    private Pin(String snapshotId, String installOverrideList, Consumer<String> publisher) {
        this.snapshotId = snapshotId;
        this.installOverrideList = installOverrideList;
        this.publisher = publisher;
    }

    /**
     * Both waves scan and install with this snapshot.
     *
     * @throws InvalidPatchSettingException if {@code guid} is not a GUID
     */
    public static Pin snapshotId(String guid) {
        return new Pin(Checks.snapshotId(guid), null, null);
    }

    /**
     * Production installs only the patches in the YAML list at {@code url}.
     *
     * @throws InvalidPatchSettingException if {@code url} is not an s3:// or https:// URL
     */
    public static Pin installOverrideList(String url) {
        return new Pin(null, Checks.installOverrideList(url), null);
    }

    /**
     * A copy that hands the verified list's YAML to {@code writer} (which stores it at the URL) before production
     * changes.
     *
     * @throws InvalidPatchSettingException if this is a snapshot pin, which has no list to publish
     */
    public Pin publishedBy(Consumer<String> writer) {
        if (installOverrideList == null) {
            throw new InvalidPatchSettingException("publishedBy of SnapshotId", snapshotId,
                    "has no list to publish: publishedBy applies to a Pin.installOverrideList pin");
        }
        return new Pin(null, installOverrideList, Objects.requireNonNull(writer, "writer"));
    }

    public Optional<String> snapshot() {
        return Optional.ofNullable(snapshotId);
    }

    public Optional<String> overrideList() {
        return Optional.ofNullable(installOverrideList);
    }

    Optional<Consumer<String>> publisher() {
        return Optional.ofNullable(publisher);
    }

    @Override
    public String toString() {
        return snapshotId != null ? "Pin{SnapshotId " + snapshotId + "}" : "Pin{InstallOverrideList " + installOverrideList
                + (publisher == null ? "" : ", published by the rollout") + "}";
    }
}
