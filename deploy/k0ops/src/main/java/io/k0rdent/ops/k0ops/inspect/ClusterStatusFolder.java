package io.k0rdent.ops.k0ops.inspect;

import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.EventType;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds lifecycle events into one {@link ClusterStatus} per cluster. Events may arrive interleaved
 * across topics; the fold orders by occurrence time, which each producer sets from its own clock.
 */
public final class ClusterStatusFolder {

    private final Map<String, ClusterStatus> clusters = new HashMap<>();

    public void accept(ClusterEvent event) {
        EventType type = event.type();
        String name = event.header().clusterName();
        ClusterStatus current = clusters.get(name);
        if (current != null && current.lastEventAt().isAfter(event.header().occurredAt())) {
            // A later event from another topic was already folded; an older one cannot override it.
            clusters.put(name, new ClusterStatus(name, current.stage(), Math.max(current.generation(),
                    event.header().generation()), current.lastEventType(), current.lastEventAt(),
                    current.errors() + (isError(type) ? 1 : 0), current.lastError()));
            return;
        }
        Stage stage = Stage.after(type).orElse(current == null ? Stage.PROVISIONING : current.stage());
        if (type == EventType.CLUSTER_DEFINITION_REJECTED && current != null && !current.stage().failed()) {
            // A rejected change leaves the running cluster as it was; it only counts as an error.
            stage = current.stage();
        }
        int errors = (current == null ? 0 : current.errors()) + (isError(type) ? 1 : 0);
        String lastError = isError(type) ? EventSummary.of(event)
                : stage.failed() && current != null ? current.lastError() : null;
        long generation = Math.max(current == null ? 0 : current.generation(), event.header().generation());
        clusters.put(name, new ClusterStatus(name, stage, generation, EventSummary.shortType(type.ceType()),
                event.header().occurredAt(), errors, lastError));
    }

    private static boolean isError(EventType type) {
        return type == EventType.CLUSTER_DEFINITION_REJECTED || type == EventType.PROVISIONING_FAILED
                || type == EventType.BOOTSTRAP_FAILED || type == EventType.NOTIFICATION_FAILED;
    }

    /** The clusters sorted by name. */
    public List<ClusterStatus> clusters() {
        return clusters.values().stream().sorted(Comparator.comparing(ClusterStatus::cluster)).toList();
    }
}
