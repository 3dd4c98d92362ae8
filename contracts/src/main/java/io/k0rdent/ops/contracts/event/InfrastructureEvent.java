package io.k0rdent.ops.contracts.event;

/** Facts about a cluster's AWS infrastructure. Produced by the provisioner on {@code k0rdent.cluster.infrastructure}. */
public sealed interface InfrastructureEvent extends ClusterEvent
        permits InfrastructureProvisioned, NodesRetirementRequested, ProvisioningFailed, InfrastructureDestroyed,
        DriftDetected {
}
