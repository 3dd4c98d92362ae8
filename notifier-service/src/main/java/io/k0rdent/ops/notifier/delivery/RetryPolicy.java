package io.k0rdent.ops.notifier.delivery;

import java.time.Duration;

/**
 * How a worker retries a destination that answered "try again later".
 *
 * @param maxAttempts    attempts per message before it is given up (reported as a non-permanent failure)
 * @param initialBackoff wait after the first failed attempt; doubles per attempt
 * @param maxBackoff     cap of the doubling
 * @param maxRetryAfter  cap on a destination's {@code Retry-After}, so a bogus answer cannot park a destination for days
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** The wait after failed attempt number {@code attempt} (1-based) when the destination did not say. */
    public Duration backoff(int attempt) {
        Duration wait = initialBackoff;
        for (int i = 1; i < attempt && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }

    /** The wait the destination asked for, capped. */
    public Duration retryAfter(Duration requested) {
        if (requested == null || requested.isNegative()) {
            return Duration.ZERO;
        }
        return requested.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : requested;
    }
}
