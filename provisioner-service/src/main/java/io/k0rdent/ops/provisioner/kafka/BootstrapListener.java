package io.k0rdent.ops.provisioner.kafka;

import io.k0rdent.ops.contracts.deadletter.DeadLetterReason;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.NodesDrained;
import io.k0rdent.ops.contracts.serde.EventDecodingException;
import io.k0rdent.ops.provisioner.reconcile.ClusterReconciler;
import io.micronaut.configuration.kafka.annotation.ErrorStrategy;
import io.micronaut.configuration.kafka.annotation.ErrorStrategyValue;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
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
public class BootstrapListener {

    private final ClusterReconciler reconciler;
    private final EventPublisher publisher;
    private final AttemptBudget attempts;

    public BootstrapListener(ClusterReconciler reconciler, EventPublisher publisher, AttemptBudget attempts) {
        this.reconciler = reconciler;
        this.publisher = publisher;
        this.attempts = attempts;
    }

    // Throwing leaves the offset uncommitted and the error strategy delivers the record again; the error strategy's
    // own retry count is set high so that this budget, not it, decides when to give up.
    private void process(ConsumerRecord<String, byte[]> record, Runnable work) {
        try {
            work.run();
            attempts.done(record);
        } catch (RuntimeException e) {
            if (attempts.failedMayRetry(record)) {
                throw e;
            }
            attempts.done(record);
            publisher.deadLetter(record, DeadLetterReason.RETRIES_EXHAUSTED, e);
        }
    }

    @Topic("${k0rdent.provisioner.bootstrap-topic}")
    public void receive(ConsumerRecord<String, byte[]> record) {
        ClusterEvent event;
        try {
            event = publisher.codec().decode(record);
        } catch (EventDecodingException e) {
            publisher.deadLetter(record, e.reason() == EventDecodingException.Reason.UNKNOWN_TYPE
                    ? DeadLetterReason.UNKNOWN_EVENT_TYPE : DeadLetterReason.UNDECODABLE, e);
            return;
        }
        if (event instanceof NodesDrained drained) {
            process(record, () -> publisher.publish(reconciler.onNodesDrained(drained)));
        }
    }
}
