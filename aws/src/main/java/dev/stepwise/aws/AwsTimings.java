package dev.stepwise.aws;

import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.poll.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.immutables.value.Value;

/**
 * Every wait, poll interval and timeout of Stepwise's AWS steps, with production defaults; tests set them
 * to milliseconds. Each wait is a {@link Poll} with the poll interval and one of the timeouts, so it runs on
 * the runner's clock (virtual in unit tests), stops at cancellation, and ends in a
 * {@link dev.stepwise.core.poll.PollTimeoutException} (or the step's own failure naming it) when time runs out.
 *
 * <p>Defaults (of {@link #defaults()} and of a new {@link #builder()}): poll every 5 s; an instance reaches a state
 * within 15 min; a graceful stop gets 10 min before a force stop; an AMI is available within 90 min; a Run Command
 * finishes within 30 min; an Automation execution within 3 h. Every value must be positive and at most
 * {@link Poll#MAX_DURATION} (30 days), checked by {@link Builder#build()} so that no step fails on its settings
 * after it has changed something; every wait that breaks a rule is listed in one {@link PlanValidationException}.
 * Immutable and thread-safe; {@link #toBuilder()} starts a changed copy, and
 * {@link AwsContext.Builder#timings(java.util.function.Consumer)} changes a context's timings in place.
 *
 * <pre>{@code
 * AwsTimings fast = AwsTimings.defaults().toBuilder().
 *     pollInterval(Duration.ofMillis(10)).
 *     build();
 * }</pre>
 */
@Value.Immutable
public abstract class AwsTimings {

    private static final AwsTimings DEFAULTS = builder().build();

    AwsTimings() {
    }

    /** The production defaults listed above. */
    public static AwsTimings defaults() {
        return DEFAULTS;
    }

    /** Every wait set to {@code d} and every timeout to 1000 × {@code d}: for tests against local stand-ins. */
    public static AwsTimings allOf(Duration d) {
        Duration timeout = d.multipliedBy(1000);
        return builder().pollInterval(d).instanceStateTimeout(timeout).stopTimeout(timeout).imageTimeout(timeout)
                .commandTimeout(timeout).automationTimeout(timeout).build();
    }

    /** A builder holding the production defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these timings. */
    public Builder toBuilder() {
        return new Builder().from(this);
    }

    /** How long to wait between two polls of a state (default 5 s). */
    @Value.Default
    public Duration pollInterval() {
        return Duration.ofSeconds(5);
    }

    /** How long an instance may take to reach running or stopped (default 15 min). */
    @Value.Default
    public Duration instanceStateTimeout() {
        return Duration.ofMinutes(15);
    }

    /** How long a graceful stop may take before a force stop (default 10 min). */
    @Value.Default
    public Duration stopTimeout() {
        return Duration.ofMinutes(10);
    }

    /** How long a new AMI may take to become available (default 90 min). */
    @Value.Default
    public Duration imageTimeout() {
        return Duration.ofMinutes(90);
    }

    /** How long a Run Command may take on all its instances (default 30 min). */
    @Value.Default
    public Duration commandTimeout() {
        return Duration.ofMinutes(30);
    }

    /** How long an Automation execution may take (default 3 h). */
    @Value.Default
    public Duration automationTimeout() {
        return Duration.ofHours(3);
    }

    @Value.Check
    void check() {
        List<String> problems = new ArrayList<>();
        check("pollInterval", pollInterval(), problems);
        check("instanceStateTimeout", instanceStateTimeout(), problems);
        check("stopTimeout", stopTimeout(), problems);
        check("imageTimeout", imageTimeout(), problems);
        check("commandTimeout", commandTimeout(), problems);
        check("automationTimeout", automationTimeout(), problems);
        if (!problems.isEmpty()) {
            throw new PlanValidationException("AwsTimings", problems);
        }
    }

    private static void check(String name, Duration d, List<String> problems) {
        if (d.isZero() || d.isNegative()) {
            problems.add(name + " " + d + " must be positive");
        } else if (d.compareTo(Poll.MAX_DURATION) > 0) {
            problems.add(name + " " + d + " must be at most " + Poll.MAX_DURATION + " (30 days)");
        }
    }

    /**
     * Builds {@link AwsTimings}, starting from the production defaults; each setter sets one wait, and
     * {@link #build()} reports every bad one in one {@link PlanValidationException}. Not thread-safe; reusable.
     */
    public static final class Builder extends ImmutableAwsTimings.Builder {
        Builder() {
        }
    }
}
