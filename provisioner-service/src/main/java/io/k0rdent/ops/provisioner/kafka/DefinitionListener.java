package io.k0rdent.ops.provisioner.kafka;

import io.k0rdent.ops.contracts.event.ClusterDefinitionChanged;
import io.k0rdent.ops.contracts.event.ClusterDefinitionDeleted;
import io.k0rdent.ops.provisioner.reconcile.ClusterReconciler;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Consumes {@code ClusterDefinitionChanged}: decodes, hands the event to {@link ClusterReconciler}, publishes what it
 * answers, and only then lets the offset be committed (one synchronous commit per record). A record that does not
 * decode goes to the dead-letter topic. Any other failure (Kafka unavailable, a crash point in tests) leaves the
 * offset where it is, and the record is processed again; reprocessing is harmless by design.
 */
@KafkaListener(groupId = "${k0rdent.provisioner.group-id}", clientId = "provisioner-definitions",
        offsetReset = OffsetReset.EARLIEST, offsetStrategy = OffsetStrategy.SYNC_PER_RECORD,
        threadsValue = "${k0rdent.provisioner.consumer-threads:4}",
        errorStrategy = @ErrorStrategy(value = ErrorStrategyValue.RETRY_EXPONENTIALLY_ON_ERROR, retryCount = 1000,
                retryDelay = "100ms", handleAllExceptions = true),
        // One record at a time, and a long poll interval: a reconcile waits for instances (minutes on AWS), and the
        // group must not hand the partition to another member meanwhile.
        properties = {
                @Property(name = ConsumerConfig.MAX_POLL_RECORDS_CONFIG, value = "1"),
                @Property(name = ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, value = "1800000")})
@Requires(property = "k0rdent.provisioner.listeners.enabled", notEquals = "false")
public class DefinitionListener implements ConsumerAware<String, byte[]> {

    private final ClusterReconciler reconciler;
    private final EventPublisher publisher;
    private final RecordGuard guard;
    private final KafkaClientBinder clientMetrics;

    public DefinitionListener(ClusterReconciler reconciler, EventPublisher publisher, RecordGuard guard,
                              KafkaClientBinder clientMetrics) {
        this.reconciler = reconciler;
        this.publisher = publisher;
        this.guard = guard;
        this.clientMetrics = clientMetrics;
    }

    /** Called for each consumer micronaut-kafka creates for this listener: exports its lag under our name. */
    @Override
    public void setKafkaConsumer(Consumer<String, byte[]> consumer) {
        clientMetrics.bind(consumer);
    }

    @Topic("${k0rdent.provisioner.definitions-topic}")
    public void receive(ConsumerRecord<String, byte[]> record) {
        guard.receive(record, (event, observed) -> {
            if (event instanceof ClusterDefinitionChanged changed) {
                String stage = changed instanceof ClusterDefinitionDeleted ? "destroy" : "provision";
                guard.process(record, observed,
                        () -> publisher.publish(guard.stage(stage, () -> reconciler.onDefinition(changed))));
            } else {
                guard.unprocessable(record, observed,
                        event.type().ceType() + " does not belong on the definitions topic");
            }
        });
    }
}
