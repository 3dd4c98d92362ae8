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
        API_ENDPOINT_CHANGED,
        /**
         * A part of the cluster's network was missing: a subnet, the internet gateway or its attachment, a route
         * table, a security group, a public subnet's public addressing.
         */
        NETWORK_RESOURCE_MISSING,
        /** A route table's default route was missing or went elsewhere. */
        ROUTE_CHANGED,
        /** A subnet was no longer associated with its route table. */
        ROUTE_ASSOCIATION_MISSING,
        /** A subnet was associated with another route table than its own (e.g. by ReplaceRouteTableAssociation). */
        ROUTE_ASSOCIATION_CHANGED,
        /** A private cluster's NAT gateway was deleted, or failed, outside Git. */
        NAT_GATEWAY_LOST,
        /** The Elastic IP of a private cluster's lost NAT gateway was released outside Git. */
        ELASTIC_IP_RELEASED,
        /**
         * A security group's ingress rule was missing, or one not in the cluster's desired set was present; or its
         * egress differed from AWS's default allow-all (the default missing, or another egress rule present).
         */
        SECURITY_GROUP_RULE_CHANGED
    }
}
