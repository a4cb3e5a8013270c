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
 * and verified. Pure logic over compliance reports; instances are compared with those of the same platform
 * ({@code Windows}, {@code Linux}).
 *
 * <p>Rules, exact, per platform:
 * <ul>
 *   <li><b>Verified</b>: a patch {@code INSTALLED} (or {@code INSTALLED_OTHER}) on a non-production instance after
 *       its rescan. Pending reboot, failed or missing is not verified.</li>
 *   <li><b>Installed by the rollout</b>: verified on an instance where it was {@code MISSING} before.</li>
 *   <li>{@link PatchDifference.Kind#NOT_IN_PRODUCTION_LIST}: a patch the rollout installed in non-production that a
 *       production instance's list does not have in any state.</li>
 *   <li>{@link PatchDifference.Kind#NOT_VERIFIED_IN_NON_PRODUCTION}: a patch a production instance misses (so an
 *       Install would install it) that no non-production instance verified.</li>
 * </ul>
 * Any difference halts the rollout before production changes. Immutable and thread-safe.
 *
 * <pre>{@code
 * PatchComparison c = PatchComparison.of(nonProd, prod);
 * if (!c.matches()) System.out.println(c);
 * }</pre>
 */
public final class PatchComparison {
    private final List<PatchDifference> differences;
    private final Map<String, List<PatchInfo>> verified;
    private final int nonProductionInstances;
    private final int productionInstances;

    private PatchComparison(List<PatchDifference> differences, Map<String, List<PatchInfo>> verified,
            int nonProductionInstances, int productionInstances) {
        this.differences = List.copyOf(differences);
        this.verified = verified;
        this.nonProductionInstances = nonProductionInstances;
        this.productionInstances = productionInstances;
    }

    /**
     * One non-production instance's picture: its platform and its compliance before the install and after the
     * rescan.
     *
     * @param platform SSM's platform type
     * @param before   compliance before the install
     * @param after    compliance after the install and rescan
     */
    public record Tested(String platform, PatchCompliance before, PatchCompliance after) {
        public Tested {
            platform = platform == null ? "" : platform;
            Objects.requireNonNull(before, "before");
            Objects.requireNonNull(after, "after");
        }
    }

    /**
     * One production instance's picture: its platform and its compliance from the scan before the gate.
     *
     * @param platform SSM's platform type
     * @param scanned  compliance from the scan
     */
    public record Candidate(String platform, PatchCompliance scanned) {
        public Candidate {
            platform = platform == null ? "" : platform;
            Objects.requireNonNull(scanned, "scanned");
        }
    }

    /** Compares non-production (by instance id) with production (by instance id). */
    public static PatchComparison of(Map<String, Tested> nonProduction, Map<String, Candidate> production) {
        Map<String, Map<String, PatchInfo>> verifiedByPlatform = new TreeMap<>();
        Map<String, Map<String, PatchInfo>> installedByPlatform = new TreeMap<>();
        for (Tested t : nonProduction.values()) {
            Set<String> missingBefore = t.before().ids(PatchState.MISSING);
            for (PatchInfo p : t.after().patches()) {
                if (p.isInstalled()) {
                    verifiedByPlatform.computeIfAbsent(t.platform(), k -> new TreeMap<>()).putIfAbsent(p.id(), p);
                    if (missingBefore.contains(p.id())) {
                        installedByPlatform.computeIfAbsent(t.platform(), k -> new TreeMap<>()).putIfAbsent(p.id(), p);
                    }
                }
            }
        }
        Map<String, PatchInfo> info = new TreeMap<>();
        Map<String, TreeSet<String>> notInList = new TreeMap<>();
        Map<String, TreeSet<String>> notVerified = new TreeMap<>();
        for (Map.Entry<String, Candidate> e : production.entrySet()) {
            String id = e.getKey();
            Candidate c = e.getValue();
            Set<String> listed = new TreeSet<>();
            c.scanned().patches().forEach(p -> listed.add(p.id()));
            for (PatchInfo p : installedByPlatform.getOrDefault(c.platform(), Map.of()).values()) {
                if (!listed.contains(p.id())) {
                    info.putIfAbsent(p.id(), p);
                    notInList.computeIfAbsent(p.id(), k -> new TreeSet<>()).add(id);
                }
            }
            Map<String, PatchInfo> ok = verifiedByPlatform.getOrDefault(c.platform(), Map.of());
            for (PatchInfo p : c.scanned().missing()) {
                if (!ok.containsKey(p.id())) {
                    info.putIfAbsent(p.id(), p);
                    notVerified.computeIfAbsent(p.id(), k -> new TreeSet<>()).add(id);
                }
            }
        }
        List<PatchDifference> diffs = new ArrayList<>();
        notInList.forEach((pid, ids) -> diffs.add(diff(PatchDifference.Kind.NOT_IN_PRODUCTION_LIST, info.get(pid), ids)));
        notVerified.forEach((pid, ids) -> diffs.add(diff(PatchDifference.Kind.NOT_VERIFIED_IN_NON_PRODUCTION, info.get(pid), ids)));
        diffs.sort(Comparator.comparing(PatchDifference::patchId).thenComparing(PatchDifference::kind));
        Map<String, List<PatchInfo>> verified = new LinkedHashMap<>();
        verifiedByPlatform.forEach((k, v) -> verified.put(k, List.copyOf(v.values())));
        return new PatchComparison(diffs, Map.copyOf(verified), nonProduction.size(), production.size());
    }

    private static PatchDifference diff(PatchDifference.Kind kind, PatchInfo p, Set<String> instances) {
        return PatchDifference.builder(kind, p.id()).title(p.title()).classification(p.classification())
                .severity(p.severity()).instances(instances).build();
    }

    /** Whether production may install: no difference. */
    public boolean matches() {
        return differences.isEmpty();
    }

    /** The differences, sorted by patch id then kind. */
    public List<PatchDifference> differences() {
        return differences;
    }

    /** The patches non-production verified, by platform, sorted by id. */
    public Map<String, List<PatchInfo>> verified() {
        return verified;
    }

    /**
     * The verified patches as an AWS-RunPatchBaseline install override list ({@code patches: [{id, title}]}), for
     * the user to put where the production {@code InstallOverrideList} URL points.
     */
    public String installOverrideListYaml() {
        StringBuilder b = new StringBuilder("patches:\n");
        verified.values().stream().flatMap(List::stream).map(PatchInfo::id).distinct().sorted().forEach(id -> {
            PatchInfo p = verified.values().stream().flatMap(List::stream).filter(x -> x.id().equals(id)).findFirst()
                    .orElseThrow();
            b.append("  - id: '").append(p.id().replace("'", "''")).append("'\n    title: '")
                    .append(p.title().replace("'", "''")).append("'\n");
        });
        return b.toString();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Patch comparison of ").append(productionInstances)
                .append(" production with ").append(nonProductionInstances).append(" non-production instance(s): ")
                .append(matches() ? "match" : differences.size() + " difference(s)");
        for (PatchDifference d : differences) {
            b.append("\n  ").append(d.kind() == PatchDifference.Kind.NOT_IN_PRODUCTION_LIST ? "not in production list  "
                    : "not verified            ").append(String.format("%-14s %-40s %-16s %-10s %s", d.patchId(),
                    abbreviate(d.title()), d.classification(), d.severity(), d.instances()));
        }
        return b.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
