package io.k0rdent.ops.bootstrap.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.List;

/**
 * The one adapter to workload clusters' APIs (fabric8). Opens a client from a kubeconfig; the
 * domain sees only {@link NodeState} and {@link PodState}.
 */
public final class WorkloadClusterProbe {

    private final Clock clock;

    /** @param clock times drains and probes (the factory's, so tests and the service agree on time) */
    public WorkloadClusterProbe(Clock clock) {
        this.clock = clock;
    }

    /** Opens the cluster's API with {@code kubeconfig}; nothing is contacted yet. */
    public WorkloadCluster open(String kubeconfig) {
        Config config = Config.fromKubeconfig(kubeconfig);
        // Short timeouts: the caller polls, and one slow answer must not eat the whole ready timeout.
        config.setConnectionTimeout(5_000);
        config.setRequestTimeout(10_000);
        config.setRequestRetryBackoffLimit(0);
        return new Fabric8WorkloadCluster(new KubernetesClientBuilder().withConfig(config).build(), clock);
    }

    private static final class Fabric8WorkloadCluster implements WorkloadCluster {

        private final KubernetesClient client;
        private final Clock clock;

        Fabric8WorkloadCluster(KubernetesClient client, Clock clock) {
            this.client = client;
            this.clock = clock;
        }

        @Override
        public boolean reachable() {
            try {
                client.namespaces().withName("kube-system").get();
                return true;
            } catch (KubernetesClientException e) {
                return false;
            }
        }

        @Override
        public List<NodeState> nodes() {
            return client.nodes().list().getItems().stream().map(Fabric8WorkloadCluster::node).toList();
        }

        private static NodeState node(Node node) {
            boolean ready = node.getStatus() != null && node.getStatus().getConditions() != null
                    && node.getStatus().getConditions().stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            String kubelet = node.getStatus() == null || node.getStatus().getNodeInfo() == null
                    ? null : node.getStatus().getNodeInfo().getKubeletVersion();
            boolean unschedulable = node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
            String cordonedFor = node.getMetadata().getAnnotations() == null ? null
                    : node.getMetadata().getAnnotations().get(CORDONED_FOR);
            return new NodeState(node.getMetadata().getName(), ready, kubelet, unschedulable, cordonedFor);
        }

        @Override
        public List<PodState> pods(String namespace) {
            var pods = namespace == null ? client.pods().inAnyNamespace().list() : client.pods().inNamespace(namespace).list();
            return pods.getItems().stream().map(Fabric8WorkloadCluster::pod).toList();
        }

        private static PodState pod(Pod pod) {
            boolean running = pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase());
            List<PodCondition> conditions = pod.getStatus() == null || pod.getStatus().getConditions() == null
                    ? List.of() : pod.getStatus().getConditions();
            boolean ready = running && conditions.stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            List<OwnerReference> owners = pod.getMetadata().getOwnerReferences() == null
                    ? List.of() : pod.getMetadata().getOwnerReferences();
            boolean daemonSet = owners.stream().anyMatch(o -> "DaemonSet".equals(o.getKind()));
            return new PodState(pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                    pod.getSpec() == null ? null : pod.getSpec().getNodeName(), ready, daemonSet);
        }

        @Override
        public void cordon(String node, String purpose) {
            client.nodes().withName(node).edit(n -> {
                n.getSpec().setUnschedulable(true);
                if (n.getMetadata().getAnnotations() == null) {
                    n.getMetadata().setAnnotations(new java.util.HashMap<>());
                }
                n.getMetadata().getAnnotations().put(CORDONED_FOR, purpose);
                return n;
            });
        }

        @Override
        public void uncordon(String node) {
            client.nodes().withName(node).edit(n -> {
                n.getSpec().setUnschedulable(false);
                if (n.getMetadata().getAnnotations() != null) {
                    n.getMetadata().getAnnotations().remove(CORDONED_FOR);
                }
                return n;
            });
        }

        @Override
        public void drain(String node, java.time.Duration timeout, java.time.Duration poll) {
            new NodeDrain(client, clock).drain(node, timeout, poll);
        }

        @Override
        public List<String> networkProblems(List<String> nodes, String probeImage, java.time.Duration timeout,
                                            java.time.Duration poll) {
            return new ClusterProbes(client, clock).problems(nodes, probeImage, timeout, poll);
        }

        @Override
        public void deleteNode(String node) {
            client.nodes().withName(node).delete();
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
