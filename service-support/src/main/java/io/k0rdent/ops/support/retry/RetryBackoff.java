package io.k0rdent.ops.support.retry;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When to try a failed piece of work again: capped exponential backoff with jitter (each delay drawn from 80–120 % of
 * {@code initial × 2^(failures − 1)}, at most {@code max}), and a bound on the attempts, after which only a person or
 * a new desired state starts it again. The jitter keeps many clusters that failed together (a throttled account, an
 * outage) from retrying together.
 */
public final class RetryBackoff {

    private final Duration initial;
    private final Duration max;
    private final int maxAttempts;
    private final DoubleSupplier random;

    /**
     * @param maxAttempts how many failures in a row are retried automatically
     * @param random      uniform in [0, 1)
     */
    public RetryBackoff(Duration initial, Duration max, int maxAttempts, DoubleSupplier random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || maxAttempts < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max and maxAttempts >= 0");
        }
        this.initial = initial;
        this.max = max;
        this.maxAttempts = maxAttempts;
        this.random = random;
    }

    /** When to try again after the {@code failures}-th failure in a row at {@code now}; empty when spent. */
    public Optional<Instant> next(int failures, Instant now) {
        if (failures < 1 || failures > maxAttempts) {
            return Optional.empty();
        }
        return Optional.of(now.plus(delay(failures)));
    }

    Duration delay(int failures) {
        double base = initial.toMillis() * Math.pow(2, Math.min(failures - 1, 30));
        double capped = Math.min(base, max.toMillis());
        double jittered = capped * (0.8 + 0.4 * random.getAsDouble());
        return Duration.ofMillis((long) Math.min(jittered, max.toMillis()));
    }
}
