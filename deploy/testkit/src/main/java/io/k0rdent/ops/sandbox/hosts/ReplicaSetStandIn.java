package io.k0rdent.ops.sandbox.hosts;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a simulated cluster's ReplicaSet controller and scheduler do for the pods of its add-ons (CoreDNS,
 * metrics-server, ingress-nginx): an evicted pod is replaced by a new one, which the scheduler binds to a Ready node
 * that is not cordoned (the fewest such pods first) or, with none, leaves {@code Pending} until one appears (a node
 * registers or is uncordoned). Without it, a drained node would take CoreDNS away for good, which real clusters do not
 * do. Kubernetes docs, "ReplicaSet", "Safely Drain a Node" ("kubectl drain ... the pods will be replaced by the
 * ReplicaSet on other nodes"), "Taints and Tolerations" ({@code node.kubernetes.io/unschedulable}).
 */
final class ReplicaSetStandIn {

    private final CrudStore store;
    private int serial;

    ReplicaSetStandIn(CrudStore store) {
        this.store = store;
    }

    static boolean ownedByReplicaSet(Pod pod) {
        return pod.getMetadata().getOwnerReferences() != null && pod.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> "ReplicaSet".equals(o.getKind()));
    }

    /** Creates the replacement of {@code evicted}, bound to a schedulable node other than its own when there is one. */
    synchronized void replace(Pod evicted) {
        if (!ownedByReplicaSet(evicted)) {
            return;
        }
        String name = evicted.getMetadata().getName();
        String prefix = name.contains("-") ? name.substring(0, name.lastIndexOf('-')) : name;
        Optional<String> node = schedulableNode(evicted.getSpec() == null ? null : evicted.getSpec().getNodeName());
        Pod replacement = new PodBuilder()
                .withNewMetadata().withNamespace(evicted.getMetadata().getNamespace())
                .withName(prefix + "-r" + Integer.toHexString(++serial))
                .withLabels(evicted.getMetadata().getLabels())
                .withOwnerReferences(evicted.getMetadata().getOwnerReferences()).endMetadata()
                .withNewSpec().withNodeName(node.orElse(null)).endSpec()
                .build();
        replacement.setStatus(SimulatedPods.status(node.isPresent()));
        store.create("/api/v1/namespaces/" + evicted.getMetadata().getNamespace() + "/pods", replacement);
    }

    /** Binds every pending add-on pod to a schedulable node, as the scheduler does once one exists. */
    synchronized void schedulePending() {
        for (Pod pod : store.<Pod, PodList>list("/api/v1/pods", PodList.class)) {
            if (!ownedByReplicaSet(pod) || pod.getSpec() == null || pod.getSpec().getNodeName() != null) {
                continue;
            }
            Optional<String> node = schedulableNode(null);
            if (node.isEmpty()) {
                return;
            }
            pod.getSpec().setNodeName(node.get());
            pod.setStatus(SimulatedPods.status(true));
            store.replace("/api/v1/namespaces/" + pod.getMetadata().getNamespace() + "/pods/"
                    + pod.getMetadata().getName(), pod);
        }
    }

    private Optional<String> schedulableNode(String except) {
        List<Node> nodes = store.<Node, NodeList>list("/api/v1/nodes", NodeList.class);
        Map<String, Long> load = store.<Pod, PodList>list("/api/v1/pods", PodList.class).stream()
                .filter(ReplicaSetStandIn::ownedByReplicaSet)
                .filter(p -> p.getSpec() != null && p.getSpec().getNodeName() != null)
                .collect(Collectors.groupingBy(p -> p.getSpec().getNodeName(), Collectors.counting()));
        return nodes.stream()
                .filter(SimulatedPods::ready)
                .filter(n -> n.getSpec() == null || !Boolean.TRUE.equals(n.getSpec().getUnschedulable()))
                .map(n -> n.getMetadata().getName())
                .filter(n -> !Objects.equals(n, except))
                .min(Comparator.comparing((Function<String, Long>) n -> load.getOrDefault(n, 0L))
                        .thenComparing(Function.identity()));
    }
}
