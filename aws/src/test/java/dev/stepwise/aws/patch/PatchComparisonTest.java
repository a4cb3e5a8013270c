package dev.stepwise.aws.patch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PatchComparisonTest {

    private static PatchInfo p(String id, PatchState state) {
        return new PatchInfo(id, id + " title", "SecurityUpdates", "Critical", state);
    }

    private static PatchCompliance c(String instance, PatchInfo... patches) {
        return new PatchCompliance(instance, true, "", "", "", "Scan", null, PatchCounts.NONE, Arrays.asList(patches));
    }

    private static Map<String, PatchComparison.Tested> nonProd(String platform, PatchCompliance before, PatchCompliance after) {
        return Map.of(before.instanceId(), new PatchComparison.Tested(platform, before, after));
    }

    @Test
    void of_whenProductionMissesOnlyVerifiedPatches_matches() {
        var np = nonProd("Windows", c("i-00000001", p("KB1", PatchState.MISSING), p("KB2", PatchState.INSTALLED)),
                c("i-00000001", p("KB1", PatchState.INSTALLED), p("KB2", PatchState.INSTALLED)));
        var prod = Map.of("i-00000002", new PatchComparison.Candidate("Windows",
                c("i-00000002", p("KB1", PatchState.MISSING), p("KB2", PatchState.INSTALLED))));

        PatchComparison r = PatchComparison.of(np, prod);

        assertThat(r.matches()).as(r.toString()).isTrue();
        assertThat(r.verified().get("Windows")).as("only what the rollout installed, not what was there before")
                .extracting(PatchInfo::id).containsExactly("KB1");
    }

    @Test
    void of_whenProductionWouldInstallAnUntestedPatch_reportsItWithTitleClassificationAndSeverity() {
        var np = nonProd("Windows", c("i-00000001", p("KB1", PatchState.MISSING)), c("i-00000001", p("KB1", PatchState.INSTALLED)));
        var prod = Map.of("i-00000002", new PatchComparison.Candidate("Windows",
                c("i-00000002", p("KB1", PatchState.MISSING), new PatchInfo("KB9", "Out-of-band fix", "CriticalUpdates",
                        "Important", PatchState.MISSING))));

        PatchComparison r = PatchComparison.of(np, prod);

        assertThat(r.matches()).isFalse();
        assertThat(r.differences()).containsExactly(PatchDifference.builder(
                PatchDifference.Kind.NOT_VERIFIED_IN_NON_PRODUCTION, "KB9").title("Out-of-band fix")
                .classification("CriticalUpdates").severity("Important").addInstances("i-00000002").build());
        assertThat(r.toString()).contains("KB9", "Out-of-band fix", "CriticalUpdates", "Important");
    }

    @Test
    void of_whenProductionListLacksAPatchNonProductionInstalled_reportsNotInProductionList() {
        var np = nonProd("Linux", c("i-00000001", p("openssl.x86_64", PatchState.MISSING)),
                c("i-00000001", p("openssl.x86_64", PatchState.INSTALLED)));
        var prod = Map.of("i-00000002", new PatchComparison.Candidate("Linux", c("i-00000002", p("bash.x86_64", PatchState.INSTALLED))));

        PatchComparison r = PatchComparison.of(np, prod);

        assertThat(r.differences()).extracting(PatchDifference::kind, PatchDifference::patchId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(PatchDifference.Kind.NOT_IN_PRODUCTION_LIST, "openssl.x86_64"));
    }

    @Test
    void of_whenNonProductionPatchStillPendsReboot_doesNotCountItAsVerified() {
        var np = nonProd("Windows", c("i-00000001", p("KB1", PatchState.MISSING)),
                c("i-00000001", p("KB1", PatchState.INSTALLED_PENDING_REBOOT)));
        var prod = Map.of("i-00000002", new PatchComparison.Candidate("Windows", c("i-00000002", p("KB1", PatchState.MISSING))));

        assertThat(PatchComparison.of(np, prod).differences()).extracting(PatchDifference::kind)
                .containsExactly(PatchDifference.Kind.NOT_VERIFIED_IN_NON_PRODUCTION);
    }

    @Test
    void of_whenPlatformsDiffer_comparesOnlyLikeWithLike() {
        var np = nonProd("Windows", c("i-00000001", p("KB1", PatchState.MISSING)), c("i-00000001", p("KB1", PatchState.INSTALLED)));
        var prod = Map.of("i-00000002", new PatchComparison.Candidate("Linux", c("i-00000002", p("KB1", PatchState.MISSING))));

        PatchComparison r = PatchComparison.of(np, prod);

        assertThat(r.matches()).isFalse();
        assertThat(r.uncovered()).containsExactly(Map.entry("Linux", List.of("i-00000002")));
    }

    @Test
    void installOverrideListYaml_listsVerifiedPatchesWithQuotesEscaped() {
        var np = nonProd("Windows", c("i-00000001", p("KB1", PatchState.MISSING)),
                c("i-00000001", new PatchInfo("KB1", "It's fixed", "SecurityUpdates", "Critical", PatchState.INSTALLED)));
        String yaml = PatchComparison.of(np, Map.of()).installOverrideListYaml();
        assertThat(yaml).isEqualTo("patches:\n  - id: 'KB1'\n    title: 'It''s fixed'\n");
    }
}
