package io.k0rdent.ops.k0ops.inspect;

import java.time.Instant;

/**
 * One cluster's state as folded from the lifecycle topics.
 *
 * @param lastError the summary of the latest failure or rejection, {@code null} when the cluster's
 *                  latest stage is healthy
 */
public record ClusterStatus(
        String cluster,
        Stage stage,
        long generation,
        String lastEventType,
        Instant lastEventAt,
        int errors,
        String lastError) {
}
