package io.k0rdent.ops.bootstrap.kafka;

import io.k0rdent.ops.support.AttemptBudget;
import io.k0rdent.ops.support.telemetry.KafkaClientBinder;
import io.micronaut.configuration.kafka.ConsumerAware;
import io.micronaut.configuration.kafka.annotation.ErrorStrategy;
import io.micronaut.configuration.kafka.annotation.ErrorStrategyValue;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.context.annotation.Property;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import java.util.Collection;

/**
 * Thin listener on the infrastructure topic. Records are keyed by cluster, so one cluster's events
 * arrive in order on one consumer thread (serialized), while {@code k0rdent.bootstrap.parallelism}
 * threads bootstrap different clusters at once (bounded). The offset of a record is committed
 * synchronously after {@link #receive} returned, i.e. after the effect and its event (or its dead letter).
 *
 * <p>A record whose handling throws is delivered again by the error strategy (seek back, exponential pause of
 * its partition). The handler's {@link AttemptBudget}, not the error strategy, decides when to give up: it then
 * dead-letters the record with {@code RETRIES_EXHAUSTED} and returns normally. The error strategy's own count is
 * set far above any budget because, once it is spent, micronaut-kafka merely logs the exception and commits the
 * offset, which would lose the record.
 */
@KafkaListener(
        groupId = "${k0rdent.bootstrap.group-id:k0rdent-bootstrap}",
        offsetReset = OffsetReset.EARLIEST,
        offsetStrategy = OffsetStrategy.SYNC_PER_RECORD,
        threadsValue = "${k0rdent.bootstrap.parallelism:4}",
        errorStrategy = @ErrorStrategy(value = ErrorStrategyValue.RETRY_EXPONENTIALLY_ON_ERROR, retryCount = 1000,
                retryDelay = "1s", handleAllExceptions = true),
        properties = {
            // A bootstrap takes minutes: take one record at a time and allow long gaps between polls.
            @Property(name = ConsumerConfig.MAX_POLL_RECORDS_CONFIG, value = "1"),
            @Property(name = ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, value = "3600000"),
            // Only partitions that really move are revoked (the eager range assignor revokes all at every
            // rebalance), so a replica keeps the retries of the clusters it keeps.
            @Property(name = ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                    value = "org.apache.kafka.clients.consumer.CooperativeStickyAssignor"),
            // As every consumer of ours: records of an aborted transaction are not events (Kafka's default reads them).
            @Property(name = ConsumerConfig.ISOLATION_LEVEL_CONFIG, value = "read_committed")
        })
public class InfrastructureListener implements ConsumerAware<String, byte[]>, ConsumerRebalanceListener {

    private final InfrastructureEventHandler handler;
    private final KafkaClientBinder clientMetrics;
    private final RetryRecovery recovery;

    public InfrastructureListener(InfrastructureEventHandler handler, KafkaClientBinder clientMetrics,
                                  RetryRecovery recovery) {
        this.handler = handler;
        this.clientMetrics = clientMetrics;
        this.recovery = recovery;
    }

    /** Called for each consumer micronaut-kafka creates for this listener: exports its lag under our name. */
    @Override
    public void setKafkaConsumer(Consumer<String, byte[]> consumer) {
        clientMetrics.bind(consumer);
    }

    /** Partitions moving to another replica: their clusters are let go of here (see the handler). */
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        handler.release(partitions);
    }

    /**
     * Partitions given to this replica (at start, or moved from another): the records are consumed from the committed
     * offset, and the automatic retries their last owner was waiting on are taken over first.
     */
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        recovery.recover(partitions, handler::restore);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        handler.release(partitions);
    }

    @Topic("${k0rdent.bootstrap.topics.infrastructure:k0rdent.cluster.infrastructure}")
    public void receive(ConsumerRecord<String, byte[]> record) {
        handler.handle(record);
    }
}
