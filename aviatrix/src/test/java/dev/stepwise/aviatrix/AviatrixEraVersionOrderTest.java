package dev.stepwise.aviatrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.PlanValidationException;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Versions ordered as the Terraform provider's tests order them: every case of TestCompareSoftwareVersions and
 * TestParseVersion [VT], the 8.x forms, and the support check's major.minor comparison [CK].
 */
class AviatrixEraVersionOrderTest {

    @ParameterizedTest(name = "{0} vs {1} -> sign {2}")
    @CsvSource({
            "6.5.100, 6.5.101, -1",
            "6.5.102, 6.5.101, 1",
            "6.5.100, 6.5.100, 0",
            "6.5.100, 6.5, -1",
            "6.6.100, 6.5, 1",
            "6.6, 6.5, 1",
            "6.6, 6.5.100, 1",
            "6.5.1232, 6.5-patch.100, -1",
            // want 1132 (a positive difference), listed twice in the provider's table
            "6.5-patch.1232, 6.5-patch.100, 1",
            "6.5-patch.1232, 6.5-patch.100, 1",
            "6.5-patch.1232, 6.6-patch.100, -1"})
    void compareTo_whenProviderCase_hasTheProvidersSign(String a, String b, int sign) {
        ControllerVersion va = ControllerVersion.parse(a);
        ControllerVersion vb = ControllerVersion.parse(b);
        assertThat(Integer.signum(va.compareTo(vb))).isEqualTo(sign);
        assertThat(Integer.signum(vb.compareTo(va))).isEqualTo(-sign);
        assertThat(va.equals(vb)).isEqualTo(sign == 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"6", "6.", "6.a"})
    void parse_whenProviderErrorCase_isRefused(String text) {
        assertThatThrownBy(() -> ControllerVersion.parse(text)).isInstanceOf(PlanValidationException.class)
                .hasMessageContaining(text);
    }

    @Test
    void parse_whenPatchForm_readsAsTheProviderDoes() {
        ControllerVersion v = ControllerVersion.parse("UserConnect-6.3-patch.2309");
        assertThat(v.major()).isEqualTo(6);
        assertThat(v.minor()).isEqualTo(3);
        assertThat(v.build()).hasValue("2309");
        assertThat(v.minorBuildId()).hasValue("patch");
        assertThat(v.release()).hasToString("6.3");
        assertThat(v).hasToString("6.3-patch.2309");
    }

    @Test
    void parse_whenTwoDifferentMinorBuildIds_countsThemEqual() {
        assertThat(ControllerVersion.parse("6.5-patch.100")).isEqualByComparingTo(ControllerVersion.parse("6.5-hf.100"))
                .isEqualTo(ControllerVersion.parse("6.5-hf.100"));
        assertThat(ControllerVersion.parse("6.5-patch.100").hashCode())
                .isEqualTo(ControllerVersion.parse("6.5-hf.100").hashCode());
    }

    @Test
    void compareTo_when8x_ordersByMajorMinorPatchThenBuildSuffix() {
        ControllerVersion[] sorted = {ControllerVersion.parse("8.0.1"), ControllerVersion.parse("8.0.1-1000.1000"),
                ControllerVersion.parse("8.0.2"), ControllerVersion.parse("8.0"), ControllerVersion.parse("8.1.0")};
        ControllerVersion[] shuffled = {sorted[3], sorted[2], sorted[4], sorted[0], sorted[1]};
        Arrays.sort(shuffled);
        assertThat(shuffled).containsExactly(sorted);
        assertThat(ControllerVersion.parse("8.0.2").patch()).hasValue(2);
        assertThat(ControllerVersion.parse("8.0.2")).hasToString("8.0.2");
        assertThat(ControllerVersion.parse("8.0.1-1000.1000")).hasToString("8.0.1-1000.1000");
    }

    @ParameterizedTest(name = "{0} supported by [{1}]: {2}")
    @CsvSource({
            "8.0.1, 8.0, true",
            "8.0.1-1000.1000, 8.0.2-2000.2000, true",
            "8.0.1, 8.1, false",
            "8.0.1, 7.5 8.0, true",
            "8.0.1, 7.5 8.1, false",
            "UserConnect-7.2-1804.4665, 8.0.0, false"})
    void sameRelease_whenProviderSupportCase_comparesMajorMinorOnly(String version, String supported,
            boolean expected) {
        ControllerVersion v = ControllerVersion.parse(version);
        boolean ok = Arrays.stream(supported.split(" ")).map(ControllerVersion::parse).anyMatch(v::sameRelease);
        assertThat(ok).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is era {1}")
    @CsvSource({"3.1, V3_0", "3.2, V3_0", "3.3, V3_3", "6.4, V3_3", "6.5.1800, V6_5", "6.9.733, V6_5",
            "7.0.1373, V7_0", "7.1.1794, V7_1", "7.2.4820, V7_1", "8.0.1, V8"})
    void era_whenVersion_followsTheReferenceBoundaries(String version, ControllerEra era) {
        assertThat(ControllerEra.of(ControllerVersion.parse(version))).isEqualTo(era);
    }

    @Test
    void era_whenBefore30_isRefused() {
        assertThatThrownBy(() -> ControllerEra.of(ControllerVersion.parse("2.7")))
                .isInstanceOf(UnsupportedEraException.class).hasMessageContaining("older than 3.0");
    }
}
