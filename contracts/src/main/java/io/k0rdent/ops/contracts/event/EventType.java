package io.k0rdent.ops.contracts.event;

import io.k0rdent.ops.contracts.topic.Topic;
import io.k0rdent.ops.contracts.topic.Topics;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every event type with its CloudEvents {@code ce_type}, Java type and topic. The version suffix of
 * {@code ce_type} changes only for an incompatible change, which this project does not make: fields
 * are only ever added.
 */
public enum EventType {
    CLUSTER_DEFINITION_CREATED("cluster.definition.created.v1", ClusterDefinitionCreated.class, Topics.DEFINITIONS),
    CLUSTER_DEFINITION_UPDATED("cluster.definition.updated.v1", ClusterDefinitionUpdated.class, Topics.DEFINITIONS),
    CLUSTER_DEFINITION_DELETED("cluster.definition.deleted.v1", ClusterDefinitionDeleted.class, Topics.DEFINITIONS),
    CLUSTER_DEFINITION_REJECTED("cluster.definition.rejected.v1", ClusterDefinitionRejected.class, Topics.REJECTIONS),
    INFRASTRUCTURE_PROVISIONED("cluster.infrastructure.provisioned.v1", InfrastructureProvisioned.class,
            Topics.INFRASTRUCTURE),
    NODES_RETIREMENT_REQUESTED("cluster.infrastructure.nodes-retirement-requested.v1", NodesRetirementRequested.class,
            Topics.INFRASTRUCTURE),
    PROVISIONING_FAILED("cluster.infrastructure.provisioning-failed.v1", ProvisioningFailed.class,
            Topics.INFRASTRUCTURE),
    INFRASTRUCTURE_DESTROYED("cluster.infrastructure.destroyed.v1", InfrastructureDestroyed.class,
            Topics.INFRASTRUCTURE),
    DRIFT_DETECTED("cluster.infrastructure.drift-detected.v1", DriftDetected.class, Topics.INFRASTRUCTURE),
    CLUSTER_READY("cluster.bootstrap.ready.v1", ClusterReady.class, Topics.BOOTSTRAP),
    BOOTSTRAP_FAILED("cluster.bootstrap.failed.v1", BootstrapFailed.class, Topics.BOOTSTRAP),
    NODES_DRAINED("cluster.bootstrap.nodes-drained.v1", NodesDrained.class, Topics.BOOTSTRAP),
    NOTIFICATION_SENT("cluster.notification.sent.v1", NotificationSent.class, Topics.NOTIFICATIONS),
    NOTIFICATION_FAILED("cluster.notification.failed.v1", NotificationFailed.class, Topics.NOTIFICATIONS),
    CLUSTER_SUSPENDED("cluster.control.suspended.v1", ClusterSuspended.class, Topics.CONTROL),
    CLUSTER_RESUMED("cluster.control.resumed.v1", ClusterResumed.class, Topics.CONTROL),
    RECONCILE_REQUESTED("cluster.control.reconcile-requested.v1", ReconcileRequested.class, Topics.CONTROL);

    /** Prefix of every {@code ce_type}, in reverse-DNS form as CloudEvents recommends. */
    public static final String TYPE_PREFIX = "io.k0rdent.ops.";

    private static final Map<String, EventType> BY_CE_TYPE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::ceType, Function.identity()));
    private static final Map<Class<?>, EventType> BY_CLASS =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::javaType, Function.identity()));

    private final String ceType;
    private final Class<? extends ClusterEvent> javaType;
    private final Topic topic;

    EventType(String suffix, Class<? extends ClusterEvent> javaType, Topic topic) {
        this.ceType = TYPE_PREFIX + suffix;
        this.javaType = javaType;
        this.topic = topic;
    }

    /** The CloudEvents type, e.g. {@code io.k0rdent.ops.cluster.bootstrap.ready.v1}. */
    public String ceType() {
        return ceType;
    }

    public Class<? extends ClusterEvent> javaType() {
        return javaType;
    }

    /** The topic events of this type are published to. */
    public Topic topic() {
        return topic;
    }

    /** The type of an event instance; every permitted record has one. */
    public static EventType of(ClusterEvent event) {
        EventType type = BY_CLASS.get(event.getClass());
        if (type == null) {
            throw new IllegalStateException("no EventType for " + event.getClass().getName());
        }
        return type;
    }

    /** The type for a {@code ce_type} value; empty for types this version does not know. */
    public static Optional<EventType> fromCeType(String ceType) {
        return Optional.ofNullable(ceType).map(BY_CE_TYPE::get);
    }
}
