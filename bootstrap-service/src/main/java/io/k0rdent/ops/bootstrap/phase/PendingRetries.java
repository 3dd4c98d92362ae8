package io.k0rdent.ops.bootstrap.phase;

import io.k0rdent.ops.contracts.event.BootstrapEvent;
import io.k0rdent.ops.contracts.event.BootstrapFailed;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.InfrastructureDestroyed;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.NodesRetirementRequested;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Works out, from a partition's history, which automatic retries were pending when its last owner stopped: a cluster
 * whose last bootstrap outcome is a {@link BootstrapFailed} with a next retry time, for the generation of the last
 * bootstrap work the infrastructure topic asked for (a provisioned cluster or nodes to retire). A later success, a
 * newer generation or a destroyed cluster means nothing is pending. Fed in topic order, one cluster's events at a
 * time in their partition's order; knows nothing of Kafka.
 */
public final class PendingRetries {

    /** A retry to take over: what to run again, which failure in a row the last one was, and when it is due. */
    public record Pending(ClusterEvent cause, int attempt, Instant nextAt) {
    }

    private final Map<String, ClusterEvent> lastWork = new HashMap<>();
    private final Map<String, BootstrapEvent> lastOutcome = new HashMap<>();

    /** An event of the infrastructure topic, up to what the consumer group has handled. */
    public void infrastructure(ClusterEvent event) {
        if (event instanceof InfrastructureProvisioned || event instanceof NodesRetirementRequested
                || event instanceof InfrastructureDestroyed) {
            lastWork.put(event.header().clusterName(), event);
        }
    }

    /** An event this service published on the bootstrap topic. */
    public void outcome(BootstrapEvent event) {
        lastOutcome.put(event.header().clusterName(), event);
    }

    /** The retries pending, by cluster name. */
    public Map<String, Pending> pending() {
        Map<String, Pending> pending = new TreeMap<>();
        lastOutcome.forEach((cluster, outcome) -> {
            ClusterEvent work = lastWork.get(cluster);
            if (outcome instanceof BootstrapFailed failed && failed.retry() != null && failed.retry().nextAt() != null
                    && work != null && !(work instanceof InfrastructureDestroyed)
                    && work.header().generation() == failed.header().generation()) {
                pending.put(cluster, new Pending(work, failed.retry().attempt(), failed.retry().nextAt()));
            }
        });
        return pending;
    }
}
