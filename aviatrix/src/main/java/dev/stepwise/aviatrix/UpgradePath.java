package dev.stepwise.aviatrix;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.core.PlanValidationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The hops the controller's release rules allow from the current version to a target, each with
 * its reason.
 *
 * <p>The rules, by era of the version a hop starts from:
 * <ul>
 *   <li>before 3.3: one release at a time, through "Upgrade to a Custom Release";</li>
 *   <li>from 3.3 up to 6.4: only the next maintenance release; a controller that runs an older build
 *       of its release first moves to the latest build of that release; 4.7 goes to 5.0 before 5.1
 *       (R5.1.845 blocks 4.7 → 5.1);</li>
 *   <li>from 6.5 (Major.Minor.Build): a controller first moves to the latest build of its current minor
 *       in the train, which must reach the release notes' minimum (6.5.1922, 6.6.5612, 6.7.1376; also
 *       5.4.1990 and 6.0.2483 before 6.5); minors may not be skipped (6.5 → 6.6 → 6.7 → 6.8); a new major
 *       comes after the last minor of the previous major (… 6.9 → 7.0 → 7.1 → 7.2 → 8.0).</li>
 * </ul>
 *
 * <p>A built-in table of the releases the public sources name ({@code KNOWN_RELEASES}: 3.0–3.5, 4.0, 4.7,
 * 5.0, 5.1, 5.4, 6.0–6.9, 7.0–7.2, 8.0) catches gaps in a caller's train: a known release between two
 * consecutive train entries (3.9 → 4.1 skips 4.0; 6.8 → 7.0 skips 6.9) is refused. The train may add
 * releases the table lacks.
 *
 * <p>No controller action lists releases, so the releases between the current version and the
 * target come from a <em>release train</em> the caller supplies: every release the controller may
 * pass through, bare ({@code 6.6}) or with a build ({@code 6.6.5224}). A hop to an intermediate
 * release names the newest train entry of that release; the last hop names the target as given.
 * Every hop names its version explicitly, never "latest" (on 6.9.733 a dry run of "latest" tests
 * the last hop, not the next).
 *
 * <p>A downgrade, a target outside the train, or a train with a gap the rules forbid (a known release
 * missing, a missing minor from 6.5 on, a new major that does not start at {@code .0}, 4.7 without 5.0, a
 * minimum build not reached) is refused by
 * {@link Builder#build()} with an {@link UpgradePathException}; unparsable versions and missing settings, all
 * of them at once, with a {@link PlanValidationException} (the parent of {@link UpgradePathException}). A target
 * equal to the current version gives an empty path.
 *
 * <p>Instances are immutable and thread-safe; {@link #toString()} prints the hops on one line and
 * {@link #describe()} lists them with their reasons.
 *
 * <pre>{@code
 * UpgradePath path = UpgradePath.builder().
 *     from("6.5.2608").
 *     to("6.8").
 *     train("6.5.2608", "6.6.5612", "6.7.1376", "6.8").
 *     build();
 * path.hops().get(0).to();   // 6.6.5612
 * System.out.println(path);  // 6.5.2608 -> 6.8 in 3 hops: 6.6.5612, 6.7.1376, 6.8
 * System.out.println(path.describe());   // one line per hop, with its reason
 * }</pre>
 */
public final class UpgradePath {

    /** The keyword for the newest version, as the controller reports it. */
    public static final String LATEST = "latest";

    private static final ControllerVersion V3_3 = ControllerVersion.release(3, 3);
    private static final ControllerVersion V4_7 = ControllerVersion.release(4, 7);
    private static final ControllerVersion V5_0 = ControllerVersion.release(5, 0);
    private static final ControllerVersion V6_5 = ControllerVersion.release(6, 5);
    private static final ControllerVersion V6_6 = ControllerVersion.release(6, 6);

    /**
     * Releases the public sources name, so that a caller's train with a gap is refused: 3.0–3.5 [IU], 4.0 [IU],
     * 4.7 [IU], 5.0 and 5.1 [IU, RN R5.1.845], 5.4 [IU], 6.0 and 6.1 [IU0], 6.2 [IU], 6.3 and 6.4 [RN R6.4.2776],
     * 6.5–6.9 [RC, RN], 7.0–7.2 [RC], 8.0 [SU]. Keys are from {@code shared/reference/aviatrix-controller-api.md}.
     * Releases no source names (4.1–4.6, 5.2, 5.3) are not listed: a train may add them.
     */
    static final java.util.NavigableSet<ControllerVersion> KNOWN_RELEASES = new java.util.TreeSet<>(List.of(
            v("3.0"), v("3.1"), v("3.2"), v("3.3"), v("3.4"), v("3.5"), v("4.0"), v("4.7"), v("5.0"), v("5.1"),
            v("5.4"), v("6.0"), v("6.1"), v("6.2"), v("6.3"), v("6.4"), v("6.5"), v("6.6"), v("6.7"), v("6.8"),
            v("6.9"), v("7.0"), v("7.1"), v("7.2"), v("8.0")));

    /**
     * The build a release must have reached before the next release: 5.4.1990 [IU0; the same text also says 1290, the
     * stricter is taken], 6.0.2483 [IU0], 6.5.1922 [RN 6.6.5224], 6.6.5612 [RN 6.6.5612, AVX-20579], 6.7.1376
     * [RN 6.8.1148, AVX-26666].
     */
    static final Map<ControllerVersion, ControllerVersion> MINIMUM_BUILDS = Map.of(
            v("5.4"), v("5.4.1990"), v("6.0"), v("6.0.2483"), v("6.5"), v("6.5.1922"), v("6.6"), v("6.6.5612"),
            v("6.7"), v("6.7.1376"));

    private static ControllerVersion v(String text) {
        return ControllerVersion.parse(text);
    }

    private final ControllerVersion from;
    private final ControllerVersion target;
    private final List<Hop> hops;

    private UpgradePath(ControllerVersion from, ControllerVersion target, List<Hop> hops) {
        this.from = from;
        this.target = target;
        this.hops = List.copyOf(hops);
    }

    /**
     * One upgrade: from a version to the next one the rules allow.
     *
     * @param number the hop's position, from 1
     * @param from the version before the hop
     * @param to the version to name in the upgrade call
     * @param reason the rule that makes this the next hop
     */
    public record Hop(int number, ControllerVersion from, ControllerVersion to, String reason) {
        /** Validates the hop. */
        public Hop {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String toString() {
            return number + ". " + from + " -> " + to + ": " + reason;
        }
    }

    /**
     * The path as its JSON form holds it — what a journal or a Temporal workflow's history keeps as a step's output
     * — so that a resumed run, or the next step on another engine, reads the same path. The hops are taken as
     * written (a path computed and recorded earlier), not recomputed from today's rules.
     */
    @JsonCreator
    static UpgradePath fromJson(@JsonProperty("from") ControllerVersion from,
            @JsonProperty("target") ControllerVersion target, @JsonProperty("hops") List<Hop> hops) {
        return new UpgradePath(Objects.requireNonNull(from, "from"), Objects.requireNonNull(target, "target"),
                hops == null ? List.of() : hops);
    }

    /** Paths are equal when they start and end on the same versions through the same hops. */
    @Override
    public boolean equals(Object o) {
        return o instanceof UpgradePath p && from.equals(p.from) && target.equals(p.target) && hops.equals(p.hops);
    }

    @Override
    public int hashCode() {
        return Objects.hash(from, target, hops);
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Shorthand for {@code builder().from(from).to(to).train(train).build()}.
     *
     * @param from the current version
     * @param to the target version, or {@value #LATEST} for the newest release in the train
     * @param train the releases the controller may pass through
     * @return the path
     * @throws UpgradePathException if the rules or the train do not allow the path
     * @throws PlanValidationException listing every version that does not parse
     */
    public static UpgradePath of(String from, String to, String... train) {
        return builder().from(from).to(to).train(train).build();
    }

    /** @return the version the path starts from */
    @JsonProperty("from")
    public ControllerVersion from() {
        return from;
    }

    /** @return the version the path ends on */
    @JsonProperty("target")
    public ControllerVersion target() {
        return target;
    }

    /** @return the hops in order; empty when the controller already runs the target */
    @JsonProperty("hops")
    public List<Hop> hops() {
        return hops;
    }

    /** @return whether there is nothing to do */
    @JsonIgnore
    public boolean isEmpty() {
        return hops.isEmpty();
    }

    /**
     * @return the path on one line, e.g. {@code 6.5.2608 -> 6.8 in 3 hops: 6.6.5612, 6.7.1376, 6.8}, so it
     *     fits a result table; {@link #describe()} adds each hop's reason
     */
    @Override
    public String toString() {
        if (hops.isEmpty()) {
            return from + " -> " + target + ": already there, no hops";
        }
        StringBuilder sb = new StringBuilder(from + " -> " + target + " in " + hops.size()
                + (hops.size() == 1 ? " hop: " : " hops: "));
        for (Hop hop : hops) {
            sb.append(hop.number() == 1 ? "" : ", ").append(hop.to());
        }
        return sb.toString();
    }

    /** @return the path with one line per hop and its reason, e.g. {@code 4.7 -> 5.1 in 2 hops:} then {@code   1. 4.7 -> 5.0: ...} */
    public String describe() {
        if (hops.isEmpty()) {
            return toString();
        }
        StringBuilder sb = new StringBuilder(from + " -> " + target + " in " + hops.size()
                + (hops.size() == 1 ? " hop:" : " hops:"));
        for (Hop hop : hops) {
            sb.append(System.lineSeparator()).append("  ").append(hop);
        }
        return sb.toString();
    }

    /**
     * Builds an {@link UpgradePath}; {@link #from}, {@link #to} and {@link #train} are required, or
     * {@link #latest} in place of {@code to}.
     *
     * <p>A version that does not parse is recorded and reported by {@link #build()} with every other problem, in
     * one {@link PlanValidationException}; a later valid value for {@code from}, {@code to} or {@code latest}
     * replaces a bad one. Not thread-safe; {@link #build()} copies the settings, so a builder can be reused.
     *
     * <pre>{@code
     * UpgradePath.builder().
     *     from(client.currentVersion()).
     *     to(UpgradePath.LATEST).
     *     latest(client.latestVersion()).
     *     train(myTrain).
     *     build();
     * }</pre>
     */
    public static final class Builder {
        private ControllerVersion from;
        private ControllerVersion to;
        private boolean toLatest;
        private ControllerVersion latest;
        private final List<ControllerVersion> train = new ArrayList<>();
        /** Versions that did not parse, by setting, so that a later good value clears a bad one. */
        private final Map<String, String> problems = new LinkedHashMap<>();

        private Builder() {
        }

        /** The version {@code text}, or null after recording under {@code setting} why it is not one. */
        private ControllerVersion parse(String setting, String text, String problem) {
            ControllerVersion v = ControllerVersion.tryParse(text);
            problems.remove(setting);
            if (v == null) {
                problems.put(setting, problem);
            }
            return v;
        }

        /**
         * @param current the version the controller runs
         * @return this builder
         */
        public Builder from(ControllerVersion current) {
            this.from = Objects.requireNonNull(current, "from");
            problems.remove("from");
            return this;
        }

        /**
         * @param current the version the controller runs, e.g. {@code "6.5.2608"}; one that does not parse is
         *     reported by {@link #build()}
         * @return this builder
         */
        public Builder from(String current) {
            Objects.requireNonNull(current, "from");
            ControllerVersion v = parse("from", current, "from \"" + current + "\" is not a controller version ("
                    + ControllerVersion.ACCEPTED_FORMS + ")");
            return v == null ? this : from(v);
        }

        /**
         * @param target the version to end on
         * @return this builder
         */
        public Builder to(ControllerVersion target) {
            this.to = Objects.requireNonNull(target, "to");
            this.toLatest = false;
            problems.remove("to");
            return this;
        }

        /**
         * @param target the version to end on, or {@value #LATEST} for the controller's newest version
         *     (see {@link #latest(ControllerVersion)}); anything else is reported by {@link #build()}
         * @return this builder
         */
        public Builder to(String target) {
            Objects.requireNonNull(target, "to");
            if (target.strip().equalsIgnoreCase(LATEST)) {
                this.to = null;
                this.toLatest = true;
                problems.remove("to");
                return this;
            }
            ControllerVersion v = parse("to", target, "target \"" + target + "\" is neither \"" + LATEST
                    + "\" nor a controller version (" + ControllerVersion.ACCEPTED_FORMS + ")");
            return v == null ? this : to(v);
        }

        /**
         * Targets the newest version as the controller reports it ({@code list_version_info} with
         * {@code latest_version=true}). Without this, {@code to("latest")} means the newest release in the train.
         *
         * @param reportedLatest the controller's latest version
         * @return this builder
         */
        public Builder latest(ControllerVersion reportedLatest) {
            this.latest = Objects.requireNonNull(reportedLatest, "latest");
            this.to = null;
            this.toLatest = true;
            problems.remove("latest");
            problems.remove("to");
            return this;
        }

        /**
         * @param reportedLatest the controller's latest version, e.g. {@code "6.8.1149"}; one that does not parse
         *     is reported by {@link #build()}
         * @return this builder
         */
        public Builder latest(String reportedLatest) {
            Objects.requireNonNull(reportedLatest, "latest");
            ControllerVersion v = parse("latest", reportedLatest, "latest \"" + reportedLatest + "\" is not a "
                    + "controller version (" + ControllerVersion.ACCEPTED_FORMS + ")");
            return v == null ? this : latest(v);
        }

        /**
         * Adds releases to the train; order does not matter and duplicates are ignored.
         *
         * @param releases releases the controller may pass through
         * @return this builder
         */
        public Builder train(Collection<ControllerVersion> releases) {
            Objects.requireNonNull(releases, "train");
            for (ControllerVersion v : releases) {
                train.add(Objects.requireNonNull(v, "train entry"));
            }
            return this;
        }

        /**
         * @param releases releases the controller may pass through, e.g. {@code "6.6", "6.7.1100"}; an entry that
         *     does not parse is reported by {@link #build()}
         * @return this builder
         */
        public Builder train(String... releases) {
            Objects.requireNonNull(releases, "train");
            List<ControllerVersion> parsed = new ArrayList<>();
            for (String r : releases) {
                Objects.requireNonNull(r, "train entry");
                ControllerVersion v = ControllerVersion.tryParse(r);
                if (v == null) {
                    problems.put("train " + r, "train entry \"" + r + "\" is not a controller version ("
                            + ControllerVersion.ACCEPTED_FORMS + ")");
                } else {
                    parsed.add(v);
                }
            }
            return train(parsed);
        }

        /**
         * Works out the hops.
         *
         * @return the path
         * @throws PlanValidationException listing every version that does not parse and every missing setting
         *     ({@code from}, the target, the train)
         * @throws UpgradePathException if the rules or the train do not allow the path
         */
        public UpgradePath build() {
            List<String> all = new ArrayList<>(problems.values());
            if (from == null && !problems.containsKey("from")) {
                all.add("from is not set: give the controller's current version");
            }
            if (to == null && !toLatest && !problems.containsKey("to")) {
                all.add("target is not set: call to(version) or to(\"latest\")");
            }
            if (train.isEmpty() && problems.keySet().stream().noneMatch(k -> k.startsWith("train "))) {
                all.add("train is empty: give the releases between the current version and the target (no controller "
                        + "action lists them)");
            }
            if (!all.isEmpty()) {
                throw new PlanValidationException("UpgradePath", all);
            }
            // Newest entry per release (major.minor).
            NavigableMap<ControllerVersion, ControllerVersion> releases = new TreeMap<>();
            for (ControllerVersion v : train) {
                releases.merge(v.release(), v, (a, b) -> a.compareTo(b) >= 0 ? a : b);
            }
            ControllerVersion target = resolveTarget(releases);
            return new UpgradePath(from, target, plan(from, target, releases));
        }

        private ControllerVersion resolveTarget(NavigableMap<ControllerVersion, ControllerVersion> releases) {
            ControllerVersion target;
            String what;
            if (!toLatest) {
                target = to;
                what = "target " + to;
            } else if (latest != null) {
                target = latest;
                what = "latest version " + latest + " reported by the controller";
            } else {
                target = releases.lastEntry().getValue();
                what = "latest release " + target + " of the train";
            }
            if (target.isBefore(from)) {
                throw new UpgradePathException(UpgradePathException.Kind.DOWNGRADE, what
                        + " is older than the current version " + from + ": a controller cannot be rolled back");
            }
            if (!releases.containsKey(target.release()) && !target.sameRelease(from)) {
                throw new UpgradePathException(UpgradePathException.Kind.UNKNOWN_TARGET, what
                        + " is not in the release train " + releases.values() + ": add release " + target.release()
                        + " to the train or choose a listed one");
            }
            return target;
        }
    }

    private static List<Hop> plan(ControllerVersion from, ControllerVersion target,
            NavigableMap<ControllerVersion, ControllerVersion> releases) {
        List<Hop> hops = new ArrayList<>();
        ControllerVersion pos = from;
        if (target.sameRelease(pos)) {
            if (pos.isBefore(target)) {
                hops.add(new Hop(1, pos, target, pos.release().isBefore(V6_5)
                        ? "up to 6.4 a controller moves to the latest build of its release (custom release "
                                + target + ") [IU]"
                        : "a newer build of the same release"));
            }
            return hops;
        }
        ControllerVersion newestOfCurrent = releases.get(pos.release());
        if (!pos.isRelease() && newestOfCurrent != null && newestOfCurrent.isAfter(pos)) {
            hops.add(new Hop(1, pos, newestOfCurrent, pos.release().isBefore(V6_5)
                    ? "up to 6.4 a controller first moves to the latest build of its current release (custom release "
                            + newestOfCurrent + ") before the next release [IU]"
                    : "the latest build of the current minor comes before the next minor"
                            + minimumNote(pos.release())));
            pos = newestOfCurrent;
        }
        while (!pos.sameRelease(target)) {
            ControllerVersion current = pos.release();
            Map.Entry<ControllerVersion, ControllerVersion> next = releases.higherEntry(current);
            // The target's release is in the train and newer than pos, so next is never null.
            ControllerVersion nextRelease = next.getKey();
            java.util.SortedSet<ControllerVersion> skipped = KNOWN_RELEASES.subSet(current, false, nextRelease, false);
            if (!skipped.isEmpty()) {
                throw gap(from, target, "after " + current + " the train has " + nextRelease + ", but release "
                        + skipped.first() + " comes between them (a release named by the release notes); add "
                        + skipped + " to the train", releases);
            }
            ControllerVersion minimum = MINIMUM_BUILDS.get(current);
            if (minimum != null && !pos.isRelease() && pos.isBefore(minimum)) {
                throw gap(from, target, current + " must be on " + minimum + " or later before " + nextRelease
                        + minimumNote(current) + ", but the newest " + current + " in the train is " + pos
                        + "; add " + minimum + " or later (or the bare release " + current + ") to the train", releases);
            }
            String reason = reason(current, nextRelease, releases, from, target);
            ControllerVersion to = nextRelease.sameRelease(target) ? target : next.getValue();
            hops.add(new Hop(hops.size() + 1, pos, to, reason));
            pos = to;
        }
        return hops;
    }

    private static String minimumNote(ControllerVersion release) {
        ControllerVersion m = MINIMUM_BUILDS.get(release);
        return m == null ? "" : " (" + m + " or later is needed before the next release)";
    }

    private static String reason(ControllerVersion current, ControllerVersion next,
            NavigableMap<ControllerVersion, ControllerVersion> releases, ControllerVersion from, ControllerVersion target) {
        if (current.isBefore(V3_3)) {
            return "before 3.3 a controller moves one release at a time (custom release " + next + ")";
        }
        if (current.equals(V4_7)) {
            if (!next.equals(V5_0)) {
                throw gap(from, target, "4.7 must go to 5.0 before " + next + " (R5.1.845 blocks 4.7 -> 5.1), "
                        + "but the train has no 5.0", releases);
            }
            return "4.7 must go to 5.0 before 5.1 (R5.1.845 blocks 4.7 -> 5.1)";
        }
        if (current.isBefore(V6_5)) {
            return "from 3.3 only the next maintenance release is allowed";
        }
        if (next.major() == current.major()) {
            if (next.minor() != current.minor() + 1) {
                throw gap(from, target, "from 6.5 minors cannot be skipped, but after " + current + " the train has "
                        + next + " and no " + current.major() + "." + (current.minor() + 1), releases);
            }
            String reason = "from 6.5 minors are taken one at a time";
            if (next.equals(V6_6)) {
                reason += "; 6.6 is entered by hand and cannot be rolled back to 6.5";
            }
            return reason;
        }
        if (next.major() != current.major() + 1 || next.minor() != 0) {
            throw gap(from, target, "a new major starts at " + (current.major() + 1) + ".0 after the last minor of "
                    + current.major() + ", but after " + current + " the train has " + next, releases);
        }
        return "a new major comes after the last minor of the previous one (" + current + " is the last "
                + current.major() + ".x in the train)";
    }

    private static UpgradePathException gap(ControllerVersion from, ControllerVersion target, String rule,
            NavigableMap<ControllerVersion, ControllerVersion> releases) {
        return new UpgradePathException(UpgradePathException.Kind.GAP_IN_TRAIN, from + " -> "
                + target + " has a gap in the release train " + releases.values() + ": " + rule);
    }
}
