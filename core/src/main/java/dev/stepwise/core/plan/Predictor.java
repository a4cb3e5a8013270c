package dev.stepwise.core.plan;

import java.util.List;

/** Says what a MUTATING step would do, for a dry run, from the facts the run has gathered so far. */
@FunctionalInterface
public interface Predictor {
    List<Prediction> predict(StepContext ctx) throws Exception;
}
