package io.k0rdent.ops.bootstrap.kube;

/** A Kubernetes Node as the bootstrap cares about it. */
public record NodeState(String name, boolean ready, String kubeletVersion, boolean unschedulable) {
}
