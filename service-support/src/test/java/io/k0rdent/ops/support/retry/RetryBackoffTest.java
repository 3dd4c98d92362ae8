package io.k0rdent.ops.support.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {

    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    @Test
    void doublesFromTheInitialDelayUpToTheCapAndStopsAfterTheLastAttempt() {
        RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(30), Duration.ofMinutes(30), 10, () -> 0.5);
        assertThat(backoff.next(1, NOW)).contains(NOW.plusSeconds(30));
        assertThat(backoff.next(2, NOW)).contains(NOW.plusSeconds(60));
        assertThat(backoff.next(3, NOW)).contains(NOW.plusSeconds(120));
        assertThat(backoff.next(8, NOW)).contains(NOW.plus(Duration.ofMinutes(30)));
        assertThat(backoff.next(10, NOW)).isPresent();
        assertThat(backoff.next(11, NOW)).isEmpty();
        assertThat(backoff.next(0, NOW)).isEmpty();
    }

    @Test
    void jitterSpreadsDelaysWithinTwentyPercentAndNeverPastTheCap() {
        RetryBackoff low = new RetryBackoff(Duration.ofSeconds(30), Duration.ofMinutes(30), 10, () -> 0.0);
        RetryBackoff high = new RetryBackoff(Duration.ofSeconds(30), Duration.ofMinutes(30), 10, () -> 0.999);
        assertThat(low.delay(1)).isEqualTo(Duration.ofSeconds(24));
        assertThat(high.delay(1)).isBetween(Duration.ofSeconds(35), Duration.ofSeconds(36));
        assertThat(high.delay(9)).isEqualTo(Duration.ofMinutes(30));
    }
}
