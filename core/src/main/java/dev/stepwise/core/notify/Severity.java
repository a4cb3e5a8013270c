package dev.stepwise.core.notify;

/** How urgent a notice is; notifiers may map it to a channel, a colour or a subject prefix. */
public enum Severity {
    /** For information: a change is planned, has started or has finished well. */
    INFO,
    /** Someone may need to act: an approval is waiting. */
    WARNING,
    /** The change failed, halted or was cancelled. */
    CRITICAL
}
