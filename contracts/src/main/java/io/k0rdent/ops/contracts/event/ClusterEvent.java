package io.k0rdent.ops.contracts.event;

/**
 * Every event k0rdent-ops exchanges about a cluster. Each family is produced by exactly one service
 * and lives on its own topic (see {@link io.k0rdent.ops.contracts.topic.Topics}).
 */
public sealed interface ClusterEvent
        permits ClusterDefinitionChanged, ClusterDefinitionRejected, InfrastructureEvent, BootstrapEvent,
        NotificationEvent, ControlEvent {

    EventHeader header();

    /** The Kafka key: the cluster name, so all events of one cluster stay in order on one partition. */
    default String key() {
        return header().clusterName();
    }

    default EventType type() {
        return EventType.of(this);
    }
}
