package io.k0rdent.ops.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class HttpOutcomesTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void classifiesStatusCodes() {
        assertThat(HttpOutcomes.classify(200, "ok", null, clock)).isInstanceOf(SendOutcome.Delivered.class);
        assertThat(HttpOutcomes.classify(429, "", "7", clock))
                .isEqualTo(new SendOutcome.RetryLater(Duration.ofSeconds(7), "HTTP 429"));
        assertThat(HttpOutcomes.classify(500, "oops", null, clock)).isInstanceOf(SendOutcome.RetryLater.class);
        assertThat(HttpOutcomes.classify(404, "no_service", null, clock))
                .isEqualTo(new SendOutcome.PermanentFailure("HTTP 404 no_service"));
        assertThat(HttpOutcomes.classify(403, "action_prohibited", null, clock))
                .isInstanceOf(SendOutcome.PermanentFailure.class);
    }

    @Test
    void readsRetryAfterAsSecondsOrHttpDate() {
        assertThat(HttpOutcomes.parseRetryAfter("30", clock)).isEqualTo(Duration.ofSeconds(30));
        assertThat(HttpOutcomes.parseRetryAfter("Wed, 25 Nov 2026 10:01:00 GMT", clock))
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(HttpOutcomes.parseRetryAfter("soon", clock)).isNull();
    }
}
