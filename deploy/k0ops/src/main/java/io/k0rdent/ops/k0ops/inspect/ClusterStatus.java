package io.k0rdent.ops.k0ops.inspect;

import java.time.Instant;

/**
 * One cluster's state as folded from the lifecycle topics.
 *
 * @param lastError  the summary of the latest failure or rejection, {@code null} when the cluster's
 *                   latest stage is healthy
 * @param suspension who suspended the cluster, when and why ({@code k0ops suspend}); {@code null} when it is not
 */
public record ClusterStatus(
        String cluster,
        Stage stage,
        long generation,
        String lastEventType,
        Instant lastEventAt,
        int errors,
        String lastError,
        Suspension suspension) {

    public record Suspension(String by, Instant at, String reason) {
    }

    public ClusterStatus suspended(Suspension suspension) {
        return new ClusterStatus(cluster, stage, generation, lastEventType, lastEventAt, errors, lastError, suspension);
    }
}
