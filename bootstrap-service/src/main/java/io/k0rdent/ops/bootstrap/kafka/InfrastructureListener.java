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
import org.apache.kafka.clients.consumer.ConsumerRecord;

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
            @Property(name = ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, value = "3600000")
        })
public class InfrastructureListener implements ConsumerAware<String, byte[]> {

    private final InfrastructureEventHandler handler;
    private final KafkaClientBinder clientMetrics;

    public InfrastructureListener(InfrastructureEventHandler handler, KafkaClientBinder clientMetrics) {
        this.handler = handler;
        this.clientMetrics = clientMetrics;
    }

    /** Called for each consumer micronaut-kafka creates for this listener: exports its lag under our name. */
    @Override
    public void setKafkaConsumer(Consumer<String, byte[]> consumer) {
        clientMetrics.bind(consumer);
    }

    @Topic("${k0rdent.bootstrap.topics.infrastructure:k0rdent.cluster.infrastructure}")
    public void receive(ConsumerRecord<String, byte[]> record) {
        handler.handle(record);
    }
}
