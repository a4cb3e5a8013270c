package dev.stepwise.core.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One retry machinery for steps, notifiers and callers' own code: the schedule follows every rule of its policy. */
class RetryScheduleTest {

    @Test
    void afterFailure_backsOffUpToTheMaximumAndStopsWhenAttemptsAreUsedUp() {
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(4)
                .backoff(Duration.ofSeconds(1), Duration.ofSeconds(3), 2.0).build();
        RetrySchedule s = policy.schedule();

        assertThat(s.afterFailure(new IOException("1"))).contains(Duration.ofSeconds(1));
        assertThat(s.afterFailure(new IOException("2"))).contains(Duration.ofSeconds(2));
        assertThat(s.afterFailure(new IOException("3"))).contains(Duration.ofSeconds(3));
        assertThat(s.afterFailure(new IOException("4"))).as("the fourth attempt was the last").isEmpty();
        assertThat(s.failures()).isEqualTo(4);
    }

    @Test
    void afterFailure_whenTheFailureIsAbortedOrNotRetried_stopsAtOnce() {
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(5).delay(Duration.ofMillis(10))
                .retryOn(IOException.class).abortOn(FileNotFoundException.class).build();

        assertThat(policy.schedule().afterFailure(new FileNotFoundException("gone"))).isEmpty();
        assertThat(policy.schedule().afterFailure(new IllegalStateException("not an I/O failure"))).isEmpty();
        assertThat(policy.schedule().afterFailure(new IOException("reset"))).contains(Duration.ofMillis(10));
    }

    @Test
    void afterFailure_withJitter_staysWithinItsBand() {
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(50).delay(Duration.ofSeconds(10)).jitter(0.2).build();
        RetrySchedule s = policy.schedule();

        for (int i = 0; i < 49; i++) {
            assertThat(s.afterFailure(new IOException("x")).orElseThrow())
                    .isBetween(Duration.ofSeconds(8), Duration.ofSeconds(12));
        }
        assertThat(s.afterFailure(new IOException("x"))).isEmpty();
    }

    @Test
    void schedules_areIndependent() {
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(2).delay(Duration.ofSeconds(1)).build();
        RetrySchedule first = policy.schedule();
        first.afterFailure(new IOException("a"));
        first.afterFailure(new IOException("b"));

        assertThat(policy.schedule().afterFailure(new IOException("c"))).contains(Duration.ofSeconds(1));
    }
}
