package io.k0rdent.ops.notifier.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.k0rdent.ops.contracts.serde.EventJson;
import io.k0rdent.ops.notifier.dedupe.LedgerEntry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the deliveries topic (committed transactions only) up to its current end: from the beginning on start, so
 * the ledger knows every settled pair before the first event is consumed, and from where it stopped whenever
 * partitions are assigned, so that entries another instance wrote meanwhile (before it crashed or gave the
 * partitions up) are known before their records are redelivered here.
 *
 * <p>Keeps one assigned consumer open between calls; calls are serialised.
 */
public final class LedgerLoader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerLoader.class);

    private final Map<String, Object> clientProps;
    private final String topic;
    private final Duration timeout;
    private final ObjectMapper json = EventJson.newMapper();
    private KafkaConsumer<byte[], byte[]> consumer;
    private List<TopicPartition> partitions;

    public LedgerLoader(Map<String, Object> clientProps, String topic, Duration timeout) {
        this.clientProps = Map.copyOf(clientProps);
        this.topic = topic;
        this.timeout = timeout;
    }

    /**
     * Calls {@code sink} for every entry not read before, oldest first per partition.
     *
     * @return how many entries were read
     */
    public synchronized int load(Consumer<LedgerEntry> sink) {
        if (consumer == null) {
            open();
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        int count = 0;
        while (!reachedEnd(end)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + topic + " to its end within " + timeout);
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.value() == null) {
                    continue; // tombstone: the pair was forgotten on purpose
                }
                try {
                    sink.accept(json.readValue(record.value(), LedgerEntry.class));
                    count++;
                } catch (IOException e) {
                    LOG.warn("Skipping unreadable ledger entry at {}/{}", record.partition(), record.offset());
                }
            }
        }
        return count;
    }

    /**
     * The configuration the loader's consumer is built with: {@code clientProps} (connection and security settings),
     * then what reading the ledger needs whatever was configured: committed transactions only, and no group (it
     * is assigned every partition and always reads from where it stopped in this process).
     */
    public static Map<String, Object> consumerConfig(Map<String, Object> clientProps) {
        Map<String, Object> props = new HashMap<>(clientProps);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return props;
    }

    private void open() {
        KafkaConsumer<byte[], byte[]> opened = new KafkaConsumer<>(consumerConfig(clientProps));
        try {
            List<PartitionInfo> infos = opened.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("deliveries topic " + topic + " does not exist");
            }
            List<TopicPartition> all = new ArrayList<>();
            infos.forEach(info -> all.add(new TopicPartition(topic, info.partition())));
            opened.assign(all);
            opened.seekToBeginning(all);
            partitions = all;
            consumer = opened;
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    private boolean reachedEnd(Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    @Override
    public synchronized void close() {
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
            consumer = null;
        }
    }
}
