package io.k0rdent.ops.provisioner.kafka;

import io.k0rdent.ops.contracts.event.NodesDrained;
import io.k0rdent.ops.provisioner.reconcile.ClusterReconciler;
import io.k0rdent.ops.provisioner.reconcile.NoSuchClusterException;
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
 * Consumes the bootstrap topic for {@code NodesDrained}: the answer that lets retired nodes be terminated. The
 * topic's other events (cluster ready, bootstrap failed) are not the provisioner's business and are skipped.
 */
@KafkaListener(groupId = "${k0rdent.provisioner.group-id}", clientId = "provisioner-bootstrap",
        offsetReset = OffsetReset.EARLIEST, offsetStrategy = OffsetStrategy.SYNC_PER_RECORD,
        errorStrategy = @ErrorStrategy(value = ErrorStrategyValue.RETRY_EXPONENTIALLY_ON_ERROR, retryCount = 1000,
                retryDelay = "100ms", handleAllExceptions = true),
        // One record at a time, and a long poll interval: a reconcile waits for instances (minutes on AWS), and the
        // group must not hand the partition to another member meanwhile.
        properties = {
                @Property(name = ConsumerConfig.MAX_POLL_RECORDS_CONFIG, value = "1"),
                @Property(name = ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, value = "1800000")})
@Requires(property = "k0rdent.provisioner.listeners.enabled", notEquals = "false")
public class BootstrapListener implements ConsumerAware<String, byte[]> {

    private final ClusterReconciler reconciler;
    private final EventPublisher publisher;
    private final RecordGuard guard;
    private final KafkaClientBinder clientMetrics;

    public BootstrapListener(ClusterReconciler reconciler, EventPublisher publisher, RecordGuard guard,
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

    // Only NodesDrained concerns the provisioner; the other bootstrap events are for the notifier.
    @Topic("${k0rdent.provisioner.bootstrap-topic}")
    public void receive(ConsumerRecord<String, byte[]> record) {
        guard.receive(record, (event, observed) -> {
            if (event instanceof NodesDrained drained) {
                // Retiring drained nodes is the provisioner's part of an upgrade's rolling replacement.
                guard.process(record, observed, () -> {
                    try {
                        publisher.publish(guard.stage("provision", () -> reconciler.onNodesDrained(drained)));
                    } catch (NoSuchClusterException e) {
                        // Nothing of that cluster exists: retrying cannot help, and skipping would leave no trace.
                        guard.unprocessable(record, observed, e.getMessage());
                    }
                });
            }
        });
    }
}
