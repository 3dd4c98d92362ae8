package io.k0rdent.ops.bootstrap.kube;

import java.util.List;

/** The API of one workload cluster, opened from its admin kubeconfig by {@link WorkloadClusterProbe}. */
public interface WorkloadCluster extends AutoCloseable {

    /** Whether the API server answers. */
    boolean reachable();

    List<NodeState> nodes();

    List<PodState> pods(String namespace);

    /** Marks the node unschedulable (or schedulable again). */
    void setUnschedulable(String node, boolean unschedulable);

    /** Removes every pod but DaemonSet pods from the node (after cordoning). */
    void evictPods(String node);

    void deleteNode(String node);

    @Override
    void close();
}
