package io.k0rdent.ops.contracts.event;

/**
 * Ends a suspension. The provisioner then re-drives the cluster's latest definition, so what was queued while it
 * was suspended is applied.
 */
public record ClusterResumed(EventHeader header, String reason) implements ControlEvent {
}
