package io.k0rdent.ops.support.retry;

import io.micronaut.core.value.PropertyResolver;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How a retryable failure is tried again without anyone asking: capped exponential backoff with jitter, a bounded
 * number of attempts. One shape for every service that retries ({@code k0rdent.provisioner.failure-retry},
 * {@code k0rdent.bootstrap.failure-retry}), with the same keys and defaults.
 *
 * @param enabled       whether failures are retried automatically at all
 * @param initialDelay  the pause after the first failure
 * @param maxDelay      the longest pause
 * @param maxAttempts   how many failures in a row are retried; then a Git change or {@code k0ops reconcile} is needed
 * @param checkInterval how often due retries are looked for
 */
public record FailureRetrySettings(boolean enabled, Duration initialDelay, Duration maxDelay, int maxAttempts,
                                   Duration checkInterval) {

    /** The key under a service's prefix, e.g. {@code k0rdent.bootstrap.failure-retry}. */
    public static final String KEY = "failure-retry";

    public static final FailureRetrySettings DEFAULTS =
            new FailureRetrySettings(true, Duration.ofSeconds(30), Duration.ofMinutes(30), 10, Duration.ofSeconds(5));

    /**
     * The settings under {@code <servicePrefix>.failure-retry.*} ({@code enabled}, {@code initial-delay},
     * {@code max-delay}, {@code max-attempts}, {@code check-interval}), each defaulting to {@link #DEFAULTS}.
     * Bound here rather than by a {@code @ConfigurationProperties} type per service, so that the shape and the
     * defaults exist once.
     */
    public static FailureRetrySettings bind(PropertyResolver properties, String servicePrefix) {
        String prefix = servicePrefix + "." + KEY + ".";
        return new FailureRetrySettings(
                properties.getProperty(prefix + "enabled", Boolean.class, DEFAULTS.enabled()),
                properties.getProperty(prefix + "initial-delay", Duration.class, DEFAULTS.initialDelay()),
                properties.getProperty(prefix + "max-delay", Duration.class, DEFAULTS.maxDelay()),
                properties.getProperty(prefix + "max-attempts", Integer.class, DEFAULTS.maxAttempts()),
                properties.getProperty(prefix + "check-interval", Duration.class, DEFAULTS.checkInterval()));
    }

    /** The backoff these settings describe; it allows no attempt at all when retries are disabled. */
    public RetryBackoff backoff(DoubleSupplier random) {
        return new RetryBackoff(initialDelay, maxDelay, enabled ? maxAttempts : 0, random);
    }
}
