package io.k0rdent.ops.provisioner.reconcile;

import io.k0rdent.ops.contracts.event.FailureRetry;
import io.k0rdent.ops.contracts.event.InfrastructureDestroyed;
import io.k0rdent.ops.contracts.event.InfrastructureEvent;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What this service told of each cluster, read back from the infrastructure topic in order: the durable half of what
 * it is responsible for, which its memory loses in a restart or a rebalance. Answers which deletion still owes its
 * {@code InfrastructureDestroyed} and which failure still has an automatic retry waiting. Knows nothing of Kafka.
 */
public final class InfrastructureHistory {

    private final Map<String, Long> destroyed = new HashMap<>();
    /** The last outcome per cluster: provisioned, failed or destroyed (drift and retirements are not outcomes). */
    private final Map<String, InfrastructureEvent> outcomes = new HashMap<>();

    public void add(InfrastructureEvent event) {
        String cluster = event.header().clusterName();
        if (event instanceof InfrastructureDestroyed) {
            destroyed.merge(cluster, event.header().generation(), Math::max);
        }
        if (event instanceof InfrastructureProvisioned || event instanceof ProvisioningFailed
                || event instanceof InfrastructureDestroyed) {
            outcomes.put(cluster, event);
        }
    }

    /** Whether an {@code InfrastructureDestroyed} of this generation (or a later one) was told. */
    public boolean destroyed(String cluster, long generation) {
        return destroyed.getOrDefault(cluster, -1L) >= generation;
    }

    /**
     * The automatic retry waiting for the cluster's generation: its last outcome is a failure of that generation with
     * a next retry time.
     */
    public Optional<FailureRetry> waitingRetry(String cluster, long generation) {
        return outcomes.get(cluster) instanceof ProvisioningFailed failed && failed.header().generation() == generation
                && failed.retry() != null && failed.retry().nextAt() != null
                ? Optional.of(failed.retry()) : Optional.empty();
    }
}
