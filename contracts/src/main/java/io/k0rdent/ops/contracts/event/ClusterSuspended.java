package io.k0rdent.ops.contracts.event;

/**
 * From now on no provisioning, bootstrap or drift action is started for the cluster (one under way finishes).
 * Git changes are still validated and published; they are applied when the cluster is resumed.
 */
public record ClusterSuspended(EventHeader header, String reason) implements ControlEvent {
}
