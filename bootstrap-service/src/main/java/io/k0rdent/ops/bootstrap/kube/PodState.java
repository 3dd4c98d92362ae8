package io.k0rdent.ops.bootstrap.kube;

/**
 * A Pod as the health check and the drain care about it.
 *
 * @param ready     phase Running and condition Ready true
 * @param daemonSet owned by a DaemonSet (left in place by a drain, like {@code kubectl drain --ignore-daemonsets})
 */
public record PodState(String namespace, String name, String nodeName, boolean ready, boolean daemonSet) {
}
