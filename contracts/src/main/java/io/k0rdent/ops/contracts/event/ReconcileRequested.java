package io.k0rdent.ops.contracts.event;

/**
 * Do it again now: the provisioner re-drives the cluster's latest definition through every stage (a failed stage is
 * retried, a finished one converges without change and reports again). Ignored while the cluster is suspended.
 */
public record ReconcileRequested(EventHeader header, String reason) implements ControlEvent {
}
