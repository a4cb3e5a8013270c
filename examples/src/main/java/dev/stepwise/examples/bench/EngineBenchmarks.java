package dev.stepwise.examples.bench;

import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The engine's cost per step: a plan of {@value #STEPS} no-op MUTATING steps run live, dry-run (each step
 * predicted), and live with the file journal. Scores are per step ({@code @OperationsPerInvocation}).
 *
 * <p>Run through {@link BenchmarkMain}, or on its own with JMH's command line on the module's class path.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EngineBenchmarks {
    /** Steps in the benchmarked plan. */
    public static final int STEPS = 100;

    private Plan plan;
    private Runner live;
    private Runner dry;
    private Runner journaled;
    private Path journalDir;

    @Setup(Level.Trial)
    public void plan() {
        Plan.Builder b = Plan.builder("noop-" + STEPS);
        for (int i = 0; i < STEPS; i++) {
            b.step(Step.mutating("step-" + i).run(ctx -> { }));
        }
        plan = b.build();
        live = Runner.create();
        dry = Runner.create().dryRun();
    }

    /** A fresh journal directory per iteration, so file counts stay small and runs never collide. */
    @Setup(Level.Iteration)
    public void journal() throws IOException {
        journalDir = Files.createTempDirectory("stepwise-bench-journal");
        journaled = Runner.create().withJournal(JournalStore.directory(journalDir));
    }

    @TearDown(Level.Iteration)
    public void deleteJournal() {
        try (Stream<Path> files = Files.walk(journalDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public RunResult live() {
        return check(live.run(plan, Inputs.empty()));
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public RunResult dryRun() {
        return check(dry.run(plan, Inputs.empty()));
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public RunResult liveWithFileJournal() {
        return check(journaled.run(plan, Inputs.empty()));
    }

    private static RunResult check(RunResult r) {
        if (r.status() != RunStatus.SUCCEEDED) {
            throw new IllegalStateException("benchmark plan did not succeed: " + r);
        }
        return r;
    }
}
