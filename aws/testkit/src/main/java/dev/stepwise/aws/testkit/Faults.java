package dev.stepwise.aws.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Faults that a {@link FillInProxy} injects on demand, by operation and by count or rate.
 *
 * <p>Each method names an operation ({@code "SendCommand"}, {@code "DescribeInstances"}, or
 * {@link #ANY_OPERATION}) and returns a {@link Spec}; the fault is active once {@code times(n)},
 * {@code rate(p, seed)} or {@code always()} is called on it. Faults apply to forwarded and filled-in
 * operations alike, before either, and the request still counts. Latency faults add up and then the
 * request goes on; of the other faults, the first one registered that fires answers the request:
 * <ul>
 *   <li>throttle: SSM (JSON) {@code 400 ThrottlingException}; EC2 and other query APIs
 *       {@code 503 RequestLimitExceeded};</li>
 *   <li>{@code serverError}: {@code 500 InternalServerError} (EC2: {@code InternalError});</li>
 *   <li>{@code serviceUnavailable}: {@code 503 ServiceUnavailable} (EC2: {@code Unavailable});</li>
 *   <li>{@code dropConnection}: the connection is closed without an answer.</li>
 * </ul>
 * The AWS SDK retries all of these by default. Faults are cleared by {@link FillInProxy#reset()}.
 * Thread-safe.
 *
 * <pre>{@code
 * proxy.faults().throttle("SendCommand").times(2);
 * proxy.faults().serviceUnavailable("DescribeInstances").rate(0.2, 42L);
 * proxy.faults().latency(Faults.ANY_OPERATION, Duration.ofMillis(50)).always();
 * }</pre>
 */
public final class Faults {

    /** Matches every operation. */
    public static final String ANY_OPERATION = FaultPlan.ANY;

    private final FaultPlan plan;

    Faults(FaultPlan plan) {
        this.plan = plan;
    }

    /**
     * @param operation the operation
     * @return a throttling fault, not yet active
     */
    public Spec throttle(String operation) {
        return new Spec(operation, FaultPlan.Kind.THROTTLE, null);
    }

    /**
     * @param operation the operation
     * @return an HTTP 500 fault, not yet active
     */
    public Spec serverError(String operation) {
        return new Spec(operation, FaultPlan.Kind.HTTP_500, null);
    }

    /**
     * @param operation the operation
     * @return an HTTP 503 fault, not yet active
     */
    public Spec serviceUnavailable(String operation) {
        return new Spec(operation, FaultPlan.Kind.HTTP_503, null);
    }

    /**
     * @param operation the operation
     * @return a dropped-connection fault, not yet active
     */
    public Spec dropConnection(String operation) {
        return new Spec(operation, FaultPlan.Kind.DROP_CONNECTION, null);
    }

    /**
     * @param operation the operation
     * @param delay     the latency to add before the request is handled; positive
     * @return a latency fault, not yet active
     */
    public Spec latency(String operation, Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative() || delay.isZero()) {
            throw new IllegalArgumentException("latency " + delay + " is not positive");
        }
        return new Spec(operation, FaultPlan.Kind.LATENCY, delay);
    }

    /** @return the active faults, in registration order */
    public List<FaultRule> rules() {
        return plan.rules().stream().map(FaultRule::new).toList();
    }

    /** Removes every fault. */
    public void clear() {
        plan.clear();
    }

    /** A fault that becomes active when told how often to fire. */
    public final class Spec {
        private final String operation;
        private final FaultPlan.Kind kind;
        private final Duration latency;

        private Spec(String operation, FaultPlan.Kind kind, Duration latency) {
            Objects.requireNonNull(operation, "operation");
            if (operation.isBlank()) {
                throw new IllegalArgumentException("operation \"" + operation + "\" is blank; name one or use \"*\"");
            }
            this.operation = operation;
            this.kind = kind;
            this.latency = latency;
        }

        /**
         * @param n the next n matching requests, at least 1
         * @return the active fault
         */
        public FaultRule times(int n) {
            return new FaultRule(plan.addTimes(operation, kind, latency, n));
        }

        /** @return the active fault, firing on the next matching request only */
        public FaultRule once() {
            return times(1);
        }

        /**
         * @param probability each matching request's chance, in (0, 1]
         * @param seed        the random seed, so a run repeats exactly
         * @return the active fault
         */
        public FaultRule rate(double probability, long seed) {
            return new FaultRule(plan.addRate(operation, kind, latency, probability, seed));
        }

        /** @return the active fault, firing on every matching request */
        public FaultRule always() {
            return new FaultRule(plan.addAlways(operation, kind, latency));
        }
    }
}
