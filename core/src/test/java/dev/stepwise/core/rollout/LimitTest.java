package dev.stepwise.core.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.PlanValidationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LimitTest {

    @ParameterizedTest(name = "maxErrors {0} of {1} targets = {2}")
    @CsvSource({
            "0,    10,  0",
            "2,    10,  2",
            "20,   10,  20",
            "0%,   10,  0",
            "10%,  25,  2",   // 2.5 rounds down
            "10%,  9,   0",   // 0.9 rounds down: the first failure halts
            "10%,  10,  1",
            "10%,  19,  1",
            "10%,  20,  2",
            "33%,  100, 33",
            "50%,  3,   1",
            "100%, 7,   7",
            "1%,   10000, 100",
    })
    void errorsFor_percentagesRoundDown_absoluteAsGiven(String setting, int targets, int expected) {
        assertThat(Limit.parse(setting).errorsFor(targets)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "maxConcurrency {0} of {1} targets = {2}")
    @CsvSource({
            "1,    10,  1",
            "10,   4,   4",    // never more than the targets
            "500,  10000, 500",
            "50%,  5,   3",    // 2.5 rounds up
            "50%,  4,   2",
            "1%,   10,  1",    // 0.1 rounds up to the minimum of 1
            "10%,  101, 11",
            "100%, 7,   7",
            "50%,  0,   0",
    })
    void concurrencyFor_percentagesRoundUp_atLeastOneAtMostTargets(String setting, int targets, int expected) {
        assertThat(Limit.parse(setting).concurrencyFor(targets)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\" is rejected")
    @CsvSource({"120%, is over 100%", "abc, is neither a whole number", "-1, is neither a whole number",
            "1.5%, is neither a whole number", "'', is neither a whole number"})
    void parse_whenMalformed_namesValueAndRule(String text, String rule) {
        assertThatThrownBy(() -> Limit.parse(text)).isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("\"" + text + "\"").hasMessageContaining(rule);
    }

    @ParameterizedTest(name = "{0} prints as itself")
    @CsvSource({"10", "10%", "0"})
    void toString_whenParsed_printsAsGiven(String text) {
        assertThat(Limit.parse(text)).hasToString(text).isEqualTo(Limit.parse(" " + text + " "));
    }
}
