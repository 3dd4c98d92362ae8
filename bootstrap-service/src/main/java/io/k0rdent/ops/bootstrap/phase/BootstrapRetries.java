package io.k0rdent.ops.bootstrap.phase;

import io.k0rdent.ops.contracts.event.BootstrapEvent;
import io.k0rdent.ops.contracts.event.BootstrapFailed;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.FailureRetry;
import io.k0rdent.ops.support.retry.RetryBackoff;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failures in a row per cluster, what failed and when to try it again (issue 18 item 4): each failure gets its attempt
 * number and, when retryable and attempts are left, its next retry time ({@link FailureRetry}); a success, or any new
 * event for the cluster, clears them. Kept in memory by the replica that owns the cluster's partition, and rebuilt
 * from the topics when a replica is given the partition (a restart, a rebalance): see {@code RetryRecovery}.
 */
public final class BootstrapRetries {

    /** What to run again for a cluster, and which failure in a row its last outcome was. */
    public record Due(String cluster, ClusterEvent cause, int attempt) {
    }

    private record Pending(ClusterEvent cause, int attempt, Instant nextAt) {
    }

    private final Map<String, Pending> clusters = new ConcurrentHashMap<>();
    private final RetryBackoff backoff;
    private final Clock clock;

    public BootstrapRetries(RetryBackoff backoff, Clock clock) {
        this.backoff = backoff;
        this.clock = clock;
    }

    /**
     * A retry the topics say was pending (the cluster's last outcome was this failure, with its next retry time), for
     * a replica that was just given the cluster. Never replaces what this replica tracks already.
     */
    public void restore(ClusterEvent cause, int attempt, Instant nextAt) {
        clusters.putIfAbsent(cause.header().clusterName(), new Pending(cause, attempt, nextAt));
    }

    /** A new event for the cluster: what failed before is no longer what is wanted, and the count starts again. */
    public void reset(String cluster) {
        clusters.remove(cluster);
    }

    /** Notes how handling {@code cause} ended; a failure comes back with its attempt and next retry time. */
    public BootstrapEvent track(ClusterEvent cause, BootstrapEvent outcome) {
        String cluster = cause.header().clusterName();
        if (!(outcome instanceof BootstrapFailed failed)) {
            clusters.remove(cluster);
            return outcome;
        }
        Pending pending = clusters.compute(cluster, (name, before) -> {
            int attempt = before == null ? 1 : before.attempt() + 1;
            Instant next = failed.retryable() ? backoff.next(attempt, clock.instant()).orElse(null) : null;
            return new Pending(cause, attempt, next);
        });
        return failed.withRetry(new FailureRetry(pending.attempt(), pending.nextAt()));
    }

    /** The retries due now; each is handed out once, until its next failure schedules it again. */
    public List<Due> takeDue() {
        Instant now = clock.instant();
        List<Due> due = new ArrayList<>();
        for (String cluster : new TreeSet<>(clusters.keySet())) {
            // compute runs at most once per call and atomically for its key: a retry is handed out once.
            clusters.computeIfPresent(cluster, (name, pending) -> {
                if (pending.nextAt() == null || pending.nextAt().isAfter(now)) {
                    return pending;
                }
                due.add(new Due(name, pending.cause(), pending.attempt()));
                return new Pending(pending.cause(), pending.attempt(), null);
            });
        }
        return due;
    }
}
