package io.k0rdent.ops.contracts.topic;

import java.time.Duration;
import java.util.Map;

/**
 * A Kafka topic of k0rdent-ops and how it must be created.
 *
 * @param name        the topic name
 * @param partitions  default partition count; it bounds the parallelism of consumers
 * @param compacted   {@code true} for state topics where only the latest value per key matters
 * @param retention   how long records are kept on a delete-policy topic ({@code null} for compacted, and for
 *                    a delete-policy topic whose records are kept forever)
 * @param key         what the record key is, for people and the event catalogue
 * @param description what the topic carries
 */
public record Topic(String name, int partitions, boolean compacted, Duration retention, String key,
                    String description) {

    /** Topic-level configuration to create the topic with ({@code cleanup.policy}, {@code retention.ms}). */
    public Map<String, String> configs() {
        if (compacted) {
            return Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0");
        }
        return Map.of("cleanup.policy", "delete", "retention.ms",
                retention == null ? "-1" : Long.toString(retention.toMillis()));
    }
}
