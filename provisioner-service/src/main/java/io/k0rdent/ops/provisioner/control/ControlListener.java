package io.k0rdent.ops.provisioner.control;

import io.k0rdent.ops.contracts.event.ClusterResumed;
import io.k0rdent.ops.contracts.event.ControlEvent;
import io.k0rdent.ops.contracts.event.ReconcileRequested;
import io.k0rdent.ops.provisioner.kafka.ReconcileStages;
import io.k0rdent.ops.provisioner.reconcile.ClusterReconciler;
import io.k0rdent.ops.support.consumer.ConsumerSkeleton;
import io.k0rdent.ops.support.consumer.UnprocessableEventException;
import io.k0rdent.ops.support.control.ClusterControl;
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
 * Consumes {@code k0rdent.cluster.control} in the provisioner's group: a reconcile request or a resume re-drives the
 * cluster's latest definition ({@link ClusterReconciler#redrive}), once per request across replicas. Suspensions
 * themselves need no action here; they are applied to {@link ClusterControl} so that this replica knows at once.
 * A new group starts at the earliest offset: re-driving a cluster again for an old request is harmless (every
 * re-drive converges), missing a request made while the group was being formed is not.
 */
@KafkaListener(groupId = "${k0rdent.provisioner.group-id}", clientId = "provisioner-control",
        offsetReset = OffsetReset.EARLIEST, offsetStrategy = OffsetStrategy.SYNC_PER_RECORD,
        errorStrategy = @ErrorStrategy(value = ErrorStrategyValue.RETRY_EXPONENTIALLY_ON_ERROR, retryCount = 1000,
                retryDelay = "100ms", handleAllExceptions = true),
        properties = {
                @Property(name = ConsumerConfig.MAX_POLL_RECORDS_CONFIG, value = "1"),
                @Property(name = ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, value = "1800000"),
                // As every consumer of ours: records of an aborted transaction are not requests.
                @Property(name = ConsumerConfig.ISOLATION_LEVEL_CONFIG, value = "read_committed")})
@Requires(property = "k0rdent.provisioner.listeners.enabled", notEquals = "false")
public class ControlListener {

    private final ClusterReconciler reconciler;
    private final ReconcileStages stages;
    private final ConsumerSkeleton skeleton;
    private final ClusterControl control;

    public ControlListener(ClusterReconciler reconciler, ReconcileStages stages, ConsumerSkeleton skeleton,
                           ClusterControl control) {
        this.reconciler = reconciler;
        this.stages = stages;
        this.skeleton = skeleton;
        this.control = control;
    }

    @Topic("${k0rdent.provisioner.control-topic}")
    public void receive(ConsumerRecord<String, byte[]> record) {
        skeleton.consume(record, event -> {
            if (!(event instanceof ControlEvent request)) {
                throw new UnprocessableEventException(event.type().ceType() + " does not belong on the control topic");
            }
            control.apply(request, record.offset());
            if (request instanceof ReconcileRequested || request instanceof ClusterResumed) {
                stages.runAndPublish("provision", () -> reconciler.redrive(request));
            }
        });
    }
}
