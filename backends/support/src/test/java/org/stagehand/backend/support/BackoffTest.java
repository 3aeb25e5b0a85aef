package org.stagehand.backend.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void firstRetryWaitsTheInitialDelay() {
        Backoff backoff = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(10));

        assertThat(backoff.after(1)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void doublesWithEachAttempt() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofHours(1));

        assertThat(backoff.after(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.after(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(backoff.after(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(backoff.after(11)).isEqualTo(Duration.ofSeconds(1024));
        for (int attempt = 2; attempt <= 12; attempt++) {
            assertThat(backoff.after(attempt)).isEqualTo(backoff.after(attempt - 1).multipliedBy(2));
        }
    }

    @Test
    void doublesSubSecondDelaysExactly() {
        Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofMinutes(1));

        assertThat(backoff.after(2)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.after(3)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void isCappedAtTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(10));

        // 5 s * 2^7 = 640 s would exceed 600 s; 5 s * 2^6 = 320 s does not
        assertThat(backoff.after(7)).isEqualTo(Duration.ofSeconds(320));
        assertThat(backoff.after(8)).isEqualTo(Duration.ofMinutes(10));
        assertThat(backoff.after(9)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void neverExceedsTheMaximumAndNeverShrinks() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30));
        Duration previous = Duration.ZERO;

        for (int attempt = 1; attempt <= 200; attempt++) {
            Duration delay = backoff.after(attempt);
            assertThat(delay).isLessThanOrEqualTo(Duration.ofSeconds(30)).isGreaterThanOrEqualTo(previous);
            previous = delay;
        }
        assertThat(previous).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void staysAtTheCapForHugeAttemptNumbers() {
        Backoff backoff = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(10));

        assertThat(backoff.after(64)).isEqualTo(Duration.ofMinutes(10));
        assertThat(backoff.after(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void maximumBelowTheInitialDelayWins() {
        Backoff backoff = new Backoff(Duration.ofMinutes(5), Duration.ofMinutes(1));

        assertThat(backoff.after(1)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void attemptBelowOneWaitsTheInitialDelay() {
        Backoff backoff = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(10));

        assertThat(backoff.after(0)).isEqualTo(Duration.ofSeconds(5));
        assertThat(backoff.after(-3)).isEqualTo(Duration.ofSeconds(5));
    }
}
