package dev.stepwise.aviatrix;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.stepwise.core.PlanValidationException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version of the Aviatrix controller software, in any of the formats the controller has used.
 *
 * <p>Accepted forms (an optional {@code UserConnect-} prefix is dropped, it is not part of the
 * version; surrounding blanks are ignored):
 * <table>
 *   <caption>version formats</caption>
 *   <tr><th>form</th><th>example</th><th>major.minor</th><th>patch</th><th>build</th></tr>
 *   <tr><td>release</td><td>{@code 3.1}</td><td>3.1</td><td>-</td><td>-</td></tr>
 *   <tr><td>release.build</td><td>{@code 6.5.2608}, {@code UserConnect-5.0.2670}</td><td>6.5</td><td>-</td><td>2608</td></tr>
 *   <tr><td>release-ID.build</td><td>{@code UserConnect-6.3-patch.2309}, {@code 7.2-1804.4665}</td><td>6.3</td><td>-</td><td>2309</td></tr>
 *   <tr><td>8.x release.patch</td><td>{@code 8.0.2}</td><td>8.0</td><td>2</td><td>-</td></tr>
 *   <tr><td>release.patch-build</td><td>{@code 8.0.1-1000.1000}</td><td>8.0</td><td>1</td><td>1000.1000</td></tr>
 * </table>
 *
 * <p>Ordering before 8.0 is the Terraform provider's ({@code goaviatrix/version.go} CompareSoftwareVersions and
 * its {@code version_test.go}): major, then minor; a version without a minor-build ID ({@code 6.5.1232}) sorts
 * before one with an ID ({@code 6.5-patch.100}), and two different IDs count as equal; then the builds; a
 * version with a build sorts before the bare release ({@code 6.5.100 < 6.5}: a bare release stands for "the
 * latest build", as the controller's custom-release field reads it). From 8.0 ({@code 8.0.1},
 * {@code 8.0.1-1000.1000}, {@code 8.0.2}): major, minor, patch (a bare {@code 8.0} after every patch), then the
 * numeric build suffix, an absent suffix first. Ordering is consistent with {@link #equals(Object)}.
 *
 * <p>Instances are immutable and thread-safe. {@link #toString()} prints the version without the
 * {@code UserConnect-} prefix, in the form it was given.
 *
 * <pre>{@code
 * ControllerVersion v = ControllerVersion.parse("UserConnect-6.3-patch.2309");
 * v.major();      // 6
 * v.minor();      // 3
 * v.build();      // Optional[2309]
 * v.release();    // 6.3
 * v.isBefore(ControllerVersion.parse("6.5.2608"));   // true
 * }</pre>
 */
public final class ControllerVersion implements Comparable<ControllerVersion> {

    /** The forms accepted by {@link #parse(String)}, as shown in error messages. */
    public static final String ACCEPTED_FORMS =
            "3.1 (release), 6.5.2608 (release.build), 6.3-patch.2309 (release-ID.build), 8.0.2 (8.x release.patch), "
                    + "8.0.1-1000.1000 (release.patch-build), each optionally prefixed with UserConnect-";

    private static final String PREFIX = "UserConnect-";
    private static final String NUM = "(0|[1-9][0-9]{0,8})";
    private static final String BUILD = "([0-9]{1,18})";
    private static final Pattern RELEASE = Pattern.compile(NUM + "\\." + NUM);
    private static final Pattern RELEASE_BUILD = Pattern.compile(NUM + "\\." + NUM + "\\." + BUILD);
    private static final Pattern RELEASE_ID_BUILD = Pattern.compile(NUM + "\\." + NUM + "-([A-Za-z0-9]{1,32})\\." + BUILD);
    private static final Pattern SEMVER_BUILD =
            Pattern.compile(NUM + "\\." + NUM + "\\." + NUM + "-" + BUILD + "\\." + BUILD);

    private final int major;
    private final int minor;
    private final int patch;          // -1 when absent
    private final long[] build;       // empty when absent
    private final String id;          // the minor-build ID of "6.3-patch.2309" ("patch"), or null

    private ControllerVersion(int major, int minor, int patch, long[] build, String id) {
        this.major = major;
        this.minor = minor;
        this.patch = patch;
        this.build = build;
        this.id = id;
    }

    /**
     * Parses a version as the controller prints it.
     *
     * @param text the version, e.g. {@code "6.5.2608"} or {@code "UserConnect-5.0.2670"}
     * @return the version
     * @throws NullPointerException if {@code text} is null
     * @throws PlanValidationException if {@code text} is in none of the {@linkplain #ACCEPTED_FORMS accepted forms}
     */
    @JsonCreator
    public static ControllerVersion parse(String text) {
        ControllerVersion v = tryParse(text);
        if (v == null) {
            throw new PlanValidationException("ControllerVersion", List.of("version \"" + text + "\" is not a controller "
                    + "version; accepted forms: " + ACCEPTED_FORMS));
        }
        return v;
    }

    /** {@code text} as a version, or null when it is in none of the accepted forms: for callers that collect problems. */
    static ControllerVersion tryParse(String text) {
        Objects.requireNonNull(text, "ControllerVersion text");
        String s = text.strip();
        if (s.startsWith(PREFIX)) {
            s = s.substring(PREFIX.length());
        }
        Matcher m;
        if ((m = RELEASE.matcher(s)).matches()) {
            return new ControllerVersion(num(m, 1), num(m, 2), -1, new long[0], null);
        }
        if ((m = RELEASE_BUILD.matcher(s)).matches()) {
            if (num(m, 1) >= 8 && m.group(3).length() <= 9) {
                // From 8.0 the third field is the patch (8.0.1, 8.0.2) [reference section 3, CK tests].
                return new ControllerVersion(num(m, 1), num(m, 2), Integer.parseInt(m.group(3)), new long[0], null);
            }
            return new ControllerVersion(num(m, 1), num(m, 2), -1, new long[] {Long.parseLong(m.group(3))}, null);
        }
        if ((m = RELEASE_ID_BUILD.matcher(s)).matches()) {
            return new ControllerVersion(num(m, 1), num(m, 2), -1, new long[] {Long.parseLong(m.group(4))},
                    m.group(3));
        }
        if ((m = SEMVER_BUILD.matcher(s)).matches()) {
            return new ControllerVersion(num(m, 1), num(m, 2), num(m, 3),
                    new long[] {Long.parseLong(m.group(4)), Long.parseLong(m.group(5))}, null);
        }
        return null;
    }

    /**
     * Returns the bare release {@code major.minor}, which reads as "the latest build of that release".
     *
     * @param major the major number, at least 0
     * @param minor the minor number, at least 0
     * @return the release, e.g. {@code 6.6}
     * @throws PlanValidationException if a number is negative
     */
    public static ControllerVersion release(int major, int minor) {
        if (major < 0 || minor < 0) {
            throw new PlanValidationException("ControllerVersion", List.of("release " + major + "." + minor
                    + " is not valid: major and minor must be at least 0"));
        }
        return new ControllerVersion(major, minor, -1, new long[0], null);
    }

    private static int num(Matcher m, int group) {
        return Integer.parseInt(m.group(group));
    }

    /** @return the major number, e.g. 6 for {@code 6.5.2608} */
    public int major() {
        return major;
    }

    /** @return the minor number, e.g. 5 for {@code 6.5.2608} */
    public int minor() {
        return minor;
    }

    /** @return the patch number of the 8.x forms ({@code 8.0.2}: 2, {@code 8.0.1-1000.1000}: 1), empty for the others */
    public OptionalInt patch() {
        return patch < 0 ? OptionalInt.empty() : OptionalInt.of(patch);
    }

    /**
     * The build, as printed: {@code "2608"} for {@code 6.5.2608}, {@code "2309"} for
     * {@code 6.3-patch.2309}, {@code "1000.1000"} for {@code 8.0.1-1000.1000}; empty for a bare release.
     *
     * @return the build, if the version names one
     */
    public Optional<String> build() {
        if (build.length == 0) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < build.length; i++) {
            sb.append(i == 0 ? "" : ".").append(build[i]);
        }
        return Optional.of(sb.toString());
    }

    /** @return whether this is a bare release such as {@code 6.2} (no patch, no build) */
    public boolean isRelease() {
        return build.length == 0 && patch < 0;
    }

    /** @return the bare release {@code major.minor} of this version, e.g. {@code 6.5} for {@code 6.5.2608} */
    public ControllerVersion release() {
        return isRelease() ? this : release(major, minor);
    }

    /**
     * @param other another version
     * @return whether this version belongs to the same {@code major.minor} release as {@code other}
     */
    public boolean sameRelease(ControllerVersion other) {
        return major == other.major && minor == other.minor;
    }

    /**
     * @param other another version
     * @return whether this version sorts strictly before {@code other}
     */
    public boolean isBefore(ControllerVersion other) {
        return compareTo(other) < 0;
    }

    /**
     * @param other another version
     * @return whether this version sorts strictly after {@code other}
     */
    public boolean isAfter(ControllerVersion other) {
        return compareTo(other) > 0;
    }

    /** @return the minor-build ID, e.g. {@code patch} for {@code 6.3-patch.2309} */
    public Optional<String> minorBuildId() {
        return Optional.ofNullable(id);
    }

    @Override
    public int compareTo(ControllerVersion o) {
        // 1. major, then minor [V8].
        int c = Integer.compare(major, o.major);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(minor, o.minor);
        if (c != 0) {
            return c;
        }
        // A bare release stands for the newest build (or patch) of that release [V8 rule 3, custom release IU].
        if (isRelease() || o.isRelease()) {
            return Boolean.compare(isRelease(), o.isRelease());
        }
        if (patch >= 0 || o.patch >= 0) {
            // 8.x: patch, then the numeric build suffix, an absent suffix first (issue #19; CK's forms).
            c = Integer.compare(Math.max(patch, 0), Math.max(o.patch, 0));
            return c != 0 ? c : compareBuilds(o);
        }
        // 2. no minor-build ID < some ID; two different IDs are equal [V8, VT].
        c = Boolean.compare(id != null, o.id != null);
        if (c != 0) {
            return c;
        }
        // 3. both builds: the build difference [V8].
        return compareBuilds(o);
    }

    private int compareBuilds(ControllerVersion o) {
        for (int i = 0; i < Math.min(build.length, o.build.length); i++) {
            int c = Long.compare(build[i], o.build[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(build.length, o.build.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ControllerVersion v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(major, minor, patch, java.util.Arrays.hashCode(build), id != null);
    }

    /** @return the version without the {@code UserConnect-} prefix, e.g. {@code 6.3-patch.2309}; also its JSON form */
    @JsonValue
    @Override
    public String toString() {
        String release = major + "." + minor;
        if (patch >= 0) {
            return release + "." + patch + build().map(b -> "-" + b).orElse("");
        }
        if (build.length == 0) {
            return release;
        }
        return release + (id != null ? "-" + id + "." : ".") + build().orElseThrow();
    }
}
