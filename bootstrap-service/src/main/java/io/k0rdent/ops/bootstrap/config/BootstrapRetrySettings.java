package io.k0rdent.ops.bootstrap.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How a retryable bootstrap failure is tried again without anyone asking, bound from
 * {@code k0rdent.bootstrap.failure-retry}: capped exponential backoff with jitter, a bounded number of attempts (the
 * provisioner's {@code k0rdent.provisioner.failure-retry} has the same meaning and defaults).
 *
 * @param enabled       whether failures are retried automatically at all
 * @param initialDelay  the pause after the first failure
 * @param maxDelay      the longest pause
 * @param maxAttempts   how many failures in a row are retried; then a Git change or {@code k0ops reconcile} is needed
 * @param checkInterval how often due retries are looked for
 */
@ConfigurationProperties("k0rdent.bootstrap.failure-retry")
public record BootstrapRetrySettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "30s") Duration initialDelay,
        @Bindable(defaultValue = "30m") Duration maxDelay,
        @Bindable(defaultValue = "10") int maxAttempts,
        @Bindable(defaultValue = "5s") Duration checkInterval) {
}
