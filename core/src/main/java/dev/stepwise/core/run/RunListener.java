package dev.stepwise.core.run;

/**
 * Receives a run's events, in order, on the thread running the plan. Keep it quick; a listener that throws
 * is logged and ignored, and never fails the run.
 */
@FunctionalInterface
public interface RunListener {
    void onEvent(RunEvent event);
}
