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

    /**
     * Evicts every pod but DaemonSet and static pods from the (cordoned) node through the Eviction API, honouring
     * PodDisruptionBudgets; refused evictions are tried again until {@code timeout}.
     *
     * @throws DrainBlocked when pods are still there after {@code timeout}, naming them and why
     */
    void drain(String node, java.time.Duration timeout, java.time.Duration poll);

    /**
     * What does not work in the pod network and DNS, as probe pods on {@code nodes} find (empty when all works); the
     * probe pods are gone afterwards.
     */
    List<String> networkProblems(List<String> nodes, String probeImage, java.time.Duration timeout,
                                 java.time.Duration poll);

    void deleteNode(String node);

    @Override
    void close();
}
