package io.k0rdent.ops.bootstrap.phase;

import io.k0rdent.ops.bootstrap.kube.NodeState;
import io.k0rdent.ops.bootstrap.kube.PodState;
import io.k0rdent.ops.contracts.definition.Addons;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What "the cluster works" means: every expected node is registered and Ready, and the system
 * workloads run (CoreDNS, konnectivity, kube-proxy, plus metrics-server and the ingress controller
 * when enabled). A cluster whose API answers but fails any of this is not Ready.
 */
public final class HealthCheck {

    /**
     * A workload that must have at least one Ready pod.
     *
     * @param namespace  where its pods run
     * @param namePrefix the pods' name prefix (the Deployment or DaemonSet name)
     */
    public record Workload(String namespace, String namePrefix) {
    }

    private HealthCheck() {
    }

    /** The system workloads a cluster with these add-ons must run. */
    /** The addon workloads that must not run: those of addons switched off. */
    public static List<Workload> absentWorkloads(Addons addons) {
        List<Workload> absent = new ArrayList<>();
        if (!addons.metricsServer().enabled()) {
            absent.add(new Workload("kube-system", "metrics-server"));
        }
        if (!addons.ingress().enabled()) {
            absent.add(new Workload("ingress-nginx", "ingress-nginx-controller"));
        }
        return absent;
    }

    public static List<Workload> expectedWorkloads(Addons addons) {
        List<Workload> workloads = new ArrayList<>(List.of(
                new Workload("kube-system", "coredns"),
                new Workload("kube-system", "konnectivity-agent"),
                new Workload("kube-system", "kube-proxy")));
        if (addons.metricsServer().enabled()) {
            workloads.add(new Workload("kube-system", "metrics-server"));
        }
        if (addons.ingress().enabled()) {
            workloads.add(new Workload("ingress-nginx", "ingress-nginx-controller"));
        }
        return workloads;
    }

    /**
     * @param expectedNodes node names that must be Ready
     * @return what is not healthy yet, empty when the cluster works
     */
    public static List<String> problems(List<String> expectedNodes, List<NodeState> nodes, List<Workload> workloads,
                                        List<PodState> pods) {
        Map<String, NodeState> byName = nodes.stream().collect(Collectors.toMap(NodeState::name, Function.identity(), (a, b) -> a));
        List<String> problems = new ArrayList<>();
        for (String name : expectedNodes) {
            NodeState node = byName.get(name);
            if (node == null) {
                problems.add("node " + name + " is not registered");
            } else if (!node.ready()) {
                problems.add("node " + name + " is not Ready");
            } else if (node.unschedulable()) {
                // Ready means it takes work: a cordoned node does not (issue 18 item 2).
                problems.add("node " + name + " is cordoned (spec.unschedulable)"
                        + (node.cordonedFor() == null ? ", not by this service" : " for " + node.cordonedFor()));
            }
        }
        for (Workload workload : workloads) {
            List<PodState> matching = pods.stream()
                    .filter(p -> p.namespace().equals(workload.namespace()) && p.name().startsWith(workload.namePrefix()))
                    .toList();
            if (matching.isEmpty()) {
                problems.add(workload.namespace() + "/" + workload.namePrefix() + " has no pods");
            } else if (matching.stream().anyMatch(p -> !p.ready())) {
                problems.add(workload.namespace() + "/" + workload.namePrefix() + " has pods that are not Ready");
            }
        }
        return problems;
    }

    /** Addon workloads still running although their addon is switched off. */
    public static List<String> leftovers(List<Workload> absent, List<PodState> pods) {
        List<String> problems = new ArrayList<>();
        for (Workload workload : absent) {
            if (pods.stream().anyMatch(p -> p.namespace().equals(workload.namespace())
                    && p.name().startsWith(workload.namePrefix()))) {
                problems.add(workload.namespace() + "/" + workload.namePrefix() + " still runs although switched off");
            }
        }
        return problems;
    }
}
