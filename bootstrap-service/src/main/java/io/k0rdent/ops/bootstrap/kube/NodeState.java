package io.k0rdent.ops.bootstrap.kube;

/**
 * A Kubernetes Node as the bootstrap cares about it.
 *
 * @param cordonedFor why the bootstrap service cordoned it ({@code upgrade}, {@code retirement}), read from the Node's
 *                    {@value WorkloadCluster#CORDONED_FOR} annotation; {@code null} when it did not (also when someone
 *                    else did)
 */
public record NodeState(String name, boolean ready, String kubeletVersion, boolean unschedulable, String cordonedFor) {

    public NodeState(String name, boolean ready, String kubeletVersion, boolean unschedulable) {
        this(name, ready, kubeletVersion, unschedulable, null);
    }
}
