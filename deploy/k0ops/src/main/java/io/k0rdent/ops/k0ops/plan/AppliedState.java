package io.k0rdent.ops.k0ops.plan;

import io.k0rdent.ops.contracts.event.ClusterDefinitionChanged;
import io.k0rdent.ops.contracts.event.ClusterDefinitionCreated;
import io.k0rdent.ops.contracts.event.ClusterDefinitionDeleted;
import io.k0rdent.ops.contracts.event.ClusterDefinitionUpdated;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import io.k0rdent.ops.contracts.serde.EventDecodingException;
import io.k0rdent.ops.k0ops.inspect.TopicReader;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The last applied definition of every cluster, folded from {@code k0rdent.cluster.definitions}: each
 * created or updated event carries the whole definition of its generation, and a deleted event ends
 * the cluster. The topic is keyed by cluster name, so one cluster's events are in one partition and
 * in order; the last one wins. (The gitwatcher's compacted state topic holds the same, but in a
 * record layout private to the gitwatcher, so k0ops reads the public event contract instead.)
 *
 * @param clusters    cluster name → last applied definition, sorted by name
 * @param undecodable records on the topic that did not decode, skipped
 */
public record AppliedState(Map<String, AppliedCluster> clusters, int undecodable) {

    public AppliedState {
        clusters = Collections.unmodifiableMap(new TreeMap<>(clusters));
    }

    /**
     * Folds definition events in topic order.
     *
     * @param repository only events from this repository URL count; {@code null} for all
     */
    public static AppliedState fold(List<? extends ClusterEvent> events, String repository, int undecodable) {
        Map<String, AppliedCluster> clusters = new TreeMap<>();
        for (ClusterEvent event : events) {
            if (!(event instanceof ClusterDefinitionChanged changed)
                    || (repository != null && !repository.equals(changed.git().repository()))) {
                continue;
            }
            String name = event.header().clusterName();
            long generation = event.header().generation();
            if (changed instanceof ClusterDefinitionCreated c) {
                clusters.put(name, new AppliedCluster(c.definition(), generation, c.git().path(), c.git().repository()));
            } else if (changed instanceof ClusterDefinitionUpdated u) {
                clusters.put(name, new AppliedCluster(u.definition(), generation, u.git().path(), u.git().repository()));
            } else if (changed instanceof ClusterDefinitionDeleted) {
                clusters.remove(name);
            }
        }
        return new AppliedState(clusters, undecodable);
    }

    /** Reads the whole topic once, from the beginning to its current end. */
    public static AppliedState read(KafkaConsumer<byte[], byte[]> consumer, String topic, String repository) {
        ClusterEventCodec codec = new ClusterEventCodec(URI.create("/k0rdent-ops/k0ops"));
        List<ClusterEvent> events = new java.util.ArrayList<>();
        int[] undecodable = {0};
        TopicReader reader = new TopicReader(consumer);
        if (reader.partitions(List.of(topic)).isEmpty()) {
            // Planning against nothing would show every cluster as new: most likely the wrong broker.
            throw new IllegalStateException("topic " + topic + " does not exist on this Kafka cluster;"
                    + " is it the one k0rdent-ops uses?");
        }
        reader.readAll(List.of(topic), record -> {
            try {
                events.add(codec.decode(record));
            } catch (EventDecodingException e) {
                // The provisioner dead-letters such a record and acts on nothing in it; neither does the plan.
                undecodable[0]++;
            }
        });
        return fold(events, repository, undecodable[0]);
    }
}
