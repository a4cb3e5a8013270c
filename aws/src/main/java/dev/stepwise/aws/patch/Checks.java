package dev.stepwise.aws.patch;

import dev.stepwise.aws.patch.InvalidPatchSettingException.Violation;
import dev.stepwise.core.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Input rules shared by the patch types. Each rule adds its {@link Violation}s to a list, so a caller can check
 * several settings and report them all in one {@link InvalidPatchSettingException}; {@link #throwIfAny} does that.
 */
final class Checks {
    static final Pattern INSTANCE_ID = Pattern.compile("i-([0-9a-f]{8}|[0-9a-f]{17})");
    static final String INSTANCE_ID_RULE = "does not match i-[0-9a-f]{8} or i-[0-9a-f]{17}";
    private static final Pattern GUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern S3_URL = Pattern.compile("s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/\\S+");
    private static final Pattern HTTPS_URL = Pattern.compile("https://[A-Za-z0-9.-]+(:\\d+)?/\\S+");

    private Checks() {
    }

    /** Throws one exception listing {@code violations}, if there are any. */
    static void throwIfAny(List<Violation> violations) {
        if (!violations.isEmpty()) {
            throw new InvalidPatchSettingException(violations);
        }
    }

    static List<String> instanceIds(List<String> ids) {
        List<Violation> v = new ArrayList<>();
        instanceIds(ids, v);
        throwIfAny(v);
        return List.copyOf(ids);
    }

    static void instanceIds(List<String> ids, List<Violation> out) {
        Objects.requireNonNull(ids, "instanceIds");
        if (ids.isEmpty()) {
            out.add(new Violation("InstanceIds", "[]", "is empty: give at least one instance id"));
        }
        Set<String> seen = new HashSet<>();
        for (String id : ids) {
            Objects.requireNonNull(id, "instance id");
            if (!INSTANCE_ID.matcher(id).matches()) {
                out.add(new Violation("InstanceId", id, INSTANCE_ID_RULE));
            } else if (!seen.add(id)) {
                out.add(new Violation("InstanceId", id, "is given twice: each instance at most once"));
            }
        }
    }

    static void tagKey(String key, List<Violation> out) {
        Objects.requireNonNull(key, "tag key");
        if (key.isBlank() || key.length() > 128) {
            out.add(new Violation("tag Key", key, "must be 1 to 128 characters, not blank"));
        } else if (key.startsWith("aws:")) {
            out.add(new Violation("tag Key", key, "must not start with aws: (reserved by AWS)"));
        }
    }

    static void tagValues(String key, List<String> values, List<Violation> out) {
        Objects.requireNonNull(values, "tag values");
        if (values.isEmpty()) {
            out.add(new Violation("tag Values of " + key, "[]", "is empty: give at least one value"));
        }
        for (String v : values) {
            Objects.requireNonNull(v, "tag value");
            if (v.isBlank() || v.length() > 256) {
                out.add(new Violation("tag Value of " + key, v, "must be 1 to 256 characters, not blank"));
            }
        }
    }

    static String snapshotId(String id) {
        List<Violation> v = new ArrayList<>();
        snapshotId(id, v);
        throwIfAny(v);
        return id;
    }

    static void snapshotId(String id, List<Violation> out) {
        Objects.requireNonNull(id, "SnapshotId");
        if (!GUID.matcher(id).matches()) {
            out.add(new Violation("SnapshotId", id, "is not a GUID (8-4-4-4-12 hex digits)"));
        }
    }

    static String installOverrideList(String url) {
        List<Violation> v = new ArrayList<>();
        installOverrideList(url, v);
        throwIfAny(v);
        return url;
    }

    static void installOverrideList(String url, List<Violation> out) {
        Objects.requireNonNull(url, "InstallOverrideList");
        if (!S3_URL.matcher(url).matches() && !HTTPS_URL.matcher(url).matches()) {
            out.add(new Violation("InstallOverrideList", url,
                    "is not an s3://bucket/key or https://host/path URL of a YAML patch list"));
        }
    }

    /** What is wrong with {@code soak}, or null. */
    static Violation soak(Duration soak) {
        Objects.requireNonNull(soak, "soak");
        if (soak.isNegative()) {
            return new Violation("soak", soak.toString(), "must not be negative");
        }
        // the rollout's soak checkpoint refuses more, and it is made only when the rollout runs
        return soak.compareTo(Durations.MAX) > 0 ? new Violation("soak", soak.toString(), "must be at most "
                + Durations.MAX + " (30 days)") : null;
    }
}
