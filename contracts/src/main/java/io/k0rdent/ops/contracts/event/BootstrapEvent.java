package io.k0rdent.ops.contracts.event;

/** Facts about k0s on a cluster's nodes. Produced by the bootstrap service on {@code k0rdent.cluster.bootstrap}. */
public sealed interface BootstrapEvent extends ClusterEvent permits ClusterReady, BootstrapFailed, NodesDrained {
}
