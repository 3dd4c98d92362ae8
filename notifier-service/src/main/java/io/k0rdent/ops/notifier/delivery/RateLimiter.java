package io.k0rdent.ops.notifier.delivery;

import java.time.Duration;
import java.time.Instant;

/**
 * Spaces the sends to one destination: at most one per {@code minInterval} (Slack incoming webhooks allow
 * about one message per second), and none before a time the destination asked for (HTTP 429
 * {@code Retry-After}) or a retry backoff ends.
 *
 * <p>Not thread-safe: each {@link DestinationWorker} owns one and uses it from its single thread.
 */
public final class RateLimiter {

    private final Duration minInterval;
    private Instant nextAllowed = Instant.MIN;

    public RateLimiter(Duration minInterval) {
        if (minInterval.isNegative()) {
            throw new IllegalArgumentException("minInterval must not be negative: " + minInterval);
        }
        this.minInterval = minInterval;
    }

    /** How long to wait from {@code now} before the next send; zero when one may go now. */
    public Duration delay(Instant now) {
        return now.isBefore(nextAllowed) ? Duration.between(now, nextAllowed) : Duration.ZERO;
    }

    /** Records a send started at {@code now}. */
    public void onSend(Instant now) {
        pauseUntil(now.plus(minInterval));
    }

    /** No send before {@code until} (never moves the next allowed time backwards). */
    public void pauseUntil(Instant until) {
        if (until.isAfter(nextAllowed)) {
            nextAllowed = until;
        }
    }
}
