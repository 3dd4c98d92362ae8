package io.k0rdent.ops.contracts.event;

/**
 * The desired state of a cluster changed in Git and passed validation. Produced by the gitwatcher on
 * {@code k0rdent.cluster.definitions}; the provisioner reconciles from it.
 */
public sealed interface ClusterDefinitionChanged extends ClusterEvent
        permits ClusterDefinitionCreated, ClusterDefinitionUpdated, ClusterDefinitionDeleted {

    GitSource git();
}
