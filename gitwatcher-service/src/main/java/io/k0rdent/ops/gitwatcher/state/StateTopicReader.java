package io.k0rdent.ops.gitwatcher.state;

import io.k0rdent.ops.gitwatcher.GitwatcherProperties;
import io.k0rdent.ops.gitwatcher.KafkaClientSettings;
import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The Kafka adapter that reads the state topic from the beginning to its end, seeing committed
 * transactions only ({@code isolation.level=read_committed}): records of a transaction that a crash
 * left open or that was aborted are never state.
 */
@Singleton
public class StateTopicReader {

    private final GitwatcherProperties properties;
    private final KafkaDefaultConfiguration kafka;

    public StateTopicReader(GitwatcherProperties properties, KafkaDefaultConfiguration kafka) {
        this.properties = properties;
        this.kafka = kafka;
    }

    /** Every {@code kafka.*} setting (security, SASL, TLS...), then what reading the state correctly depends on. */
    public Map<String, Object> consumerConfig() {
        Map<String, Object> config = KafkaClientSettings.base(kafka);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, properties.transactionalId() + "-state-reader");
        // It assigns partitions itself and commits nothing: a group.id from kafka.* would only create a group.
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return config;
    }

    /**
     * Calls {@code sink} with every record's key and value (null for a tombstone), in offset order.
     *
     * @throws TimeoutException when the end is not reached within the Kafka timeout
     */
    public void readAll(BiConsumer<String, byte[]> sink) {
        Map<String, Object> config = consumerConfig();
        Duration timeout = properties.kafkaTimeout();
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(properties.stateTopic(), timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException("state topic " + properties.stateTopic() + " does not exist");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // With read_committed, the end offsets are the last stable offsets: what a reader may see.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(consumer, end, timeout)) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("state topic not read to its end within " + timeout);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    sink.accept(record.key(), record.value());
                }
            }
        }
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end, Duration timeout) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey(), timeout) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
