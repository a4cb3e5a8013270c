package dev.stepwise.aws.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** The faults registered on a proxy and the decision, per request, of which one fires. Thread-safe. */
final class FaultPlan {

    /** Any operation. */
    public static final String ANY = "*";

    /** What a fault does. */
    public enum Kind {
        THROTTLE, HTTP_500, HTTP_503, LATENCY, DROP_CONNECTION
    }

    /** One registered fault: where, what, and how often. */
    public static final class Rule {
        private final String operation;
        private final Kind kind;
        private final Duration latency;
        private final int times;
        private final double rate;
        private final Random random;
        private final AtomicLong injected = new AtomicLong();
        private int remaining;
        private volatile boolean removed;

        Rule(String operation, Kind kind, Duration latency, int times, double rate, Long seed) {
            this.operation = Objects.requireNonNull(operation, "operation");
            this.kind = Objects.requireNonNull(kind, "kind");
            this.latency = latency;
            this.times = times;
            this.remaining = times;
            this.rate = rate;
            this.random = seed == null ? null : new Random(seed);
        }

        synchronized boolean fire(String op) {
            if (removed || !(operation.equals(ANY) || operation.equals(op))) {
                return false;
            }
            boolean fires;
            if (random != null) {
                fires = random.nextDouble() < rate;
            } else if (times >= 0) {
                fires = remaining > 0;
                if (fires) {
                    remaining--;
                }
            } else {
                fires = true;
            }
            if (fires) {
                injected.incrementAndGet();
            }
            return fires;
        }

        public String operation() {
            return operation;
        }

        public Kind kind() {
            return kind;
        }

        public Duration latency() {
            return latency;
        }

        public long injected() {
            return injected.get();
        }

        public void remove() {
            removed = true;
        }

        @Override
        public String toString() {
            String how = random != null ? "rate " + rate : times >= 0 ? times + " times" : "always";
            return kind + (kind == Kind.LATENCY ? " " + latency.toMillis() + " ms" : "") + " on " + operation
                    + ", " + how + ", injected " + injected.get();
        }
    }

    /** The outcome for one request: latency to add, and the error fault that fires, if any. */
    public record Decision(Duration latency, Optional<Kind> error) {
    }

    private final List<Rule> rules = new CopyOnWriteArrayList<>();

    public Rule addTimes(String operation, Kind kind, Duration latency, int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times " + times + " is less than 1; a fault must fire at least once");
        }
        return add(new Rule(operation, kind, latency, times, 0, null));
    }

    public Rule addRate(String operation, Kind kind, Duration latency, double rate, long seed) {
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("rate " + rate + " is outside (0, 1]");
        }
        return add(new Rule(operation, kind, latency, -1, rate, seed));
    }

    public Rule addAlways(String operation, Kind kind, Duration latency) {
        return add(new Rule(operation, kind, latency, -1, 0, null));
    }

    private Rule add(Rule rule) {
        rules.add(rule);
        return rule;
    }

    /** Decides for one request; every latency rule that fires adds up, the first error rule that fires wins. */
    public Decision decide(String operation) {
        Duration latency = Duration.ZERO;
        Kind error = null;
        for (Rule rule : rules) {
            if (rule.kind == Kind.LATENCY) {
                if (rule.fire(operation)) {
                    latency = latency.plus(rule.latency);
                }
            } else if (error == null && rule.fire(operation)) {
                error = rule.kind;
            }
        }
        return new Decision(latency, Optional.ofNullable(error));
    }

    public List<Rule> rules() {
        return List.copyOf(rules);
    }

    public void clear() {
        rules.forEach(Rule::remove);
        rules.clear();
    }
}
