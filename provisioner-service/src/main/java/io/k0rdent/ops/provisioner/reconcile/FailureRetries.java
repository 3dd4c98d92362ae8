package io.k0rdent.ops.provisioner.reconcile;

import io.k0rdent.ops.contracts.event.FailureRetry;
import io.k0rdent.ops.contracts.event.InfrastructureDestroyed;
import io.k0rdent.ops.contracts.event.InfrastructureEvent;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import io.k0rdent.ops.support.retry.FailureRetrySettings;
import io.k0rdent.ops.support.retry.RetryBackoff;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failures in a row per cluster and when to try again (issue 18 item 4). Each failure this process reports gets its
 * attempt number and next retry time ({@link FailureRetry}); a success or a new definition clears them.
 * Kept in memory by the replica that did the work: after a restart or a rebalance the count starts again, and the
 * drift pass still completes clusters that never converged.
 */
public class FailureRetries {

    /** One cluster's failures in a row; {@code nextAt} is {@code null} when no automatic retry is due. */
    public record Pending(int attempt, Instant nextAt) {
    }

    private final Map<String, Pending> clusters = new ConcurrentHashMap<>();
    private final RetryBackoff backoff;
    private final Clock clock;

    public FailureRetries(FailureRetrySettings settings, Clock clock) {
        Random random = new SecureRandom();
        this.backoff = new RetryBackoff(settings.initialDelay(), settings.maxDelay(), settings.maxAttempts(),
                random::nextDouble);
        this.clock = clock;
    }

    /**
     * A retry the infrastructure topic says is waiting (the cluster's last outcome was this failure, with its next
     * retry time), for a process that just took the cluster over. Never replaces what this process tracks already.
     */
    public void restore(String cluster, int attempt, Instant nextAt) {
        clusters.putIfAbsent(cluster, new Pending(attempt, nextAt));
    }

    /** A new desired state (a Git change): its failures count from one again. */
    public void reset(String cluster) {
        clusters.remove(cluster);
    }

    /**
     * Notes the outcome the events report: a failure gets its attempt number and, when retryable and attempts are
     * left, its next retry time (the returned list carries them); a provisioned or destroyed cluster is cleared.
     */
    public List<InfrastructureEvent> track(String cluster, List<InfrastructureEvent> events) {
        List<InfrastructureEvent> tracked = new ArrayList<>(events.size());
        for (InfrastructureEvent event : events) {
            if (event instanceof ProvisioningFailed failed) {
                Pending pending = clusters.compute(cluster, (name, before) -> {
                    int attempt = before == null ? 1 : before.attempt() + 1;
                    Instant next = failed.retryable() ? backoff.next(attempt, clock.instant()).orElse(null) : null;
                    return new Pending(attempt, next);
                });
                tracked.add(failed.withRetry(new FailureRetry(pending.attempt(), pending.nextAt())));
            } else {
                if (event instanceof InfrastructureProvisioned || event instanceof InfrastructureDestroyed) {
                    clusters.remove(cluster);
                }
                tracked.add(event);
            }
        }
        return tracked;
    }

    /** The clusters whose next retry is due now, with their attempt numbers. */
    public Map<String, Integer> due() {
        Instant now = clock.instant();
        Map<String, Integer> due = new java.util.TreeMap<>();
        clusters.forEach((cluster, pending) -> {
            if (pending.nextAt() != null && !pending.nextAt().isAfter(now)) {
                due.put(cluster, pending.attempt());
            }
        });
        return due;
    }

    /** A due retry is being made: it is not due again until it fails again. */
    public void started(String cluster) {
        clusters.computeIfPresent(cluster, (name, pending) -> new Pending(pending.attempt(), null));
    }
}
