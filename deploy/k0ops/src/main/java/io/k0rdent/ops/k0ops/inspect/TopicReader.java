package io.k0rdent.ops.k0ops.inspect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads topics without a consumer group: k0ops inspects, it never takes part in a group or moves its
 * offsets.
 */
public final class TopicReader {

    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<byte[], byte[]> consumer;

    public TopicReader(KafkaConsumer<byte[], byte[]> consumer) {
        this.consumer = consumer;
    }

    /** The partitions of the topics that exist; missing topics are left out. */
    public List<TopicPartition> partitions(Collection<String> topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        Map<String, List<PartitionInfo>> existing = consumer.listTopics();
        for (String topic : topics) {
            for (PartitionInfo info : existing.getOrDefault(topic, List.of())) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        return partitions;
    }

    /** Every record from the beginning up to the end offsets as they are now, then returns. */
    public void readAll(Collection<String> topics, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        List<TopicPartition> partitions = partitions(topics);
        if (partitions.isEmpty()) {
            return;
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (!caughtUp(end)) {
            consumer.poll(POLL).forEach(sink);
        }
    }

    /**
     * Follows the topics, from the beginning or from their current end, until {@code stop} says so
     * (Ctrl-C, a record limit, or an idle timeout in scripts).
     */
    public void follow(Collection<String> topics, boolean fromBeginning, BooleanSupplier stop,
                       Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        List<TopicPartition> partitions = partitions(topics);
        consumer.assign(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
            // Resolve the end position now, so records produced from here on are not skipped.
            partitions.forEach(consumer::position);
        }
        while (!stop.getAsBoolean()) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                sink.accept(record);
                if (stop.getAsBoolean()) {
                    return;
                }
            }
        }
    }

    private boolean caughtUp(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> entry : end.entrySet()) {
            if (consumer.position(entry.getKey()) < entry.getValue()) {
                return false;
            }
        }
        return true;
    }
}
