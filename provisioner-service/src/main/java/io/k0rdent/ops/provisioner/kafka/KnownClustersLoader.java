package io.k0rdent.ops.provisioner.kafka;

import io.k0rdent.ops.contracts.event.ClusterDefinitionChanged;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.provisioner.ProvisionerProperties;
import io.k0rdent.ops.provisioner.reconcile.KnownClusters;
import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds {@link KnownClusters} at start from the definitions topic, read from its beginning to its end without a
 * consumer group: what this service is responsible for (drift checks, deletions to resume) must not depend on which
 * events arrived since the last restart. Before, a restarted provisioner knew no cluster, so its drift pass checked
 * nothing until each cluster's definition changed again (issue 18). Clusters whose last definition event is older
 * than the topic's retention are not found this way; see {@code DESIGN.md}.
 */
@Singleton
public class KnownClustersLoader implements ApplicationEventListener<StartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(KnownClustersLoader.class);

    private final KnownClusters known;
    private final ProvisionerProperties properties;
    private final KafkaDefaultConfiguration kafka;
    private final EventPublisher publisher;

    public KnownClustersLoader(KnownClusters known, ProvisionerProperties properties, KafkaDefaultConfiguration kafka,
                               EventPublisher publisher) {
        this.known = known;
        this.properties = properties;
        this.kafka = kafka;
        this.publisher = publisher;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        try {
            int read = load();
            LOG.info("Known clusters rebuilt from {}: {} events, {} clusters", properties.getDefinitionsTopic(), read,
                    known.live().size() + known.deleted().size());
        } catch (RuntimeException e) {
            // Not fatal: the listener fills the registry as events arrive, as before this loader existed.
            LOG.warn("Could not rebuild the known clusters from {}: {}", properties.getDefinitionsTopic(),
                    e.getMessage());
        }
    }

    /** Reads the definitions topic from its beginning to the end it has now; answers how many events it applied. */
    int load() {
        Map<String, Object> config = new HashMap<>();
        kafka.getConfig().forEach((key, value) -> config.put(key.toString(), value));
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.getBootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, properties.getGroupId() + "-known-clusters");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        int applied = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            String topic = properties.getDefinitionsTopic();
            Duration timeout = properties.getKafkaTimeout();
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            Instant deadline = Instant.now().plus(timeout.multipliedBy(4));
            while (!caughtUp(consumer, end) && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    applied += apply(record);
                }
            }
        }
        return applied;
    }

    private int apply(ConsumerRecord<String, byte[]> record) {
        try {
            ClusterEvent event = publisher.codec().decode(record);
            if (event instanceof ClusterDefinitionChanged changed) {
                known.remember(changed);
                return 1;
            }
        } catch (RuntimeException e) {
            // Poison (EventDecodingException) is the listener's to dead-letter; here it is only skipped.
        }
        return 0;
    }

    private static boolean caughtUp(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }
}
