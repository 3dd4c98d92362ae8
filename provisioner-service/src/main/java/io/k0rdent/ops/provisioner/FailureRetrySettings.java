package io.k0rdent.ops.provisioner;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How a retryable failure is tried again without anyone asking, bound from
 * {@code k0rdent.provisioner.failure-retry}: capped exponential backoff with jitter, a bounded number of attempts.
 *
 * @param initialDelay  the pause after the first failure
 * @param maxDelay      the longest pause
 * @param maxAttempts   how many failures in a row are retried; then a Git change or {@code k0ops reconcile} is needed
 * @param checkInterval how often due retries are looked for
 */
@ConfigurationProperties("k0rdent.provisioner.failure-retry")
public record FailureRetrySettings(
        @Bindable(defaultValue = "30s") Duration initialDelay,
        @Bindable(defaultValue = "30m") Duration maxDelay,
        @Bindable(defaultValue = "10") int maxAttempts,
        @Bindable(defaultValue = "5s") Duration checkInterval) {
}
