package dev.stepwise.aws.patch;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/** Input rules shared by the patch types; every failure is an {@link InvalidPatchSettingException}. */
final class Checks {
    static final Pattern INSTANCE_ID = Pattern.compile("i-([0-9a-f]{8}|[0-9a-f]{17})");
    static final String INSTANCE_ID_RULE = "does not match i-[0-9a-f]{8} or i-[0-9a-f]{17}";
    private static final Pattern GUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern S3_URL = Pattern.compile("s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/\\S+");
    private static final Pattern HTTPS_URL = Pattern.compile("https://[A-Za-z0-9.-]+(:\\d+)?/\\S+");

    private Checks() {
    }

    static List<String> instanceIds(List<String> ids) {
        Objects.requireNonNull(ids, "instanceIds");
        if (ids.isEmpty()) {
            throw new InvalidPatchSettingException("InstanceIds", "[]", "is empty: give at least one instance id");
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String id : ids) {
            Objects.requireNonNull(id, "instance id");
            if (!INSTANCE_ID.matcher(id).matches()) {
                throw new InvalidPatchSettingException("InstanceId", id, INSTANCE_ID_RULE);
            }
            if (!seen.add(id)) {
                throw new InvalidPatchSettingException("InstanceId", id, "is given twice: each instance at most once");
            }
        }
        return List.copyOf(ids);
    }

    static String tagKey(String key) {
        Objects.requireNonNull(key, "tag key");
        if (key.isBlank() || key.length() > 128) {
            throw new InvalidPatchSettingException("tag Key", key, "must be 1 to 128 characters, not blank");
        }
        if (key.startsWith("aws:")) {
            throw new InvalidPatchSettingException("tag Key", key, "must not start with aws: (reserved by AWS)");
        }
        return key;
    }

    static List<String> tagValues(String key, List<String> values) {
        Objects.requireNonNull(values, "tag values");
        if (values.isEmpty()) {
            throw new InvalidPatchSettingException("tag Values of " + key, "[]", "is empty: give at least one value");
        }
        for (String v : values) {
            Objects.requireNonNull(v, "tag value");
            if (v.isBlank() || v.length() > 256) {
                throw new InvalidPatchSettingException("tag Value of " + key, v, "must be 1 to 256 characters, not blank");
            }
        }
        return List.copyOf(values);
    }

    static String snapshotId(String id) {
        Objects.requireNonNull(id, "SnapshotId");
        if (!GUID.matcher(id).matches()) {
            throw new InvalidPatchSettingException("SnapshotId", id, "is not a GUID (8-4-4-4-12 hex digits)");
        }
        return id;
    }

    static String installOverrideList(String url) {
        Objects.requireNonNull(url, "InstallOverrideList");
        if (!S3_URL.matcher(url).matches() && !HTTPS_URL.matcher(url).matches()) {
            throw new InvalidPatchSettingException("InstallOverrideList", url,
                    "is not an s3://bucket/key or https://host/path URL of a YAML patch list");
        }
        return url;
    }

    static Duration soak(Duration soak) {
        Objects.requireNonNull(soak, "soak");
        if (soak.isNegative()) {
            throw new InvalidPatchSettingException("soak", soak.toString(), "must not be negative");
        }
        return soak;
    }
}
