package dev.stepwise.examples.bench;

import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.rollout.TargetSource;
import dev.stepwise.core.rollout.Wave;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A rollout of {@value #TARGETS} targets, each running a one-step no-op plan, in one wave at concurrency
 * {@value #CONCURRENCY}, on a virtual clock. One invocation is one whole rollout; the score is per target.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RolloutBenchmark {
    /** Targets in the rollout. */
    public static final int TARGETS = 10_000;
    /** Targets in flight at once. */
    public static final int CONCURRENCY = 500;

    private static final Key<String> INSTANCE_ID = Key.of("InstanceId", String.class);

    private Rollout rollout;

    @Setup
    public void rollout() {
        rollout = create();
    }

    /** The benchmarked rollout, shared with {@link BenchmarkMain}'s CPU and allocation measurement. */
    static Rollout create() {
        Plan plan = Plan.builder("noop-target")
                .input(Input.required(INSTANCE_ID))
                .step(Step.mutating("patch").reads(INSTANCE_ID).run(ctx -> ctx.get(INSTANCE_ID)))
                .build();
        List<String> targets = new ArrayList<>(TARGETS);
        for (int i = 0; i < TARGETS; i++) {
            targets.add("i-" + String.format("%017x", i));
        }
        return Rollout.builder("bench", plan).inputs(t -> Inputs.of(INSTANCE_ID, t))
                .wave(Wave.builder("fleet").targets(TargetSource.of(targets)).maxConcurrency(CONCURRENCY).build())
                .build();
    }

    /** Runs {@code rollout} once on a fresh virtual clock and checks every target succeeded. */
    static RolloutResult runOnce(Rollout rollout) {
        RolloutResult r = Runner.create().withTimeSource(VirtualTimeSource.create()).run(rollout);
        if (r.status() != RolloutStatus.SUCCEEDED) {
            throw new IllegalStateException("benchmark rollout did not succeed: " + r.status());
        }
        return r;
    }

    @Benchmark
    @OperationsPerInvocation(TARGETS)
    public RolloutResult tenThousandTargets() {
        return runOnce(rollout);
    }
}
