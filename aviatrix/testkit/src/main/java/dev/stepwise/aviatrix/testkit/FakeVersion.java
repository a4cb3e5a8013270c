package dev.stepwise.aviatrix.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fake controller's own reading of versions, written apart from stepwise-aviatrix's
 * ControllerVersion so that the fake is an independent check of it.
 */
final class FakeVersion implements Comparable<FakeVersion> {

    private static final Pattern FORM = Pattern.compile(
            "(?:UserConnect-)?(\\d+)\\.(\\d+)(?:(?:\\.|-patch\\.)(\\d+)|\\.(\\d+)-(\\d+)\\.(\\d+))?");

    final String text;
    final int major;
    final int minor;
    /** Numbers after major.minor; empty for a bare release, which stands for its newest build. */
    final List<Long> rest;

    private FakeVersion(String text, int major, int minor, List<Long> rest) {
        this.text = text;
        this.major = major;
        this.minor = minor;
        this.rest = rest;
    }

    static Optional<FakeVersion> tryParse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        List<Long> rest = new ArrayList<>();
        for (int g = 3; g <= 6; g++) {
            if (m.group(g) != null) {
                rest.add(Long.parseLong(m.group(g)));
            }
        }
        return Optional.of(new FakeVersion(text.strip(), Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                List.copyOf(rest)));
    }

    static FakeVersion parse(String text) {
        return tryParse(text).orElseThrow(() -> new IllegalArgumentException(
                "FakeController version \"" + text + "\" is not a controller version such as 6.5.2608"));
    }

    boolean sameRelease(FakeVersion o) {
        return major == o.major && minor == o.minor;
    }

    /** Releases compared as major.minor only. */
    int compareRelease(FakeVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    /** Same version, whatever its spelling. */
    boolean sameBuild(FakeVersion o) {
        return compareTo(o) == 0;
    }

    /** Whether the first build number is below {@code build}; a bare release is its newest build, never below. */
    boolean buildBelow(long build) {
        return !rest.isEmpty() && rest.get(0) < build;
    }

    boolean atLeast(int maj, int min) {
        return major > maj || (major == maj && minor >= min);
    }

    String release() {
        return major + "." + minor;
    }

    @Override
    public int compareTo(FakeVersion o) {
        int c = compareRelease(o);
        if (c != 0) {
            return c;
        }
        if (rest.isEmpty() || o.rest.isEmpty()) {
            return Boolean.compare(rest.isEmpty(), o.rest.isEmpty());
        }
        for (int i = 0; i < Math.min(rest.size(), o.rest.size()); i++) {
            c = Long.compare(rest.get(i), o.rest.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(rest.size(), o.rest.size());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FakeVersion v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * major + minor) + rest.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
