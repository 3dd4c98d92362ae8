package io.k0rdent.ops.provisioner.kafka;

import io.k0rdent.ops.contracts.event.ClusterDefinitionChanged;
import io.k0rdent.ops.contracts.event.ClusterDefinitionDeleted;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.InfrastructureEvent;
import io.k0rdent.ops.provisioner.ProvisionerProperties;
import io.k0rdent.ops.provisioner.reconcile.ClusterOwnership;
import io.k0rdent.ops.provisioner.reconcile.FailureRetries;
import io.k0rdent.ops.provisioner.reconcile.InfrastructureHistory;
import io.k0rdent.ops.provisioner.reconcile.KnownClusters;
import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
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
 * than the topic's retention are not found this way; see {@code DESIGN.md}. On each assignment the infrastructure
 * topic is read too, for the deletions that still owe {@code InfrastructureDestroyed} and the automatic retries still
 * waiting in the partitions assigned. It lives and dies with the listener that keeps the registry current: without it (the benchmark, settings tests) there is nothing to rebuild for, and a
 * start without a broker would wait {@code kafka-timeout} for one.
 */
@Singleton
@Requires(property = "k0rdent.provisioner.listeners.enabled", notEquals = "false")
public class KnownClustersLoader implements ApplicationEventListener<StartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(KnownClustersLoader.class);

    private final KnownClusters known;
    private final ClusterOwnership ownership;
    private final ProvisionerProperties properties;
    private final KafkaDefaultConfiguration kafka;
    private final EventPublisher publisher;
    private final FailureRetries retries;

    public KnownClustersLoader(KnownClusters known, ClusterOwnership ownership, ProvisionerProperties properties,
                               KafkaDefaultConfiguration kafka, EventPublisher publisher, FailureRetries retries) {
        this.retries = retries;
        this.ownership = ownership;
        this.known = known;
        this.properties = properties;
        this.kafka = kafka;
        this.publisher = publisher;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        // With listeners, what this replica owns is what its consumers are assigned: nothing until the first
        // rebalance. Owning everything meanwhile (the rule for a process without listeners) made a replica that just
        // started retry the clusters another replica was working on (HandOverIT).
        ownership.awaitAssignments();
        try {
            int read = load();
            LOG.info("Known clusters rebuilt from {}: {} events, {} clusters", properties.definitionsTopic(), read,
                    known.live().size() + known.deleted().size());
        } catch (RuntimeException e) {
            // Not fatal: the listener fills the registry as events arrive, as before this loader existed.
            LOG.warn("Could not rebuild the known clusters from {}: {}", properties.definitionsTopic(),
                    e.getMessage());
        }
    }

    /**
     * Reads the given partitions of the definitions topic from their beginning to their end now, so this replica knows
     * the definitions of clusters a rebalance just gave it: another replica consumed them, and a rolling replacement or
     * a drift repair continues from the definition (issue 18, item 7; {@code ReplicasIT}). Failures are logged: the
     * records that follow still teach the registry.
     */
    public void catchUp(Collection<Integer> definitionsPartitions) {
        if (definitionsPartitions.isEmpty()) {
            return;
        }
        try {
            int read = load(Set.copyOf(definitionsPartitions));
            LOG.info("Known clusters caught up on partitions {} of {}: {} events", definitionsPartitions,
                    properties.definitionsTopic(), read);
        } catch (RuntimeException e) {
            LOG.warn("Could not catch up with partitions {} of {}: {}", definitionsPartitions,
                    properties.definitionsTopic(), e.getMessage());
        }
    }

    /** Reads the definitions topic from its beginning to the end it has now; answers how many events it applied. */
    int load() {
        return load(null);
    }

    /** As {@link #load()}, over {@code only} these partitions ({@code null}: all). */
    private int load(Set<Integer> only) {
        Map<String, Object> config = new HashMap<>();
        kafka.getConfig().forEach((key, value) -> config.put(key.toString(), value));
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, properties.groupId() + "-known-clusters");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        int applied;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            String topic = properties.definitionsTopic();
            List<TopicPartition> all = consumer.partitionsFor(topic, properties.kafkaTimeout()).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            // Which replica owns a cluster follows from this count (ClusterOwnership).
            ownership.partitionCount(all.size());
            List<TopicPartition> partitions = all.stream()
                    .filter(p -> only == null || only.contains(p.partition())).toList();
            applied = readToEnd(consumer, partitions, this::apply);
            if (only != null) {
                // Only for partitions just assigned: nothing is owned at start, and each assignment's catch-up reads
                // what its partitions owe (reading the whole infrastructure topic at start as well was work twice).
                owedWork(consumer, only, all.size());
            }
        }
        return applied;
    }

    /**
     * What the infrastructure topic, this service's own account, says is still owed for the known clusters: a
     * deletion's {@code InfrastructureDestroyed} (EC2 cannot tell once everything is gone: a {@code DeleteVpc} whose
     * answer was lost took the {@code k0rdent.io/deleting} tag with it) and a failure's automatic retry (its time kept,
     * so a restart neither drops it nor makes it early), for the partitions just assigned.
     * On a catch-up only the clusters of the partitions caught up with are looked at, and when the topic is
     * partitioned like the definitions (the contract's 12) only the same partitions of it are read: a rebalance does
     * not re-read the whole topic.
     *
     * @param only                  the definitions partitions just read
     * @param definitionsPartitions the definitions topic's partition count
     */
    private void owedWork(KafkaConsumer<String, byte[]> consumer, Set<Integer> only, int definitionsPartitions) {
        java.util.function.Predicate<String> inScope = cluster ->
                only.contains(ClusterOwnership.partitionOf(cluster, definitionsPartitions));
        List<ClusterDefinitionDeleted> deleted = known.deleted().stream()
                .filter(d -> inScope.test(d.header().clusterName())).toList();
        List<ClusterDefinitionChanged> live = known.live().stream()
                .filter(d -> inScope.test(d.header().clusterName())).toList();
        if (deleted.isEmpty() && live.isEmpty()) {
            return;
        }
        String topic = properties.infrastructureTopic();
        List<TopicPartition> all = consumer.partitionsFor(topic, properties.kafkaTimeout()).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        List<TopicPartition> partitions = all.size() != definitionsPartitions ? all
                : all.stream().filter(p -> only.contains(p.partition())).toList();
        InfrastructureHistory history = new InfrastructureHistory();
        readToEnd(consumer, partitions, record -> {
                    try {
                        if (publisher.codec().decode(record) instanceof InfrastructureEvent event) {
                            history.add(event);
                        }
                    } catch (RuntimeException e) {
                        // Not an event of ours to read: it tells nothing of what this service owes.
                    }
                    return 0;
                });
        for (ClusterDefinitionDeleted deletion : deleted) {
            String cluster = deletion.header().clusterName();
            if (!history.destroyed(cluster, deletion.header().generation())) {
                LOG.info("Cluster {}: deletion of generation {} has not been reported destroyed yet", cluster,
                        deletion.header().generation());
                known.deletionUnfinished(cluster);
            }
        }
        for (ClusterDefinitionChanged definition : live) {
            String cluster = definition.header().clusterName();
            history.waitingRetry(cluster, definition.header().generation()).ifPresent(retry -> {
                LOG.info("Cluster {}: automatic retry {} of generation {} is due at {}", cluster, retry.attempt() + 1,
                        definition.header().generation(), retry.nextAt());
                retries.restore(cluster, retry.attempt(), retry.nextAt());
            });
        }
    }

    /** Reads {@code partitions} from their beginning to the end they have now; answers the sum of what it applied. */
    private int readToEnd(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions,
                          ToIntFunction<ConsumerRecord<String, byte[]>> apply) {
        Duration timeout = properties.kafkaTimeout();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        Instant deadline = Instant.now().plus(timeout.multipliedBy(4));
        int applied = 0;
        while (!caughtUp(consumer, end) && Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                applied += apply.applyAsInt(record);
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
