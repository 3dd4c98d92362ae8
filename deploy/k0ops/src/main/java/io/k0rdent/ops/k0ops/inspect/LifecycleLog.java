package io.k0rdent.ops.k0ops.inspect;

import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import io.k0rdent.ops.contracts.serde.EventDecodingException;
import io.k0rdent.ops.contracts.topic.Topic;
import io.k0rdent.ops.contracts.topic.Topics;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** Every decodable event on the lifecycle topics, read once from the beginning to the current end. */
public final class LifecycleLog {

    private final List<ClusterEvent> events;
    private final int undecodable;

    private LifecycleLog(List<ClusterEvent> events, int undecodable) {
        this.events = List.copyOf(events);
        this.undecodable = undecodable;
    }

    public static LifecycleLog read(KafkaConsumer<byte[], byte[]> consumer) {
        ClusterEventCodec codec = new ClusterEventCodec(URI.create("/k0rdent-ops/k0ops"));
        List<ClusterEvent> events = new ArrayList<>();
        int[] undecodable = {0};
        new TopicReader(consumer).readAll(Topics.lifecycle().stream().map(Topic::name).toList(), record -> {
            try {
                events.add(codec.decode(record));
            } catch (EventDecodingException e) {
                // Poison on a lifecycle topic is the consumers' business (they dead-letter it); count it only.
                undecodable[0]++;
            }
        });
        return new LifecycleLog(events, undecodable[0]);
    }

    public List<ClusterEvent> events() {
        return events;
    }

    public List<ClusterEvent> eventsOf(String cluster) {
        return events.stream().filter(e -> e.header().clusterName().equals(cluster)).toList();
    }

    public int undecodable() {
        return undecodable;
    }
}
