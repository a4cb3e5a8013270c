package dev.stepwise.aws;

import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.poll.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Every wait, poll interval and timeout of Stepwise's AWS steps, with production defaults; tests set them
 * to milliseconds. Each wait is a {@link Poll} with the poll interval and one of the timeouts, so it runs on
 * the runner's clock (virtual in unit tests), stops at cancellation, and ends in a
 * {@link dev.stepwise.core.poll.PollTimeoutException} (or the step's own failure naming it) when time runs out.
 *
 * <p>Defaults: poll every 5 s; an instance reaches a state within 15 min; a graceful stop gets 10 min
 * before a force stop; an AMI is available within 90 min; a Run Command finishes within 30 min; an
 * Automation execution within 3 h. Every value must be positive and at most {@link Poll#MAX_DURATION}
 * (30 days), checked here so that no step fails on its settings after it has changed something; every wait that
 * breaks a rule is listed in one {@link PlanValidationException}. Immutable and thread-safe.
 *
 * <pre>{@code
 * AwsTimings fast = AwsTimings.defaults().withPollInterval(Duration.ofMillis(10));
 * }</pre>
 *
 * @param pollInterval         how long to wait between two polls of a state
 * @param instanceStateTimeout how long an instance may take to reach running or stopped
 * @param stopTimeout          how long a graceful stop may take before a force stop
 * @param imageTimeout         how long a new AMI may take to become available
 * @param commandTimeout       how long a Run Command may take on all its instances
 * @param automationTimeout    how long an Automation execution may take
 */
public record AwsTimings(Duration pollInterval, Duration instanceStateTimeout, Duration stopTimeout,
        Duration imageTimeout, Duration commandTimeout, Duration automationTimeout) {

    private static final AwsTimings DEFAULTS = new AwsTimings(Duration.ofSeconds(5), Duration.ofMinutes(15),
            Duration.ofMinutes(10), Duration.ofMinutes(90), Duration.ofMinutes(30), Duration.ofHours(3));

    public AwsTimings {
        List<String> problems = new ArrayList<>();
        check("pollInterval", pollInterval, problems);
        check("instanceStateTimeout", instanceStateTimeout, problems);
        check("stopTimeout", stopTimeout, problems);
        check("imageTimeout", imageTimeout, problems);
        check("commandTimeout", commandTimeout, problems);
        check("automationTimeout", automationTimeout, problems);
        if (!problems.isEmpty()) {
            throw new PlanValidationException("AwsTimings", problems);
        }
    }

    private static void check(String name, Duration d, List<String> problems) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            problems.add(name + " " + d + " must be positive");
        } else if (d.compareTo(Poll.MAX_DURATION) > 0) {
            problems.add(name + " " + d + " must be at most " + Poll.MAX_DURATION + " (30 days)");
        }
    }

    /** The production defaults listed above. */
    public static AwsTimings defaults() {
        return DEFAULTS;
    }

    /** Every wait and timeout set to {@code d}: for tests against local stand-ins. */
    public static AwsTimings allOf(Duration d) {
        return new AwsTimings(d, d.multipliedBy(1000), d.multipliedBy(1000), d.multipliedBy(1000), d.multipliedBy(1000),
                d.multipliedBy(1000));
    }

    public AwsTimings withPollInterval(Duration d) {
        return new AwsTimings(d, instanceStateTimeout, stopTimeout, imageTimeout, commandTimeout, automationTimeout);
    }

    public AwsTimings withInstanceStateTimeout(Duration d) {
        return new AwsTimings(pollInterval, d, stopTimeout, imageTimeout, commandTimeout, automationTimeout);
    }

    public AwsTimings withStopTimeout(Duration d) {
        return new AwsTimings(pollInterval, instanceStateTimeout, d, imageTimeout, commandTimeout, automationTimeout);
    }

    public AwsTimings withImageTimeout(Duration d) {
        return new AwsTimings(pollInterval, instanceStateTimeout, stopTimeout, d, commandTimeout, automationTimeout);
    }

    public AwsTimings withCommandTimeout(Duration d) {
        return new AwsTimings(pollInterval, instanceStateTimeout, stopTimeout, imageTimeout, d, automationTimeout);
    }

    public AwsTimings withAutomationTimeout(Duration d) {
        return new AwsTimings(pollInterval, instanceStateTimeout, stopTimeout, imageTimeout, commandTimeout, d);
    }
}
