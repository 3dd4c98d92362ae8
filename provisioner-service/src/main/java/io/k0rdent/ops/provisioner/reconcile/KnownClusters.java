package io.k0rdent.ops.provisioner.reconcile;

import io.k0rdent.ops.contracts.event.ClusterDefinitionChanged;
import io.k0rdent.ops.contracts.event.ClusterDefinitionDeleted;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last definition event this process applied per cluster: its region (a {@code NodesDrained} does not carry
 * one) and the definition the drift check re-emits. A cache only: the facts that must survive a restart (applied
 * generation, node pools, retirements, deletions in progress) live in EC2 tags.
 */
@Singleton
public class KnownClusters {

    private final Map<String, ClusterDefinitionChanged> clusters = new ConcurrentHashMap<>();

    public void remember(ClusterDefinitionChanged event) {
        clusters.merge(event.header().clusterName(), event,
                (old, next) -> next.header().generation() >= old.header().generation() ? next : old);
    }

    public Optional<ClusterDefinitionChanged> get(String cluster) {
        return Optional.ofNullable(clusters.get(cluster));
    }

    /** Clusters whose last event was not a deletion. */
    public List<ClusterDefinitionChanged> live() {
        return clusters.values().stream().filter(e -> !(e instanceof ClusterDefinitionDeleted)).toList();
    }

    /** Clusters whose last event was a deletion (finished or not). */
    public List<ClusterDefinitionDeleted> deleted() {
        return clusters.values().stream().filter(ClusterDefinitionDeleted.class::isInstance)
                .map(ClusterDefinitionDeleted.class::cast).toList();
    }
}
