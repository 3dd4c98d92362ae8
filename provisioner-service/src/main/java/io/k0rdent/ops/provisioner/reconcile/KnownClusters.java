package io.k0rdent.ops.provisioner.reconcile;

import io.k0rdent.ops.contracts.event.ClusterDefinitionChanged;
import io.k0rdent.ops.contracts.event.ClusterDefinitionDeleted;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last definition event this process applied per cluster: its region (a {@code NodesDrained} does not carry
 * one) and the definition the drift check re-emits. A cache only: the facts that must survive a restart (applied
 * generation, node pools, retirements, deletions in progress) live in EC2 tags, and a deletion that still owes
 * {@code InfrastructureDestroyed} after EC2 holds nothing is learnt again at start from the infrastructure topic
 * ({@code KnownClustersLoader}).
 */
public class KnownClusters {

    private final Map<String, ClusterDefinitionChanged> clusters = new ConcurrentHashMap<>();
    private final java.util.Set<String> unfinishedDeletions = ConcurrentHashMap.newKeySet();

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

    /**
     * A deletion this process started stopped before {@code InfrastructureDestroyed}. Its next pass must report the
     * end even when EC2 already holds nothing (the last call took effect but its answer was lost).
     */
    public void deletionUnfinished(String cluster) {
        unfinishedDeletions.add(cluster);
    }

    public void deletionFinished(String cluster) {
        unfinishedDeletions.remove(cluster);
    }

    public boolean isDeletionUnfinished(String cluster) {
        return unfinishedDeletions.contains(cluster);
    }
}
