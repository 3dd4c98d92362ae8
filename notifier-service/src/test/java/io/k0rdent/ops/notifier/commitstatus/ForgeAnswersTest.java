package io.k0rdent.ops.notifier.commitstatus;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.notifier.delivery.SendOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ForgeAnswersTest {

    private static final Instant NOW = Instant.parse("2026-11-25T09:30:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String WHERE = "GitHub repository acme/clusters";

    private SendOutcome classify(int status, String body, Map<String, String> headers) {
        return ForgeAnswers.classify(WHERE, status, body,
                name -> headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                        .map(Map.Entry::getValue).findFirst().orElse(null), clock);
    }

    @Test
    void createdIsDelivered() {
        assertThat(classify(201, "{\"id\":1}", Map.of())).isInstanceOf(SendOutcome.Delivered.class);
    }

    @Test
    void tooManyRequestsWaitsForRetryAfter() {
        assertThat(classify(429, "", Map.of("Retry-After", "7")))
                .isEqualTo(new SendOutcome.RetryLater(Duration.ofSeconds(7), WHERE + ": HTTP 429 (rate limited)"));
    }

    @Test
    void primaryRateLimitOn403WaitsUntilTheReset() {
        var outcome = classify(403, "{\"message\":\"API rate limit exceeded\"}",
                Map.of("x-ratelimit-remaining", "0", "x-ratelimit-reset", Long.toString(NOW.getEpochSecond() + 90)));

        assertThat(outcome).isInstanceOf(SendOutcome.RetryLater.class);
        assertThat(((SendOutcome.RetryLater) outcome).retryAfter()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void secondaryRateLimitWithoutHeadersWaitsAMinute() {
        var outcome = classify(403, "{\"message\":\"You have exceeded a secondary rate limit.\"}",
                Map.of("x-ratelimit-remaining", "4999"));

        assertThat(((SendOutcome.RetryLater) outcome).retryAfter()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void serverErrorsBackOff() {
        assertThat(classify(502, "", Map.of())).isEqualTo(new SendOutcome.RetryLater(null, WHERE + ": HTTP 502"));
    }

    @Test
    void unauthorisedForbiddenAndNotFoundArePermanentAndNameForgeAndRepository() {
        for (int status : new int[] {401, 403, 404, 422}) {
            var outcome = classify(status, "{\"message\":\"Bad credentials\"}", Map.of());
            assertThat(outcome).isInstanceOf(SendOutcome.PermanentFailure.class);
            assertThat(((SendOutcome.PermanentFailure) outcome).reason())
                    .startsWith(WHERE + ": HTTP " + status);
        }
    }
}
