package io.k0rdent.ops.gitwatcher.support;

import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads whole topics to their end, as an independent consumer would. */
public final class CommittedRecords {

    private static final ClusterEventCodec CODEC = new ClusterEventCodec(URI.create("/test"));

    private CommittedRecords() {
    }

    /** Every committed event on the topics, in partition then offset order, decoded. */
    public static List<ClusterEvent> events(String bootstrap, String... topics) {
        List<ClusterEvent> events = new ArrayList<>();
        for (String topic : topics) {
            read(bootstrap, topic, true).forEach(r -> events.add(CODEC.decode(r)));
        }
        return events;
    }

    /**
     * Whether no transaction is open on the topics: the last stable offset of every partition is its end.
     * {@code commitTransaction()} returns before the commit markers are written, so a reader must wait for
     * this before it can see everything a just-committed transaction wrote.
     */
    public static boolean stable(String bootstrap, String... topics) {
        for (String topic : topics) {
            if (!endOffsets(bootstrap, topic, true).equals(endOffsets(bootstrap, topic, false))) {
                return false;
            }
        }
        return true;
    }

    private static Map<TopicPartition, Long> endOffsets(String bootstrap, String topic, boolean committedOnly) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedOnly ? "read_committed" : "read_uncommitted");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions);
        }
    }

    /**
     * Every record of a topic up to its end.
     *
     * @param committedOnly {@code read_committed} when true, else {@code read_uncommitted} (which also shows
     *                      the records of aborted transactions)
     */
    public static List<ConsumerRecord<String, byte[]>> read(String bootstrap, String topic, boolean committedOnly) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedOnly ? "read_committed" : "read_uncommitted");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            return records;
        }
    }
}
