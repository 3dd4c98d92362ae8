package io.k0rdent.ops.contracts.event;

import java.util.List;

/**
 * The cluster works: the expected nodes are Ready and the system workloads run. Emitted only after
 * that was verified through the cluster's API.
 *
 * @param kubeconfigSecret where the admin kubeconfig is stored in the management cluster
 * @param phases           time spent per bootstrap phase
 */
public record ClusterReady(
        EventHeader header,
        String apiEndpoint,
        SecretReference kubeconfigSecret,
        String k0sVersion,
        List<ReadyNode> nodes,
        List<PhaseTiming> phases) implements BootstrapEvent {

    public ClusterReady {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
        phases = phases == null ? List.of() : List.copyOf(phases);
    }
}
