package dev.stepwise.core.plan;

/** What a step does to the world: a dry run executes {@link #READ_ONLY} steps and only predicts {@link #MUTATING} ones. */
public enum Effect {
    /** Reads facts and changes nothing; safe to run in a dry run. */
    READ_ONLY,
    /** Changes something; a dry run records what it would do instead of doing it. */
    MUTATING
}
