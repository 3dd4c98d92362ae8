package io.k0rdent.ops.contracts.event;

import java.time.Instant;

/**
 * A service's automatic retry of a retryable failure, as its failure event reports it.
 *
 * @param attempt the number of failures in a row for this cluster, this one included
 * @param nextAt  when the service tries again by itself; {@code null} when it does not (not retryable, or its attempts
 *                are spent): a Git change or {@code k0ops reconcile} does
 */
public record FailureRetry(int attempt, Instant nextAt) {
}
