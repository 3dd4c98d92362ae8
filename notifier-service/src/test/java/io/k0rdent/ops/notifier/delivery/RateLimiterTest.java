package io.k0rdent.ops.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void allowsOneSendPerInterval() {
        RateLimiter limiter = new RateLimiter(Duration.ofSeconds(1));

        assertThat(limiter.delay(NOW)).isZero();
        limiter.onSend(NOW);
        assertThat(limiter.delay(NOW.plusMillis(300))).isEqualTo(Duration.ofMillis(700));
        assertThat(limiter.delay(NOW.plusSeconds(1))).isZero();
    }

    @Test
    void honoursAPauseLongerThanTheInterval() {
        RateLimiter limiter = new RateLimiter(Duration.ofSeconds(1));
        limiter.onSend(NOW);

        limiter.pauseUntil(NOW.plusSeconds(30));
        limiter.pauseUntil(NOW.plusSeconds(2)); // never moves back

        assertThat(limiter.delay(NOW.plusSeconds(1))).isEqualTo(Duration.ofSeconds(29));
    }
}
