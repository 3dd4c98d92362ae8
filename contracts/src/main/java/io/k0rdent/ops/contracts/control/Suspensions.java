package io.k0rdent.ops.contracts.control;

import io.k0rdent.ops.contracts.event.ClusterResumed;
import io.k0rdent.ops.contracts.event.ClusterSuspended;
import io.k0rdent.ops.contracts.event.ControlEvent;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which clusters are suspended, folded from {@code k0rdent.cluster.control}: the one definition of that fold, used by
 * the provisioner, the bootstrap service and {@code k0ops}.
 *
 * <p>A cluster's control events share one partition (keyed by its name), so their offsets order them. A service
 * applies each record twice (its group listener acts on it; a reader of every partition keeps all replicas informed)
 * in no fixed order between the two, so a record at or below the cluster's last applied offset changes nothing.
 */
public final class Suspensions {

    private final Map<String, Entry> clusters = new ConcurrentHashMap<>();

    private record Entry(long offset, ClusterSuspended suspension) {
    }

    /** Applies one control record; answers whether it was new (above the cluster's last applied offset). */
    public boolean apply(ControlEvent event, long offset) {
        String cluster = event.header().clusterName();
        boolean[] applied = {false};
        clusters.compute(cluster, (name, current) -> {
            if (current != null && offset <= current.offset()) {
                return current;
            }
            applied[0] = true;
            ClusterSuspended suspension = current == null ? null : current.suspension();
            if (event instanceof ClusterSuspended suspended) {
                // A second suspend keeps the first one's who and when: the cluster has been suspended since then.
                suspension = suspension == null ? suspended : suspension;
            } else if (event instanceof ClusterResumed) {
                suspension = null;
            }
            return new Entry(offset, suspension);
        });
        return applied[0];
    }

    public boolean isSuspended(String cluster) {
        return suspension(cluster).isPresent();
    }

    /** The suspension in force for the cluster (who, when, why), if any. */
    public Optional<ClusterSuspended> suspension(String cluster) {
        return Optional.ofNullable(clusters.get(cluster)).map(Entry::suspension);
    }
}
