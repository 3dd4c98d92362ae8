package io.k0rdent.ops.provisioner.kafka;

import io.k0rdent.ops.contracts.event.ClusterDefinitionChanged;
import io.k0rdent.ops.contracts.event.ClusterDefinitionDeleted;
import io.k0rdent.ops.contracts.event.NodesDrained;
import io.k0rdent.ops.provisioner.reconcile.ClusterOwnership;
import io.k0rdent.ops.provisioner.reconcile.ClusterReconciler;
import io.k0rdent.ops.provisioner.reconcile.NoSuchClusterException;
import io.k0rdent.ops.provisioner.reconcile.PartitionHandOver;
import io.k0rdent.ops.support.consumer.ConsumerSkeleton;
import io.k0rdent.ops.support.consumer.UnprocessableEventException;
import io.k0rdent.ops.support.telemetry.KafkaClientBinder;
import io.micronaut.configuration.kafka.ConsumerAware;
import io.micronaut.configuration.kafka.annotation.ErrorStrategy;
import io.micronaut.configuration.kafka.annotation.ErrorStrategyValue;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import java.util.Collection;
import java.util.List;

/**
 * Consumes the definitions topic ({@code ClusterDefinitionChanged}) and the bootstrap topic ({@code NodesDrained}, the
 * answer that lets retired nodes be terminated; the topic's other events are for the notifier) with ONE consumer per
 * thread. The {@link ConsumerSkeleton} decodes the record (or dead-letters it); this hands the event to the
 * {@link ClusterReconciler} and publishes what it answers; only then is the offset committed (one synchronous commit
 * per record). Any other failure leaves the offset where it is and the record is processed again until its attempt
 * budget is spent; reprocessing is harmless by design.
 *
 * <p>Why one consumer over both topics: both are keyed by cluster name and have the same partition count, and the
 * range assignor gives partition i of every subscribed topic to the same consumer (Kafka's {@code RangeAssignor}
 * documentation: "C0: [t0p0, t0p1, t1p0, t1p1]"). So the replica that applies a cluster's definitions is also the one
 * that gets its {@code NodesDrained}, and knows the definition a rolling replacement continues with. With two
 * listeners, several replicas could split one cluster's two topics between them ({@code ReplicasIT}).
 */
@KafkaListener(groupId = "${k0rdent.provisioner.group-id}", clientId = "provisioner-clusters",
        offsetReset = OffsetReset.EARLIEST, offsetStrategy = OffsetStrategy.SYNC_PER_RECORD,
        threadsValue = "${k0rdent.provisioner.consumer-threads:4}",
        errorStrategy = @ErrorStrategy(value = ErrorStrategyValue.RETRY_EXPONENTIALLY_ON_ERROR, retryCount = 1000,
                retryDelay = "100ms", handleAllExceptions = true),
        // One record at a time, and a long poll interval: a reconcile waits for instances (minutes on AWS), and the
        // group must not hand the partition to another member meanwhile. The range assignor keeps both topics'
        // partition i together (the default list would allow the cooperative sticky assignor, which does not).
        properties = {
                @Property(name = ConsumerConfig.MAX_POLL_RECORDS_CONFIG, value = "1"),
                @Property(name = ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, value = "1800000"),
                @Property(name = ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                        value = "org.apache.kafka.clients.consumer.RangeAssignor"),
                // The gitwatcher writes definitions in transactions; one it aborted (killed before the commit) is
                // not Git's word and must not be applied (AbortedDefinitionsIT). Kafka's default reads them too.
                @Property(name = ConsumerConfig.ISOLATION_LEVEL_CONFIG, value = "read_committed")})
@Requires(property = "k0rdent.provisioner.listeners.enabled", notEquals = "false")
public class ClusterEventsListener implements ConsumerAware<String, byte[]>, ConsumerRebalanceListener {

    private final ClusterReconciler reconciler;
    private final ReconcileStages stages;
    private final ConsumerSkeleton skeleton;
    private final KafkaClientBinder clientMetrics;
    private final String definitionsTopic;
    private final ClusterOwnership ownership;
    private final KnownClustersLoader known;
    private final PartitionHandOver handOver;

    public ClusterEventsListener(ClusterReconciler reconciler, ReconcileStages stages, ConsumerSkeleton skeleton,
                                 KafkaClientBinder clientMetrics,
                                 @Property(name = "k0rdent.provisioner.definitions-topic") String definitionsTopic,
                                 ClusterOwnership ownership, KnownClustersLoader known,
                                 PartitionHandOver handOver) {
        this.ownership = ownership;
        this.handOver = handOver;
        this.known = known;
        this.reconciler = reconciler;
        this.stages = stages;
        this.skeleton = skeleton;
        this.clientMetrics = clientMetrics;
        this.definitionsTopic = definitionsTopic;
    }

    /** Called for each consumer micronaut-kafka creates for this listener: exports its lag under our name. */
    @Override
    public void setKafkaConsumer(Consumer<String, byte[]> consumer) {
        clientMetrics.bind(consumer);
    }

    /**
     * The drift pass and automatic retries follow the definitions partitions this replica owns, and what it knows of
     * their clusters is caught up first.
     */
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        List<Integer> definitions = definitions(partitions);
        // Before this consumer's first poll of them: their clusters' definitions may have been consumed elsewhere.
        known.catchUp(definitions);
        ownership.assigned(definitions);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        // Blocks the rebalance until work under way on these clusters has published its outcome.
        handOver.revoked(definitions(partitions));
    }

    private List<Integer> definitions(Collection<TopicPartition> partitions) {
        return partitions.stream().filter(p -> p.topic().equals(definitionsTopic)).map(TopicPartition::partition)
                .toList();
    }

    @Topic({"${k0rdent.provisioner.definitions-topic}", "${k0rdent.provisioner.bootstrap-topic}"})
    public void receive(ConsumerRecord<String, byte[]> record) {
        boolean definitions = record.topic().equals(definitionsTopic);
        skeleton.consume(record, event -> {
            if (definitions) {
                if (!(event instanceof ClusterDefinitionChanged changed)) {
                    throw new UnprocessableEventException(
                            event.type().ceType() + " does not belong on the definitions topic");
                }
                String stage = changed instanceof ClusterDefinitionDeleted ? "destroy" : "provision";
                stages.runAndPublish(stage, () -> reconciler.onDefinition(changed));
            } else if (event instanceof NodesDrained drained) {
                // Retiring drained nodes is the provisioner's part of an upgrade's rolling replacement.
                try {
                    stages.runAndPublish("provision", () -> reconciler.onNodesDrained(drained));
                } catch (NoSuchClusterException e) {
                    // Nothing of that cluster exists: retrying cannot help, and skipping would leave no trace.
                    throw new UnprocessableEventException(e.getMessage(), e);
                }
            }
        });
    }
}
