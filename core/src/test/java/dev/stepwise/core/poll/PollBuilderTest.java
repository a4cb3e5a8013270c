package dev.stepwise.core.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.PlanValidationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PollBuilderTest {

    private static Poll.Builder valid() {
        return Poll.builder().describedAs("instance i-1 to stop");
    }

    @Test
    void build_withOnlyADescription_usesTheDocumentedDefaults() {
        Poll p = valid().build();

        assertThat(p.initialDelay()).isZero();
        assertThat(p.interval()).isEqualTo(Duration.ofSeconds(5)).isEqualTo(Poll.DEFAULT_INTERVAL);
        assertThat(p.maxInterval()).isEqualTo(p.interval());
        assertThat(p.multiplier()).isEqualTo(1.0);
        assertThat(p.isBackoff()).isFalse();
        assertThat(p.timeout()).isEqualTo(Duration.ofMinutes(10)).isEqualTo(Poll.DEFAULT_TIMEOUT);
        assertThat(p.description()).isEqualTo("instance i-1 to stop");
    }

    @Test
    void build_withoutDescription_throwsSayingWhatToGive() {
        assertThatThrownBy(() -> Poll.builder().build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessage("Poll: description is not set: say what the poll waits for, e.g. "
                        + "describedAs(\"instance i-1 to stop\")");
    }

    @Test
    void build_withEverySettingWrong_listsEveryProblemAtOnceWithFieldValueAndRule() {
        Poll.Builder b = Poll.builder().
                describedAs("  ").
                initialDelay(Duration.ofSeconds(-1)).
                backoff(Duration.ZERO, Duration.ofDays(31), Double.NaN).
                timeout(Duration.ofDays(30).plusNanos(1));

        assertThatThrownBy(b::build)
                .isInstanceOf(PlanValidationException.class)
                .hasMessageStartingWith("Poll: 6 problems")
                .satisfies(e -> assertThat(((PlanValidationException) e).problems()).containsExactly(
                        "initialDelay PT-1S must be zero or positive",
                        "interval PT0S must be positive",
                        "maxInterval PT744H must be at most PT720H (30 days)",
                        "timeout PT720H0.000000001S must be at most PT720H (30 days)",
                        "multiplier NaN must be a finite number of at least 1",
                        "description \"  \" must not be blank"));
    }

    @Test
    void build_withBackoffMaxBelowInitial_namesBothValues() {
        assertThatThrownBy(() -> valid().backoff(Duration.ofSeconds(10), Duration.ofSeconds(1)).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessage("Poll for instance i-1 to stop: maxInterval PT1S must be at least interval PT10S");
    }

    @Test
    void build_withMultiplierBelowOneOrInfinite_refusesIt() {
        assertThatThrownBy(() -> valid().backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5).build())
                .hasMessageContaining("multiplier 0.5 must be a finite number of at least 1");
        assertThatThrownBy(() -> valid().backoff(Duration.ofSeconds(1), Duration.ofSeconds(2),
                Double.POSITIVE_INFINITY).build())
                .hasMessageContaining("multiplier Infinity must be a finite number of at least 1");
    }

    @Test
    void build_withNegativeTimeoutOrInterval_namesEach() {
        assertThatThrownBy(() -> valid().every(Duration.ofMillis(-5)).timeout(Duration.ZERO).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("interval PT-0.005S must be positive")
                .hasMessageContaining("maxInterval PT-0.005S must be positive")
                .hasMessageContaining("timeout PT0S must be positive");
    }

    @Test
    void build_withEveryDurationAtTheMaximum_accepts30Days() {
        Duration max = Poll.MAX_DURATION;
        Poll p = valid().initialDelay(max).backoff(max, max).timeout(max).build();

        assertThat(max).isEqualTo(Duration.ofDays(30));
        assertThat(p.timeout()).isEqualTo(max);
        assertThat(p.waitAfter(Long.MAX_VALUE)).isEqualTo(max);
    }

    @Test
    void setters_withNull_throwNullPointerNamingTheSetting() {
        assertThatThrownBy(() -> valid().every(null)).isInstanceOf(NullPointerException.class).hasMessage("interval");
        assertThatThrownBy(() -> valid().backoff(null, Duration.ofSeconds(1))).hasMessage("initial");
        assertThatThrownBy(() -> valid().backoff(Duration.ofSeconds(1), null, 2)).hasMessage("max");
        assertThatThrownBy(() -> valid().initialDelay(null)).hasMessage("initialDelay");
        assertThatThrownBy(() -> valid().timeout(null)).hasMessage("timeout");
        assertThatThrownBy(() -> valid().describedAs(null)).hasMessage("description");
    }

    @Test
    void every_afterBackoff_replacesTheBackoff() {
        Poll p = valid().backoff(Duration.ofSeconds(1), Duration.ofSeconds(30)).every(Duration.ofSeconds(3)).build();

        assertThat(p.isBackoff()).isFalse();
        assertThat(p.waitAfter(10)).isEqualTo(Duration.ofSeconds(3));
        assertThat(p.maxInterval()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void waitAfter_followsTheDocumentedFormula() {
        Poll p = valid().backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 3).build();

        assertThat(p.waitAfter(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(p.waitAfter(2)).isEqualTo(Duration.ofMillis(300));
        assertThat(p.waitAfter(3)).isEqualTo(Duration.ofMillis(900));
        assertThat(p.waitAfter(4)).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.waitAfter(Long.MAX_VALUE)).as("saturates, never overflows").isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void waitAfter_whenProbeIsBelowOne_throws() {
        assertThatThrownBy(() -> valid().build().waitAfter(0))
                .isInstanceOf(dev.stepwise.core.StepwiseException.class)
                .hasMessage("probe 0 must be at least 1");
    }

    @Test
    void toBuilder_keepsEverySettingAndLeavesTheOriginalAlone() {
        Poll p = valid().initialDelay(Duration.ofSeconds(90)).backoff(Duration.ofSeconds(2), Duration.ofMinutes(1), 1.5)
                .timeout(Duration.ofMinutes(30)).build();

        Poll copy = p.toBuilder().build();
        Poll renamed = p.toBuilder().describedAs("instance i-2 to stop").build();

        assertThat(copy).isEqualTo(p).hasSameHashCodeAs(p).hasToString(p.toString());
        assertThat(renamed.description()).isEqualTo("instance i-2 to stop");
        assertThat(renamed.timeout()).isEqualTo(p.timeout());
        assertThat(p.description()).isEqualTo("instance i-1 to stop");
        assertThat(renamed).isNotEqualTo(p);
    }

    @Test
    void build_calledTwice_givesEqualPollsAndTheBuilderCanBeReused() {
        Poll.Builder b = valid().every(Duration.ofSeconds(2));
        Poll first = b.build();
        Poll second = b.timeout(Duration.ofMinutes(1)).build();

        assertThat(first.timeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(second.timeout()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void describe_withFixedInterval_readsAsASentence() {
        assertThat(valid().build().describe()).isEqualTo("waits up to 10 min for instance i-1 to stop, polling every 5 s");
    }

    @Test
    void describe_withInitialDelayAndBackoff_saysBoth() {
        Poll p = Poll.builder().initialDelay(Duration.ofSeconds(90)).backoff(Duration.ofSeconds(1), Duration.ofSeconds(30))
                .timeout(Duration.ofMinutes(30)).describedAs("the upgrade to 6.8 to complete").build();

        assertThat(p.describe()).isEqualTo("waits 1 min 30 s, then up to 30 min for the upgrade to 6.8 to complete, "
                + "polling every 1 s at first, backing off x2 to every 30 s");
    }

    @Test
    void describe_withOddDurations_showsThemWithoutRounding() {
        Poll p = valid().every(Duration.ofMillis(1500)).timeout(Duration.ofDays(1).plusHours(2)).build();
        Poll fine = valid().every(Duration.ofNanos(1500)).build();

        assertThat(p.describe()).isEqualTo("waits up to 1 d 2 h for instance i-1 to stop, polling every 1 s 500 ms");
        assertThat(fine.describe()).endsWith("polling every PT0.0000015S");
    }

    @Test
    void toString_showsEverySetting() {
        assertThat(valid().build()).hasToString("Poll{for instance i-1 to stop, every PT5S, timeout PT10M}");
        assertThat(valid().initialDelay(Duration.ofSeconds(90)).backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 1.5)
                .build()).hasToString("Poll{for instance i-1 to stop, initial delay PT1M30S, backoff PT1S x1.5 up to PT30S, "
                + "timeout PT10M}");
    }

    @Test
    void outcome_toString_saysWhatItIs() {
        assertThat(Outcome.done("stopped")).hasToString("done(stopped)");
        assertThat(Outcome.waiting("stopping")).hasToString("waiting(stopping)");
        assertThat(Outcome.failed("terminated")).hasToString("failed(terminated)");
        assertThat(Outcome.done(1).isDone()).isTrue();
        assertThat(Outcome.waiting("x").isDone()).isFalse();
        assertThatThrownBy(() -> Outcome.waiting(null)).isInstanceOf(NullPointerException.class).hasMessage("state");
        assertThatThrownBy(() -> Outcome.failed(null)).isInstanceOf(NullPointerException.class).hasMessage("reason");
    }
}
