package dev.stepwise.aws.patch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The gate between non-production and production: production may install only patches non-production installed
 * through this rollout and verified, in the same version, on the same operating system. Pure logic over compliance
 * reports. Immutable and thread-safe.
 *
 * <p>Rules, exact:
 * <ul>
 *   <li><b>OS</b>: instances are compared with those of the same {@link InstanceOs#label() OS} ({@code PlatformName}
 *       and {@code PlatformVersion}), not merely the same platform type: Linux distributions and releases have
 *       their own repositories (reference aws-patching-and-drivers.md §2). A production OS that no non-production
 *       instance covered is a difference of its own ({@link #uncovered()}).</li>
 *   <li><b>Identity</b>: a patch is its id plus its version. On Linux the id is {@code name.arch} and the version is
 *       in the title ({@code name.arch:epoch:version-release}, reference §2 {@code Title}); there the whole title
 *       must match. On Windows the KB id is enough (reference §2, step 3).</li>
 *   <li><b>Verified</b>: installed through this rollout — {@code MISSING} or {@code FAILED} in the instance's scan
 *       before the Install, {@code INSTALLED} in the rescan after it. {@code INSTALLED_OTHER}, patches installed
 *       before the rollout, pending reboot, failed or still missing are not verified.</li>
 *   <li>{@link PatchDifference.Kind#NOT_IN_PRODUCTION_LIST}: a patch verified on an OS that a production instance of
 *       that OS does not list in any state.</li>
 *   <li>{@link PatchDifference.Kind#NOT_VERIFIED_IN_NON_PRODUCTION}: a patch a production instance misses (so an
 *       Install would install it) whose id no non-production instance of its OS verified.</li>
 *   <li>{@link PatchDifference.Kind#VERSION_DIFFERS}: the id was verified, but in another version; both titles are
 *       named.</li>
 * </ul>
 * Any difference halts the rollout before production changes.
 *
 * <pre>{@code
 * PatchComparison c = PatchComparison.of(nonProd, prod);
 * if (!c.matches()) System.out.println(c);
 * }</pre>
 */
public final class PatchComparison {
    private final List<PatchDifference> differences;
    private final Map<String, List<PatchInfo>> verified;
    private final Map<String, List<String>> uncovered;
    private final int nonProductionInstances;
    private final int productionInstances;
    private final Map<String, List<PatchInfo>> heldBack;
    private final boolean acceptUncovered;

    private PatchComparison(List<PatchDifference> differences, Map<String, List<PatchInfo>> verified,
            Map<String, List<String>> uncovered, int nonProductionInstances, int productionInstances,
            Map<String, List<PatchInfo>> heldBack, boolean acceptUncovered) {
        this.heldBack = heldBack;
        this.acceptUncovered = acceptUncovered;
        this.differences = List.copyOf(differences);
        this.verified = verified;
        this.uncovered = uncovered;
        this.nonProductionInstances = nonProductionInstances;
        this.productionInstances = productionInstances;
    }

    /**
     * One non-production instance's picture: its OS and its compliance before the install and after the rescan.
     *
     * @param os     the OS label ({@link InstanceOs#label()})
     * @param before compliance before the install
     * @param after  compliance after the install and rescan
     */
    public record Tested(String os, PatchCompliance before, PatchCompliance after) {
        public Tested {
            os = os == null ? "" : os;
            Objects.requireNonNull(before, "before");
            Objects.requireNonNull(after, "after");
        }
    }

    /**
     * One production instance's picture: its OS and its compliance from the scan before the gate.
     *
     * @param os      the OS label ({@link InstanceOs#label()})
     * @param scanned compliance from the scan
     */
    public record Candidate(String os, PatchCompliance scanned) {
        public Candidate {
            os = os == null ? "" : os;
            Objects.requireNonNull(scanned, "scanned");
        }
    }

    /** A patch's identity: its id and, where its title carries the package version (Linux), that title. */
    static String identity(PatchInfo p) {
        return p.id() + "\u0000" + version(p);
    }

    /** The version part of a Linux title {@code name.arch:epoch:version-release}; empty where the title has none. */
    static String version(PatchInfo p) {
        String t = p.title();
        return t.startsWith(p.id() + ":") ? t.substring(p.id().length() + 1) : "";
    }

    /** The patches {@code t}'s instance installed through this rollout: missing or failed before, installed after. */
    static List<PatchInfo> installedThroughRollout(PatchCompliance before, PatchCompliance after) {
        Set<String> needed = before.ids(PatchState.MISSING);
        needed.addAll(before.ids(PatchState.FAILED));
        return after.patches().stream().filter(p -> p.state() == PatchState.INSTALLED && needed.contains(p.id())).toList();
    }

    /** Compares non-production (by instance id) with production (by instance id). */
    public static PatchComparison of(Map<String, Tested> nonProduction, Map<String, Candidate> production) {
        return of(nonProduction, production, false, false);
    }

    /**
     * Compares, with two explicit allowances.
     *
     * @param allowHeldBack   a patch production misses that non-production also still missed after its Install (held
     *                        back there by a cut-off date, {@code PatchRollout.Builder#nonProductionApproveUntil}) is
     *                        not a difference but {@link #heldBack() held back}: production, pinned to the verified
     *                        list, does not install it either
     * @param acceptUncovered a production OS no non-production instance covered does not stop {@link #matches()}; its
     *                        instances stay in {@link #uncovered()} and are not patched
     */
    public static PatchComparison of(Map<String, Tested> nonProduction, Map<String, Candidate> production,
            boolean allowHeldBack, boolean acceptUncovered) {
        Map<String, Map<String, PatchInfo>> verifiedByOs = new TreeMap<>();
        Map<String, Set<String>> stillMissingByOs = new TreeMap<>();
        for (Tested t : nonProduction.values()) {
            Map<String, PatchInfo> v = verifiedByOs.computeIfAbsent(t.os(), k -> new TreeMap<>());
            installedThroughRollout(t.before(), t.after()).forEach(p -> v.putIfAbsent(identity(p), p));
            Set<String> m = stillMissingByOs.computeIfAbsent(t.os(), k -> new TreeSet<>());
            t.after().missing().forEach(p -> m.add(identity(p)));
        }
        Map<String, Map<String, PatchInfo>> heldBack = new TreeMap<>();
        Map<String, PatchInfo> info = new TreeMap<>();
        Map<String, PatchInfo> verifiedAs = new TreeMap<>();
        Map<String, TreeSet<String>> notInList = new TreeMap<>();
        Map<String, TreeSet<String>> notVerified = new TreeMap<>();
        Map<String, TreeSet<String>> otherVersion = new TreeMap<>();
        Map<String, List<String>> uncovered = new TreeMap<>();
        for (Map.Entry<String, Candidate> e : production.entrySet()) {
            String id = e.getKey();
            Candidate c = e.getValue();
            if (!verifiedByOs.containsKey(c.os())) {
                uncovered.computeIfAbsent(c.os(), k -> new ArrayList<>()).add(id);
                continue;
            }
            Map<String, PatchInfo> ok = verifiedByOs.get(c.os());
            Set<String> listed = new TreeSet<>();
            c.scanned().patches().forEach(p -> listed.add(p.id()));
            for (PatchInfo p : ok.values()) {
                if (!listed.contains(p.id())) {
                    info.putIfAbsent(identity(p), p);
                    notInList.computeIfAbsent(identity(p), k -> new TreeSet<>()).add(id);
                }
            }
            for (PatchInfo p : c.scanned().missing()) {
                if (ok.containsKey(identity(p))) {
                    continue;
                }
                info.putIfAbsent(identity(p), p);
                PatchInfo sameId = ok.values().stream().filter(v -> v.id().equals(p.id())).findFirst().orElse(null);
                if (sameId == null && allowHeldBack
                        && stillMissingByOs.getOrDefault(c.os(), Set.of()).contains(identity(p))) {
                    heldBack.computeIfAbsent(c.os(), k -> new TreeMap<>()).putIfAbsent(identity(p), p);
                    continue;
                }
                if (sameId != null) {
                    verifiedAs.putIfAbsent(identity(p), sameId);
                    otherVersion.computeIfAbsent(identity(p), k -> new TreeSet<>()).add(id);
                } else {
                    notVerified.computeIfAbsent(identity(p), k -> new TreeSet<>()).add(id);
                }
            }
        }
        uncovered.replaceAll((k, v) -> List.copyOf(v.stream().sorted().toList()));
        List<PatchDifference> diffs = new ArrayList<>();
        notInList.forEach((k, ids) -> diffs.add(diff(PatchDifference.Kind.NOT_IN_PRODUCTION_LIST, info.get(k), ids, "")));
        notVerified.forEach((k, ids) -> diffs.add(diff(PatchDifference.Kind.NOT_VERIFIED_IN_NON_PRODUCTION, info.get(k),
                ids, "")));
        otherVersion.forEach((k, ids) -> diffs.add(diff(PatchDifference.Kind.VERSION_DIFFERS, info.get(k), ids,
                verifiedAs.get(k).title())));
        diffs.sort(Comparator.comparing(PatchDifference::patchId).thenComparing(PatchDifference::kind)
                .thenComparing(PatchDifference::title));
        Map<String, List<PatchInfo>> verified = new LinkedHashMap<>();
        verifiedByOs.forEach((k, v) -> verified.put(k, List.copyOf(v.values())));
        Map<String, List<PatchInfo>> held = new LinkedHashMap<>();
        heldBack.forEach((k, v) -> held.put(k, List.copyOf(v.values())));
        return new PatchComparison(diffs, java.util.Collections.unmodifiableMap(verified), Map.copyOf(uncovered),
                nonProduction.size(), production.size(), java.util.Collections.unmodifiableMap(held), acceptUncovered);
    }

    private static PatchDifference diff(PatchDifference.Kind kind, PatchInfo p, Set<String> instances, String verifiedTitle) {
        return PatchDifference.builder(kind, p.id()).title(p.title()).verifiedTitle(verifiedTitle)
                .classification(p.classification()).severity(p.severity()).instances(instances).build();
    }

    /**
     * Whether production may install: no difference and no production OS left uncovered (unless uncovered OSes were
     * explicitly accepted; their instances are then not patched).
     */
    public boolean matches() {
        return differences.isEmpty() && (uncovered.isEmpty() || acceptUncovered);
    }

    /**
     * Patches production misses that non-production still missed after its Install under a cut-off date, by OS: not
     * verified, not installed in production (pinned), and not a difference. Empty without a cut-off.
     */
    public Map<String, List<PatchInfo>> heldBack() {
        return heldBack;
    }

    /** The production instances on an OS no non-production instance covered, in order. */
    public List<String> uncoveredInstances() {
        return uncovered.values().stream().flatMap(List::stream).sorted().toList();
    }

    /** The differences, sorted by patch id then kind. */
    public List<PatchDifference> differences() {
        return differences;
    }

    /** Production OSes that no non-production instance covered, with their production instances. */
    public Map<String, List<String>> uncovered() {
        return uncovered;
    }

    /** The patches non-production installed through this rollout and verified, by OS label, sorted by identity. */
    public Map<String, List<PatchInfo>> verified() {
        return verified;
    }

    /** Why production may not install, in one sentence; empty when it matches. */
    public String problem() {
        List<String> parts = new ArrayList<>();
        if (!differences.isEmpty()) {
            parts.add(differences.size() + " patch difference(s) between production and non-production");
        }
        if (!acceptUncovered) {
            uncovered.forEach((os, ids) -> parts.add("production OS \"" + os + "\" of " + ids + " is not covered by any "
                    + "non-production instance"));
        }
        return String.join("; ", parts);
    }

    /**
     * The verified patches as an AWS-RunPatchBaseline install override list ({@code patches: [{id, title}]}): on
     * Linux the title carries the version, so the instance installs that version (reference §1
     * {@code InstallOverrideList}).
     */
    public String installOverrideListYaml() {
        StringBuilder b = new StringBuilder("patches:\n");
        TreeMap<String, PatchInfo> all = new TreeMap<>();
        verified.values().stream().flatMap(List::stream).forEach(p -> all.putIfAbsent(identity(p), p));
        all.values().forEach(p -> b.append("  - id: '").append(p.id().replace("'", "''")).append("'\n    title: '")
                .append(p.title().replace("'", "''")).append("'\n"));
        return b.toString();
    }

    /**
     * The comparison as plain JSON values, for the gate's journaled data: {@code matches, problem,
     * differences[{kind, patchId, title, verifiedTitle, classification, severity, instances[]}], uncoveredOs{os: [ids]},
     * verified{os: [{id, title, classification, severity}]}}.
     */
    public Map<String, Object> toData() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("matches", matches());
        m.put("problem", problem());
        List<Object> diffs = new ArrayList<>();
        for (PatchDifference d : differences) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("kind", d.kind().name());
            x.put("patchId", d.patchId());
            x.put("title", d.title());
            x.put("verifiedTitle", d.verifiedTitle());
            x.put("classification", d.classification());
            x.put("severity", d.severity());
            x.put("instances", List.copyOf(d.instances()));
            diffs.add(x);
        }
        m.put("differences", diffs);
        m.put("uncoveredOs", new LinkedHashMap<>(uncovered));
        Map<String, Object> v = new LinkedHashMap<>();
        verified.forEach((os, list) -> v.put(os, list.stream().map(p -> (Object) Map.of("id", p.id(), "title", p.title(),
                "classification", p.classification(), "severity", p.severity())).toList()));
        m.put("verified", v);
        Map<String, Object> h = new LinkedHashMap<>();
        heldBack.forEach((os, list) -> h.put(os, list.stream().map(p -> (Object) Map.of("id", p.id(), "title", p.title()))
                .toList()));
        m.put("heldBack", h);
        m.put("uncoveredAccepted", acceptUncovered && !uncovered.isEmpty());
        return m;
    }

    /**
     * The verified patches of {@code os} in a gate's data made by {@link #toData()}, as {@code INSTALLED} patches;
     * empty if the data has none for that OS.
     */
    static List<PatchInfo> verifiedIn(Map<String, Object> data, String os) {
        Object v = data.get("verified");
        if (!(v instanceof Map<?, ?> byOs) || !(byOs.get(os) instanceof List<?> list)) {
            return List.of();
        }
        List<PatchInfo> out = new ArrayList<>();
        for (Object o : list) {
            if (o instanceof Map<?, ?> p) {
                out.add(new PatchInfo(String.valueOf(p.get("id")), Objects.toString(p.get("title"), ""),
                        Objects.toString(p.get("classification"), ""), Objects.toString(p.get("severity"), ""),
                        PatchState.INSTALLED));
            }
        }
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Patch comparison of ").append(productionInstances)
                .append(" production with ").append(nonProductionInstances).append(" non-production instance(s): ")
                .append(matches() ? "match" : problem());
        uncovered.forEach((os, ids) -> b.append(acceptUncovered ? "\n  OS not covered (accepted, not patched) " : "\n  OS not covered          ")
                .append(os).append(' ').append(ids));
        heldBack.forEach((os, ps) -> ps.forEach(p -> b.append("\n  held back by cut-off    ").append(os).append(' ')
                .append(p.title().isEmpty() ? p.id() : p.title())));
        for (PatchDifference d : differences) {
            String kind = switch (d.kind()) {
                case NOT_IN_PRODUCTION_LIST -> "not in production list  ";
                case NOT_VERIFIED_IN_NON_PRODUCTION -> "not verified            ";
                case VERSION_DIFFERS -> "other version           ";
            };
            b.append("\n  ").append(kind).append(String.format("%-14s %-40s %-16s %-10s %s", d.patchId(),
                    abbreviate(d.title()), d.classification(), d.severity(), d.instances()));
            if (d.kind() == PatchDifference.Kind.VERSION_DIFFERS) {
                b.append("\n                          verified in non-production: ").append(d.verifiedTitle());
            }
        }
        return b.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
