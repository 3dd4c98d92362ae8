package io.k0rdent.ops.contracts.event;

/** A Kubernetes node that reported Ready. */
public record ReadyNode(String name, NodeRole role, String instanceId, String kubeletVersion) {
}
