package io.k0rdent.ops.contracts.event;

/**
 * The actual infrastructure differs from the desired state for a reason outside Git.
 *
 * @param action what the provisioner did about it, e.g. {@code "replaced"} or {@code "reported"}
 */
public record DriftDetected(EventHeader header, DriftKind kind, String resourceId, String description, String action)
        implements InfrastructureEvent {

    /** The kinds of drift the periodic reconcile recognises. */
    public enum DriftKind {
        INSTANCE_MISSING,
        INSTANCE_STOPPED,
        ORPHAN_RESOURCE,
        /** The API load balancer, one of its listeners or a controller's registration was changed outside Git. */
        API_ENDPOINT_CHANGED
    }
}
