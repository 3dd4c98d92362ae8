package io.k0rdent.ops.k0ops.inspect;

import io.k0rdent.ops.contracts.event.EventType;
import java.util.Optional;

/** Where a cluster is in its lifecycle, as the last lifecycle event says. */
public enum Stage {
    PROVISIONING("provisioning"),
    BOOTSTRAPPING("bootstrapping"),
    READY("ready"),
    SCALING("scaling"),
    DELETING("deleting"),
    DESTROYED("destroyed"),
    PROVISIONING_FAILED("provisioning-failed"),
    BOOTSTRAP_FAILED("bootstrap-failed"),
    REJECTED("rejected"),
    /**
     * Accepted by the gitwatcher (its state topic holds the definition) but with no lifecycle event left on the
     * topics: everything about it is older than their retention. Typically a cluster running untouched for a month.
     */
    ACCEPTED("accepted, no recent events");

    private final String label;

    Stage(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean failed() {
        return this == PROVISIONING_FAILED || this == BOOTSTRAP_FAILED || this == REJECTED;
    }

    /**
     * The stage an event moves its cluster to; empty for events that do not change the stage
     * (notifications, drift reports, and rejections of clusters that already exist).
     */
    public static Optional<Stage> after(EventType type) {
        return Optional.ofNullable(switch (type) {
            case CLUSTER_DEFINITION_CREATED, CLUSTER_DEFINITION_UPDATED -> PROVISIONING;
            case CLUSTER_DEFINITION_DELETED -> DELETING;
            case CLUSTER_DEFINITION_REJECTED -> REJECTED;
            case INFRASTRUCTURE_PROVISIONED -> BOOTSTRAPPING;
            case NODES_RETIREMENT_REQUESTED, NODES_DRAINED -> SCALING;
            case PROVISIONING_FAILED -> PROVISIONING_FAILED;
            case INFRASTRUCTURE_DESTROYED -> DESTROYED;
            case CLUSTER_READY -> READY;
            case BOOTSTRAP_FAILED -> BOOTSTRAP_FAILED;
            // A suspension is shown beside the stage (status reads the control topic), not as one.
            case DRIFT_DETECTED, NOTIFICATION_SENT, NOTIFICATION_FAILED, CLUSTER_SUSPENDED, CLUSTER_RESUMED,
                    RECONCILE_REQUESTED -> null;
        });
    }
}
