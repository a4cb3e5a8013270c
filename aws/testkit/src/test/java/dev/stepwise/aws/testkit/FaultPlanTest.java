package dev.stepwise.aws.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FaultPlanTest {

    private static List<Boolean> fires(FaultPlan plan, String op, int n) {
        List<Boolean> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(plan.decide(op).error().isPresent());
        }
        return out;
    }

    @Test
    void decide_whenTimesTwo_firesOnTheNextTwoMatchingRequestsOnly() {
        FaultPlan plan = new FaultPlan();
        FaultPlan.Rule rule = plan.addTimes("SendCommand", FaultPlan.Kind.THROTTLE, null, 2);

        assertThat(plan.decide("ListCommands").error()).isEmpty();
        assertThat(fires(plan, "SendCommand", 4)).containsExactly(true, true, false, false);
        assertThat(rule.injected()).isEqualTo(2);
    }

    @Test
    void decide_whenRateWithSeed_repeatsExactlyAndRoughlyMatchesTheRate() {
        FaultPlan a = new FaultPlan();
        FaultPlan b = new FaultPlan();
        a.addRate("*", FaultPlan.Kind.HTTP_503, null, 0.2, 42L);
        b.addRate("*", FaultPlan.Kind.HTTP_503, null, 0.2, 42L);

        List<Boolean> first = fires(a, "DescribeInstances", 1000);
        List<Boolean> second = fires(b, "DescribeInstances", 1000);

        assertThat(first).isEqualTo(second);
        assertThat(first.stream().filter(x -> x).count()).isBetween(150L, 250L);
    }

    @Test
    void decide_whenLatencyAndErrorRulesMatch_addsLatenciesAndFirstErrorWins() {
        FaultPlan plan = new FaultPlan();
        plan.addAlways("*", FaultPlan.Kind.LATENCY, Duration.ofMillis(10));
        plan.addTimes("GetParameter", FaultPlan.Kind.DROP_CONNECTION, null, 1);
        plan.addAlways("GetParameter", FaultPlan.Kind.HTTP_500, null);
        plan.addAlways("GetParameter", FaultPlan.Kind.LATENCY, Duration.ofMillis(5));

        FaultPlan.Decision first = plan.decide("GetParameter");
        FaultPlan.Decision second = plan.decide("GetParameter");

        assertThat(first.latency()).isEqualTo(Duration.ofMillis(15));
        assertThat(first.error()).isEqualTo(Optional.of(FaultPlan.Kind.DROP_CONNECTION));
        assertThat(second.error()).isEqualTo(Optional.of(FaultPlan.Kind.HTTP_500));
    }

    @Test
    void clear_whenRulesRegistered_removesThemAll() {
        FaultPlan plan = new FaultPlan();
        FaultPlan.Rule rule = plan.addAlways("*", FaultPlan.Kind.HTTP_500, null);

        plan.clear();

        assertThat(plan.decide("X").error()).isEmpty();
        assertThat(plan.rules()).isEmpty();
        assertThat(rule.injected()).isZero();
    }
}
