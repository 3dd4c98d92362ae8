package io.k0rdent.ops.bootstrap.kafka;

import io.k0rdent.ops.bootstrap.config.BootstrapProperties;
import io.k0rdent.ops.bootstrap.phase.PendingRetries;
import io.k0rdent.ops.contracts.event.BootstrapEvent;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a replica the automatic retries that were pending for the partitions it was just given (issue 18: what a
 * service is responsible for survives restarts and rebalances). The retries live in memory; their durable source is
 * the topics: the infrastructure partitions up to the consumer group's committed offsets (what was handled) and the
 * bootstrap outcomes this service published for the same clusters. Without this, a restart or a partition move
 * dropped every waiting retry and the cluster stayed failed until its next change.
 *
 * <p>The bootstrap topic is keyed by cluster like the infrastructure topic; with the same partition count (the
 * contract's) a cluster's outcomes are in the partition of the same number, otherwise every partition is read.
 * Reading never joins the group and never commits.
 */
public final class RetryRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(RetryRecovery.class);

    private final Map<String, Object> kafka;
    private final BootstrapProperties properties;
    private final ClusterEventCodec codec = new ClusterEventCodec(URI.create("/k0rdent-ops/bootstrap/recovery"));

    /** @param kafka the {@code kafka.*} client settings (bootstrap servers, security) */
    public RetryRecovery(Map<String, Object> kafka, BootstrapProperties properties) {
        this.kafka = Map.copyOf(kafka);
        this.properties = properties;
    }

    /**
     * Reads what the topics say about the given infrastructure partitions and hands each pending retry with the
     * partition it belongs to. Failures are logged, not thrown: the partitions are then consumed as before, without
     * their waiting retries.
     */
    public void recover(Collection<TopicPartition> assigned,
                        BiConsumer<PendingRetries.Pending, TopicPartition> restore) {
        List<TopicPartition> infrastructure = assigned.stream()
                .filter(p -> p.topic().equals(properties.topics().infrastructure())).toList();
        if (infrastructure.isEmpty()) {
            return;
        }
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            PendingRetries history = new PendingRetries();
            Map<String, TopicPartition> partitionOf = new HashMap<>();
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(java.util.Set.copyOf(infrastructure), timeout());
            Map<TopicPartition, Long> handled = new HashMap<>();
            infrastructure.forEach(p -> handled.put(p, committed.get(p) == null ? 0L : committed.get(p).offset()));
            read(consumer, handled, record -> decode(record, ClusterEvent.class).ifPresent(event -> {
                history.infrastructure(event);
                partitionOf.put(event.header().clusterName(), new TopicPartition(record.topic(), record.partition()));
            }));
            read(consumer, consumer.endOffsets(outcomePartitions(consumer, infrastructure), timeout()),
                    record -> decode(record, BootstrapEvent.class).ifPresent(history::outcome));
            Map<String, PendingRetries.Pending> pending = history.pending();
            pending.forEach((cluster, retry) -> restore.accept(retry, partitionOf.get(cluster)));
            if (!pending.isEmpty()) {
                LOG.info("Partitions {}: took over the automatic retries of {}", infrastructure, pending.keySet());
            }
        } catch (RuntimeException e) {
            LOG.warn("Partitions {}: could not read their pending retries: {}", infrastructure, e.toString());
        }
    }

    private List<TopicPartition> outcomePartitions(KafkaConsumer<String, byte[]> consumer,
                                                   List<TopicPartition> infrastructure) {
        String topic = properties.topics().bootstrap();
        List<TopicPartition> all = consumer.partitionsFor(topic, timeout()).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        int infrastructurePartitions = consumer.partitionsFor(properties.topics().infrastructure(), timeout()).size();
        if (all.size() != infrastructurePartitions) {
            return all;
        }
        return infrastructure.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    /** Reads each partition from its beginning up to (not including) the given offset. */
    private void read(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> upTo,
                      java.util.function.Consumer<ConsumerRecord<String, byte[]>> each) {
        Map<TopicPartition, Long> left = new HashMap<>(upTo);
        left.values().removeIf(offset -> offset <= 0);
        if (left.isEmpty()) {
            return;
        }
        consumer.assign(left.keySet());
        consumer.seekToBeginning(left.keySet());
        Instant deadline = Instant.now().plus(timeout().multipliedBy(4));
        while (!left.isEmpty() && Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                Long end = upTo.get(new TopicPartition(record.topic(), record.partition()));
                if (end != null && record.offset() < end) {
                    each.accept(record);
                }
            }
            left.keySet().removeIf(p -> consumer.position(p, timeout()) >= left.get(p));
        }
        if (!left.isEmpty()) {
            throw new IllegalStateException("reading " + left.keySet() + " did not finish within " + timeout()
                    .multipliedBy(4));
        }
    }

    private <T extends ClusterEvent> java.util.Optional<T> decode(ConsumerRecord<String, byte[]> record,
                                                                  Class<T> type) {
        try {
            ClusterEvent event = codec.decode(record);
            return type.isInstance(event) ? java.util.Optional.of(type.cast(event)) : java.util.Optional.empty();
        } catch (RuntimeException unreadable) {
            return java.util.Optional.empty(); // poison was dead-lettered when it was consumed
        }
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, properties.groupId());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, properties.groupId() + "-retry-recovery");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private Duration timeout() {
        return properties.kafkaTimeout();
    }
}
