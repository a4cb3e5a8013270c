package dev.stepwise.aws.internal;

import dev.stepwise.core.plan.StepContext;
import java.time.Duration;
import java.time.Instant;

/** A point on the runner's clock by which a wait must be over. */
public record Deadline(Instant at, Duration timeout) {

    public static Deadline after(StepContext ctx, Duration timeout) {
        return new Deadline(ctx.now().plus(timeout), timeout);
    }

    public boolean passed(StepContext ctx) {
        return !ctx.now().isBefore(at);
    }
}
