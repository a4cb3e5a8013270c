package dev.stepwise.aws.patch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue #18 item 1 (patch identity per OS with versions) and part of item 2 (what counts as verified), as a pure
 * comparison. Linux titles follow {@code name.arch:epoch:version-release} (reference aws-patching-and-drivers.md §2).
 */
class PatchFidelityComparisonTest {
    private static final String AL2 = new InstanceOs("Linux", "Amazon Linux", "2").label();
    private static final String RHEL7 = new InstanceOs("Linux", "Red Hat Enterprise Linux Server", "7.9").label();

    private static PatchInfo openssl(String release, PatchState state) {
        return new PatchInfo("openssl.x86_64", "openssl.x86_64:1:1.0.2k-" + release, "Security", "Important", state);
    }

    private static PatchCompliance c(String instance, PatchInfo... patches) {
        return new PatchCompliance(instance, true, "", "", "", "Scan", null, PatchCounts.NONE, Arrays.asList(patches));
    }

    private static Map<String, PatchComparison.Tested> nonProd(String os, PatchCompliance before, PatchCompliance after) {
        return Map.of(before.instanceId(), new PatchComparison.Tested(os, before, after));
    }

    @Test
    void of_whenSameLinuxPackageInAnotherVersion_haltsNamingBothVersions() {
        var np = nonProd(AL2, c("i-00000001", openssl("24.amzn2", PatchState.MISSING)),
                c("i-00000001", openssl("24.amzn2", PatchState.INSTALLED)));
        var prod = Map.of("i-00000002", new PatchComparison.Candidate(AL2, c("i-00000002",
                openssl("26.el7_9", PatchState.MISSING))));

        PatchComparison r = PatchComparison.of(np, prod);

        assertThat(r.matches()).isFalse();
        assertThat(r.differences()).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(PatchDifference.Kind.VERSION_DIFFERS);
            assertThat(d.title()).isEqualTo("openssl.x86_64:1:1.0.2k-26.el7_9");
            assertThat(d.verifiedTitle()).isEqualTo("openssl.x86_64:1:1.0.2k-24.amzn2");
        });
        assertThat(r.toString()).contains("1.0.2k-26.el7_9", "1.0.2k-24.amzn2");
    }

    @Test
    void of_whenSameLinuxPackageAndVersion_matches() {
        var np = nonProd(AL2, c("i-00000001", openssl("24.amzn2", PatchState.MISSING)),
                c("i-00000001", openssl("24.amzn2", PatchState.INSTALLED)));
        var prod = Map.of("i-00000002", new PatchComparison.Candidate(AL2, c("i-00000002",
                openssl("24.amzn2", PatchState.MISSING))));

        assertThat(PatchComparison.of(np, prod).matches()).isTrue();
    }

    @Test
    void of_whenAProductionOsIsNotCoveredByNonProduction_haltsNamingIt() {
        var np = nonProd(AL2, c("i-00000001", openssl("24.amzn2", PatchState.MISSING)),
                c("i-00000001", openssl("24.amzn2", PatchState.INSTALLED)));
        var prod = Map.of("i-00000002", new PatchComparison.Candidate(RHEL7, c("i-00000002",
                openssl("24.amzn2", PatchState.MISSING))));

        PatchComparison r = PatchComparison.of(np, prod);

        assertThat(r.matches()).isFalse();
        assertThat(r.uncovered()).containsExactly(Map.entry(RHEL7, List.of("i-00000002")));
        assertThat(r.problem()).contains("Red Hat Enterprise Linux Server 7.9", "i-00000002", "not covered");
    }

    @Test
    void installOverrideListYaml_holdsOnlyWhatTheRolloutInstalled_withVersionedTitles() {
        var np = nonProd(AL2, c("i-00000001", openssl("24.amzn2", PatchState.MISSING),
                        new PatchInfo("bash.x86_64", "bash.x86_64:0:4.2.46-34.amzn2", "", "", PatchState.INSTALLED_OTHER),
                        new PatchInfo("curl.x86_64", "curl.x86_64:0:7.79.1-1.amzn2", "", "", PatchState.INSTALLED)),
                c("i-00000001", openssl("24.amzn2", PatchState.INSTALLED),
                        new PatchInfo("bash.x86_64", "bash.x86_64:0:4.2.46-34.amzn2", "", "", PatchState.INSTALLED_OTHER),
                        new PatchInfo("curl.x86_64", "curl.x86_64:0:7.79.1-1.amzn2", "", "", PatchState.INSTALLED)));

        String yaml = PatchComparison.of(np, Map.of()).installOverrideListYaml();

        assertThat(yaml).isEqualTo("patches:\n  - id: 'openssl.x86_64'\n    title: 'openssl.x86_64:1:1.0.2k-24.amzn2'\n");
    }

    @Test
    void toData_roundTripsTheVerifiedPatchesPerOs() {
        var np = nonProd(AL2, c("i-00000001", openssl("24.amzn2", PatchState.MISSING)),
                c("i-00000001", openssl("24.amzn2", PatchState.INSTALLED)));

        Map<String, Object> data = PatchComparison.of(np, Map.of()).toData();

        assertThat(PatchComparison.verifiedIn(data, AL2)).containsExactly(openssl("24.amzn2", PatchState.INSTALLED));
        assertThat(PatchComparison.verifiedIn(data, RHEL7)).isEmpty();
    }

    @Test
    void of_whenUncoveredOsIsAccepted_matches_andNamesTheInstancesLeftOut() {
        var np = nonProd(AL2, c("i-00000001", openssl("24.amzn2", PatchState.MISSING)),
                c("i-00000001", openssl("24.amzn2", PatchState.INSTALLED)));
        var prod = Map.of("i-00000002", new PatchComparison.Candidate(RHEL7, c("i-00000002",
                openssl("24.amzn2", PatchState.MISSING))));

        PatchComparison r = PatchComparison.of(np, prod, false, true);

        assertThat(r.matches()).isTrue();
        assertThat(r.uncoveredInstances()).containsExactly("i-00000002");
        assertThat(r.toData()).containsEntry("uncoveredAccepted", true);
        assertThat(r.toString()).contains("OS not covered (accepted, not patched)");
    }

    @Test
    void of_withACutoff_aPatchNonProductionStillMissed_isHeldBack_notADifference() {
        PatchInfo curl = new PatchInfo("curl.x86_64", "curl.x86_64:0:7.88.1-1.amzn2", "Security", "Important",
                PatchState.MISSING);
        var np = nonProd(AL2, c("i-00000001", openssl("24.amzn2", PatchState.MISSING), curl),
                c("i-00000001", openssl("24.amzn2", PatchState.INSTALLED), curl));
        var prod = Map.of("i-00000002", new PatchComparison.Candidate(AL2, c("i-00000002",
                openssl("24.amzn2", PatchState.MISSING), curl)));

        assertThat(PatchComparison.of(np, prod).matches()).as("without a cut-off it halts").isFalse();
        PatchComparison r = PatchComparison.of(np, prod, true, false);

        assertThat(r.matches()).isTrue();
        assertThat(r.heldBack()).containsExactly(Map.entry(AL2, List.of(curl)));
        assertThat(r.installOverrideListYaml()).doesNotContain("curl");
    }
}
