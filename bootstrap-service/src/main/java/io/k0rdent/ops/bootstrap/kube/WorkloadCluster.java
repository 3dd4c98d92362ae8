package io.k0rdent.ops.bootstrap.kube;

import java.util.List;

/** The API of one workload cluster, opened from its admin kubeconfig by {@link WorkloadClusterProbe}. */
public interface WorkloadCluster extends AutoCloseable {

    /**
     * The Node annotation that says the bootstrap service cordoned it, and for what: kept on the Node itself, so a
     * restarted service still knows which cordons are its own to finish.
     */
    String CORDONED_FOR = "k0rdent.io/cordoned-for";

    /** Whether the API server answers. */
    boolean reachable();

    List<NodeState> nodes();

    List<PodState> pods(String namespace);

    /** Marks the node unschedulable and records {@code purpose} in its {@link #CORDONED_FOR} annotation. */
    void cordon(String node, String purpose);

    /** Makes the node schedulable again and removes the {@link #CORDONED_FOR} annotation. */
    void uncordon(String node);

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
