package dev.stepwise.temporal;

import java.time.Duration;

/** A worker's activity timeouts, shared by the workflows it runs. */
record WorkerSettings(Duration heartbeatTimeout, Duration heartbeatEvery, Duration stepTimeout,
        int lostReadOnlyAttempts) {
}
