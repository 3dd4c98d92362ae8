package io.k0rdent.ops.k0ops.inspect;

import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.EventType;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Folds lifecycle events into one {@link ClusterStatus} per cluster. Events may arrive interleaved
 * across topics; the fold orders by occurrence time, which each producer sets from its own clock.
 */
public final class ClusterStatusFolder {

    private final Map<String, ClusterStatus> clusters = new HashMap<>();
    /**
     * When each cluster's stage last changed. Kept apart from the last event's time: topics are read one
     * after another, so a notification about "ready" may be folded before the "ready" event itself, and
     * it must not stop that older event from moving the stage.
     */
    private final Map<String, Instant> stageChangedAt = new HashMap<>();

    public void accept(ClusterEvent event) {
        EventType type = event.type();
        String name = event.header().clusterName();
        Instant at = event.header().occurredAt();
        ClusterStatus current = clusters.get(name);
        Instant stageAt = stageChangedAt.get(name);
        Optional<Stage> next = Stage.after(type);
        if (type == EventType.CLUSTER_DEFINITION_REJECTED && stageAt != null && !current.stage().failed()) {
            // A rejected change leaves the running cluster as it was; it only counts as an error. Only a cluster
            // whose stage some event set is running: one known so far only from notifications (read from their
            // topic before the rejection) is new, and a new cluster that is rejected is rejected.
            next = Optional.empty();
        }
        // An older stage change read after a newer one (from another topic) cannot take the cluster back.
        boolean movesStage = next.isPresent() && (stageAt == null || !stageAt.isAfter(at));
        Stage stage = movesStage ? next.get() : current == null ? Stage.PROVISIONING : current.stage();
        if (movesStage) {
            stageChangedAt.put(name, at);
        }
        boolean newest = current == null || !current.lastEventAt().isAfter(at);
        int errors = (current == null ? 0 : current.errors()) + (isError(type) ? 1 : 0);
        String lastError;
        if (!newest && !movesStage) {
            lastError = current.lastError(); // a late arrival changes nothing but the error count
        } else if (isError(type)) {
            lastError = EventSummary.of(event);
        } else if (!movesStage) {
            // Notifications and drift reports leave the stage, and so the last error, as they were.
            lastError = current == null ? null : current.lastError();
        } else {
            lastError = stage.failed() && current != null ? current.lastError() : null;
        }
        long generation = Math.max(current == null ? 0 : current.generation(), event.header().generation());
        String lastType = newest ? EventSummary.shortType(type.ceType()) : current.lastEventType();
        Instant lastAt = newest ? at : current.lastEventAt();
        clusters.put(name, new ClusterStatus(name, stage, generation, lastType, lastAt, errors, lastError,
                current == null ? null : current.suspension()));
    }

    /**
     * A cluster the gitwatcher holds as accepted. One without any lifecycle event folded (all older than the topics'
     * retention) is listed as {@link Stage#ACCEPTED}; one with events keeps what they say.
     */
    public void acceptKnown(String name, long generation) {
        clusters.putIfAbsent(name, new ClusterStatus(name, Stage.ACCEPTED, generation, null, null, 0, null, null));
    }

    /** Marks the clusters {@code k0rdent.cluster.control} holds as suspended. */
    public void applySuspensions(io.k0rdent.ops.contracts.control.Suspensions suspensions) {
        clusters.replaceAll((name, status) -> suspensions.suspension(name).map(s -> status.suspended(
                new ClusterStatus.Suspension(s.header().initiator() == null ? null : s.header().initiator().name(),
                        s.header().occurredAt(), s.reason()))).orElse(status));
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
