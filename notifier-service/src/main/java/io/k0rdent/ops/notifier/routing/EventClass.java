package io.k0rdent.ops.notifier.routing;

import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.EventType;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What the notifier needs to know about an event type: the names a routing rule may use for it,
 * its severity, its stage and whether it reports a failure or a success of that stage.
 *
 * <p>Derived from {@link EventType} alone, so the classification of a type is in one place and a
 * new event type only has to be added here.
 */
public record EventClass(EventType type, Set<String> names, Severity severity, Stage stage, Outcome outcome) {

    /** Whether an event ends its stage well, badly, or is just a fact along the way. */
    public enum Outcome {
        SUCCESS,
        FAILURE,
        NEUTRAL
    }

    public static EventClass of(ClusterEvent event) {
        return of(event.type());
    }

    public static EventClass of(EventType type) {
        return switch (type) {
            case CLUSTER_DEFINITION_CREATED, CLUSTER_DEFINITION_UPDATED ->
                    new EventClass(type, names(type), Severity.INFO, Stage.VALIDATION, Outcome.SUCCESS);
            case CLUSTER_DEFINITION_DELETED ->
                    new EventClass(type, names(type), Severity.WARNING, Stage.VALIDATION, Outcome.NEUTRAL);
            case CLUSTER_DEFINITION_REJECTED ->
                    new EventClass(type, names(type), Severity.ERROR, Stage.VALIDATION, Outcome.FAILURE);
            case INFRASTRUCTURE_PROVISIONED ->
                    new EventClass(type, names(type), Severity.INFO, Stage.PROVISIONING, Outcome.SUCCESS);
            case NODES_RETIREMENT_REQUESTED, INFRASTRUCTURE_DESTROYED ->
                    new EventClass(type, names(type), Severity.INFO, Stage.PROVISIONING, Outcome.NEUTRAL);
            case PROVISIONING_FAILED ->
                    new EventClass(type, names(type), Severity.ERROR, Stage.PROVISIONING, Outcome.FAILURE);
            case DRIFT_DETECTED ->
                    new EventClass(type, names(type), Severity.WARNING, Stage.PROVISIONING, Outcome.NEUTRAL);
            case CLUSTER_READY -> new EventClass(type, names(type), Severity.INFO, Stage.BOOTSTRAP, Outcome.SUCCESS);
            case BOOTSTRAP_FAILED ->
                    new EventClass(type, names(type), Severity.ERROR, Stage.BOOTSTRAP, Outcome.FAILURE);
            case NODES_DRAINED -> new EventClass(type, names(type), Severity.INFO, Stage.BOOTSTRAP, Outcome.NEUTRAL);
            // The notifier's own audit events are never routed; classified only so the switch is total.
            case NOTIFICATION_SENT -> new EventClass(type, names(type), Severity.INFO, Stage.BOOTSTRAP, Outcome.NEUTRAL);
            case NOTIFICATION_FAILED ->
                    new EventClass(type, names(type), Severity.WARNING, Stage.BOOTSTRAP, Outcome.NEUTRAL);
            // Control events (k0ops suspend, resume, reconcile) are not on the topics the notifier reads.
            case CLUSTER_SUSPENDED, RECONCILE_REQUESTED, CLUSTER_RESUMED ->
                    new EventClass(type, names(type), Severity.INFO, Stage.PROVISIONING, Outcome.NEUTRAL);
        };
    }

    /** The short name of the type, e.g. {@code bootstrap.failed} for {@code io.k0rdent.ops.cluster.bootstrap.failed.v1}. */
    public static String shortName(EventType type) {
        String rest = type.ceType().substring(EventType.TYPE_PREFIX.length()); // cluster.bootstrap.failed.v1
        rest = rest.substring(rest.indexOf('.') + 1);                            // bootstrap.failed.v1
        return rest.substring(0, rest.lastIndexOf('.'));                          // bootstrap.failed
    }

    /**
     * Every name a rule may match the type by: the full {@code ce_type}, the short name
     * ({@code bootstrap.failed}), the family ({@code bootstrap}) and, for rejections, {@code rejection}
     * (they have their own topic although their family is {@code definition}).
     */
    private static Set<String> names(EventType type) {
        Set<String> names = new LinkedHashSet<>();
        names.add(type.ceType());
        String shortName = shortName(type);
        names.add(shortName);
        names.add(shortName.substring(0, shortName.indexOf('.')));
        if (type == EventType.CLUSTER_DEFINITION_REJECTED) {
            names.add("rejection");
        }
        return Set.copyOf(names);
    }

    /** Whether a rule's type entry (any of {@link #names()}) selects this type. */
    public boolean isNamed(String name) {
        return names.contains(name.trim());
    }
}
