package io.k0rdent.ops.support.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.PropertySourcePropertyResolver;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailureRetrySettingsTest {

    private static FailureRetrySettings bind(Map<String, Object> properties) {
        return FailureRetrySettings.bind(
                new PropertySourcePropertyResolver(PropertySource.of("test", properties)), "k0rdent.svc");
    }

    @Test
    void unsetKeysTakeTheSharedDefaults() {
        assertThat(bind(Map.of())).isEqualTo(FailureRetrySettings.DEFAULTS);
        assertThat(FailureRetrySettings.DEFAULTS).isEqualTo(new FailureRetrySettings(true, Duration.ofSeconds(30),
                Duration.ofMinutes(30), 10, Duration.ofSeconds(5)));
    }

    @Test
    void keysUnderTheServicePrefixAreBound() {
        FailureRetrySettings settings = bind(Map.of(
                "k0rdent.svc.failure-retry.enabled", "false",
                // Durations as values: turning "200ms" into one is the service's environment's job (its
                // conversion service), which a bare resolver does not have; FailureRetryIT covers that.
                "k0rdent.svc.failure-retry.initial-delay", Duration.ofMillis(200),
                "k0rdent.svc.failure-retry.max-delay", Duration.ofSeconds(1),
                "k0rdent.svc.failure-retry.max-attempts", "3",
                "k0rdent.svc.failure-retry.check-interval", Duration.ofMillis(100),
                "k0rdent.other.failure-retry.max-attempts", "99"));

        assertThat(settings).isEqualTo(new FailureRetrySettings(false, Duration.ofMillis(200), Duration.ofSeconds(1),
                3, Duration.ofMillis(100)));
    }

    @Test
    void disabledRetriesAllowNoAttempt() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        FailureRetrySettings enabled = FailureRetrySettings.DEFAULTS;
        FailureRetrySettings disabled = new FailureRetrySettings(false, enabled.initialDelay(), enabled.maxDelay(),
                enabled.maxAttempts(), enabled.checkInterval());

        assertThat(enabled.backoff(() -> 0.5).next(1, now)).isPresent();
        assertThat(disabled.backoff(() -> 0.5).next(1, now)).isEmpty();
    }
}
