package dev.stepwise.core.notify;

/** When in a plan run or rollout a notice is sent. */
public enum Moment {
    /** A plan run or rollout is about to start. */
    BEFORE_START,
    /** A rollout's wave is about to start (sent by an {@link Announcement}, which may then wait a lead time). */
    BEFORE_WAVE,
    /** A rollout is about to ask for an approval. */
    APPROVAL_REQUESTED,
    /** A plan run failed or was cancelled; a rollout halted or was cancelled. */
    FAILED,
    /** A plan run or rollout finished as intended. */
    COMPLETED
}
