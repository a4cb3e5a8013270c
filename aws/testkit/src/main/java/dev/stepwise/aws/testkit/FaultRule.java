package dev.stepwise.aws.testkit;


/**
 * A fault registered on a {@link FillInProxy}: read how often it fired, or remove it.
 *
 * <p>Thread-safe.
 *
 * <pre>{@code
 * FaultRule throttle = proxy.faults().throttle("SendCommand").times(2);
 * // ... run the code under test ...
 * assertThat(throttle.injected()).isEqualTo(2);
 * }</pre>
 */
public final class FaultRule {

    private final FaultPlan.Rule rule;

    FaultRule(FaultPlan.Rule rule) {
        this.rule = rule;
    }

    /** @return how many requests this fault has hit so far */
    public long injected() {
        return rule.injected();
    }

    /** Stops this fault from firing again. */
    public void remove() {
        rule.remove();
    }

    @Override
    public String toString() {
        return "FaultRule[" + rule + "]";
    }
}
