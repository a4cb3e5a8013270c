package dev.stepwise.aviatrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ControllerVersionTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            3.1                        | 3 | 1  | -  | -         | 3.1
            4.7                        | 4 | 7  | -  | -         | 4.7
            UserConnect-5.0.2670       | 5 | 0  | -  | 2670      | 5.0.2670
            UserConnect-6.3-patch.2309 | 6 | 3  | -  | 2309      | 6.3-patch.2309
            6.5.2608                   | 6 | 5  | -  | 2608      | 6.5.2608
            8.0.1-1000.1000            | 8 | 0  | 1  | 1000.1000 | 8.0.1-1000.1000
            '  6.6.5224 '              | 6 | 6  | -  | 5224      | 6.6.5224
            UserConnect-3.1            | 3 | 1  | -  | -         | 3.1
            10.12.0                    | 10| 12 | 0  | -         | 10.12.0
            UserConnect-7.2-1804.4665  | 7 | 2  | -  | 4665      | 7.2-1804.4665
            """)
    void parse_whenAcceptedForm_exposesParts(String text, int major, int minor, Integer patch, String build,
            String printed) {
        ControllerVersion v = ControllerVersion.parse(text);

        assertThat(v.major()).isEqualTo(major);
        assertThat(v.minor()).isEqualTo(minor);
        assertThat(v.patch()).isEqualTo(patch == null ? OptionalInt.empty() : OptionalInt.of(patch));
        assertThat(v.build()).isEqualTo(Optional.ofNullable(build));
        assertThat(v).hasToString(printed);
        assertThat(ControllerVersion.parse(v.toString())).isEqualTo(v);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", " ", "6", "6.", ".5", "6.5.", "v6.5", "6.5.2608.1", "6.5-patch", "6.5-hot fix.12",
        "UserConnect-", "userconnect-6.5", "6.x", "latest", "-6.5", "06.5", "6.5.2608 beta", "1234567890.1",
        "6.5.1234567890123456789", "8.0.1-1000", "8.0.1-1000.1000.1", "6,5"})
    void parse_whenNotAVersion_throwsWithValueAndAcceptedForms(String text) {
        assertThatThrownBy(() -> ControllerVersion.parse(text))
                .isInstanceOf(dev.stepwise.core.PlanValidationException.class)
                .hasMessageContaining("\"" + text + "\"")
                .hasMessageContaining(ControllerVersion.ACCEPTED_FORMS);
    }

    @Test
    void parse_whenNull_throwsNullPointerException() {
        assertThatThrownBy(() -> ControllerVersion.parse(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void compareTo_whenShuffled_sortsInReleaseOrder() {
        List<String> ordered = List.of("2.7", "3.1", "3.2", "UserConnect-5.0.2670", "5.0", "6.3.2000",
                "6.3.2400", "6.3-patch.2309", "6.3", "6.5.2608", "6.5.2900", "6.5", "6.9.733", "7.0", "8.0.0-1.1",
                "8.0.1-999.5000", "8.0.1-1000.1000", "8.0.1-1000.1001", "8.0", "10.0");
        List<ControllerVersion> shuffled = new ArrayList<>();
        ordered.forEach(s -> shuffled.add(ControllerVersion.parse(s)));
        Collections.shuffle(shuffled, new java.util.Random(7));

        Collections.sort(shuffled);

        assertThat(shuffled).extracting(ControllerVersion::toString)
                .containsExactlyElementsOf(ordered.stream().map(s -> s.replace("UserConnect-", "")).toList());
    }

    @Test
    void equals_whenPrefixDiffers_isEqualWithSameHash() {
        ControllerVersion a = ControllerVersion.parse("UserConnect-6.5.2608");
        ControllerVersion b = ControllerVersion.parse("6.5.2608");

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.compareTo(b)).isZero();
    }

    @Test
    void equals_whenPatchSpellingDiffers_isNotEqual() {
        assertThat(ControllerVersion.parse("6.3-patch.2309")).isNotEqualTo(ControllerVersion.parse("6.3.2309"));
    }

    @Test
    void release_whenBuildPresent_dropsBuild() {
        ControllerVersion v = ControllerVersion.parse("6.5.2608");

        assertThat(v.release()).hasToString("6.5");
        assertThat(v.release().isRelease()).isTrue();
        assertThat(v.isRelease()).isFalse();
        assertThat(v.sameRelease(ControllerVersion.parse("6.5"))).isTrue();
        assertThat(v.sameRelease(ControllerVersion.parse("6.6"))).isFalse();
    }

    @Test
    void release_whenNegative_throwsNamingTheRule() {
        assertThatThrownBy(() -> ControllerVersion.release(-1, 2))
                .isInstanceOf(dev.stepwise.core.PlanValidationException.class)
                .hasMessageContaining("-1.2")
                .hasMessageContaining("at least 0");
    }
}
