package dev.stepwise.cli;

import dev.stepwise.core.rollout.RolloutEvent;
import dev.stepwise.core.rollout.RolloutListener;
import dev.stepwise.core.run.RunEvent;
import dev.stepwise.core.run.RunListener;
import java.io.PrintStream;
import java.util.Objects;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a run's or a rollout's progress while it goes, from its events: on a terminal a live progress bar per
 * wave (targets done of the wave's total, failures beside it) and per run (steps done, the current step beside
 * it); elsewhere — a CI log, a file, a pipe — one plain line per event, which logs keep and grep finds.
 *
 * <p>Events of a rollout arrive from several threads at once; every method here holds one lock, so lines never
 * interleave and a bar is never drawn half-updated. Close it to finish the last bar.
 */
final class Progress implements RunListener, RolloutListener, AutoCloseable {
    /** How progress is shown. */
    enum Mode {
        /** A bar when standard output is a terminal, else lines. */
        auto,
        /** A live progress bar. */
        bar,
        /** One plain line per event. */
        lines,
        /** Nothing. */
        none
    }

    private final PrintStream err;
    private final boolean bars;
    private final boolean silent;
    private ProgressBar waveBar;
    private ProgressBar runBar;
    private boolean rollout;

    private Progress(PrintStream err, boolean bars, boolean silent) {
        this.err = err;
        this.bars = bars;
        this.silent = silent;
    }

    /**
     * Progress on {@code err} as {@code mode} asks; {@code terminal} tells whether standard output is a terminal
     * (from {@code System.console()}), which decides {@link Mode#auto}.
     */
    static Progress of(Mode mode, boolean terminal, PrintStream err) {
        Objects.requireNonNull(mode, "mode");
        return switch (mode) {
            case auto -> new Progress(err, terminal, false);
            case bar -> new Progress(err, true, false);
            case lines -> new Progress(err, false, false);
            case none -> new Progress(err, false, true);
        };
    }

    /** Whether this shows live bars (otherwise lines, or nothing). */
    boolean showsBars() {
        return bars && !silent;
    }

    @Override
    public synchronized void onEvent(RunEvent e) {
        if (silent) {
            return;
        }
        if (bars) {
            // inside a rollout the wave's bar says enough; a single run gets a bar of its own
            if (rollout) {
                return;
            }
            if (e instanceof RunEvent.PlanStarted s) {
                closeRunBar();
                runBar = bar("run " + s.run().plan(), -1);
            } else if (runBar != null) {
                if (e instanceof RunEvent.StepStarted s) {
                    runBar.setExtraMessage(s.step());
                } else if (e instanceof RunEvent.RetryScheduled r) {
                    runBar.setExtraMessage(r.step() + ": retry " + r.nextAttempt() + " in " + r.delay());
                } else if (e instanceof RunEvent.StepSucceeded || e instanceof RunEvent.StepFailed
                        || e instanceof RunEvent.StepSkipped || e instanceof RunEvent.StepPredicted
                        || e instanceof RunEvent.CheckEvaluated) {
                    runBar.step();
                } else if (e instanceof RunEvent.PlanFinished f) {
                    runBar.setExtraMessage(f.status().name());
                    closeRunBar();
                }
            }
            return;
        }
        String where = e.run().target() == null ? "" : e.run().target() + ": ";
        if (e instanceof RunEvent.PlanStarted s) {
            err.println(where + (s.dryRun() ? "dry run of " : "run of ") + s.run().plan() + " started (" + s.run().runId() + ")");
        } else if (e instanceof RunEvent.StepStarted s) {
            err.println(where + "  " + s.step() + " ...");
        } else if (e instanceof RunEvent.RetryScheduled r) {
            err.println(where + "  " + r.step() + ": attempt " + (r.nextAttempt() - 1) + " failed, retry in " + r.delay());
        } else if (e instanceof RunEvent.StepSucceeded s) {
            err.println(where + "  " + s.step() + " succeeded" + (s.attempts() > 1 ? " after " + s.attempts() + " attempts" : ""));
        } else if (e instanceof RunEvent.StepFailed f) {
            err.println(where + "  " + f.step() + " FAILED after " + f.attempts() + " attempt(s): " + f.failure().message());
        } else if (e instanceof RunEvent.StepSkipped s) {
            err.println(where + "  " + s.step() + " skipped" + (s.reason().isEmpty() ? "" : ": " + s.reason()));
        } else if (e instanceof RunEvent.StepPredicted p) {
            err.println(where + "  " + p.step() + " predicted: " + p.predictions().size() + " call(s), none made");
        } else if (e instanceof RunEvent.CheckEvaluated c) {
            err.println(where + "  " + c.check() + ": " + c.outcome());
        } else if (e instanceof RunEvent.PlanFinished f) {
            err.println(where + "run of " + f.run().plan() + " finished: " + f.status());
        }
    }

    @Override
    public synchronized void onEvent(RolloutEvent e) {
        if (silent) {
            return;
        }
        if (e instanceof RolloutEvent.RolloutStarted) {
            rollout = true;
        }
        if (bars) {
            if (e instanceof RolloutEvent.WaveStarted w) {
                closeWaveBar();
                waveBar = bar("wave " + w.wave(), w.total());
            } else if (e instanceof RolloutEvent.TargetFinished t && waveBar != null) {
                waveBar.stepTo(t.progress().done());
                waveBar.setExtraMessage(t.progress().failed() + " failed, " + t.progress().inFlight() + " in flight");
            } else if (e instanceof RolloutEvent.WaveFinished w && waveBar != null) {
                waveBar.setExtraMessage(w.status().name());
                closeWaveBar();
            } else if (e instanceof RolloutEvent.CheckpointStarted c) {
                closeWaveBar();
                err.println("before " + c.wave() + ": " + c.kind().name().toLowerCase(java.util.Locale.ROOT) + " "
                        + c.description() + " ...");
            } else if (e instanceof RolloutEvent.CheckpointFinished c) {
                err.println("before " + c.wave() + ": " + c.result());
            } else if (e instanceof RolloutEvent.RolloutFinished f) {
                closeWaveBar();
                err.println("rollout " + f.rollout() + " " + f.status() + (f.reason().isEmpty() ? "" : ": " + f.reason()));
            }
            return;
        }
        if (e instanceof RolloutEvent.RolloutStarted s) {
            err.println((s.dryRun() ? "dry run of rollout " : "rollout ") + s.rollout() + " started (" + s.rolloutId()
                    + "), waves " + String.join(", ", s.waves()));
        } else if (e instanceof RolloutEvent.WaveStarted w) {
            err.println("wave " + w.wave() + ": " + w.total() + " target(s), up to " + w.concurrency() + " at once");
        } else if (e instanceof RolloutEvent.TargetFinished t) {
            err.println("  " + t.wave() + " " + t.target() + " " + t.status() + " (" + t.progress() + ")");
        } else if (e instanceof RolloutEvent.CheckpointStarted c) {
            err.println("before " + c.wave() + ": " + c.kind().name().toLowerCase(java.util.Locale.ROOT) + " "
                    + c.description() + " ...");
        } else if (e instanceof RolloutEvent.CheckpointFinished c) {
            err.println("before " + c.wave() + ": " + c.result());
        } else if (e instanceof RolloutEvent.WaveFinished w) {
            err.println("wave " + w.wave() + " " + w.status() + (w.reason().isEmpty() ? "" : ": " + w.reason()));
        } else if (e instanceof RolloutEvent.RolloutFinished f) {
            err.println("rollout " + f.rollout() + " " + f.status() + (f.reason().isEmpty() ? "" : ": " + f.reason()));
        }
    }

    private ProgressBar bar(String task, long max) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(err)).setUpdateIntervalMillis(250).build();
    }

    private void closeWaveBar() {
        if (waveBar != null) {
            waveBar.close();
            waveBar = null;
        }
    }

    private void closeRunBar() {
        if (runBar != null) {
            runBar.close();
            runBar = null;
        }
    }

    @Override
    public synchronized void close() {
        closeWaveBar();
        closeRunBar();
    }
}
