package io.k0rdent.ops.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(10),
            Duration.ofMinutes(5));

    @Test
    void doublesUpToTheCap() {
        assertThat(policy.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.backoff(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(policy.backoff(5)).isEqualTo(Duration.ofSeconds(10));
        assertThat(policy.backoff(50)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void capsRetryAfter() {
        assertThat(policy.retryAfter(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(policy.retryAfter(Duration.ofDays(1))).isEqualTo(Duration.ofMinutes(5));
    }
}
