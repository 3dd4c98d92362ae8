package io.k0rdent.ops.sandbox.hosts;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import java.util.List;
import java.util.Optional;
import java.util.Locale;

/**
 * The Kubernetes API of one simulated k0s cluster: fabric8's mock CRUD store served by {@link ClusterApiServers}, bound to the
 * first controller's loopback address on the API port. It is started lazily, when that controller's
 * k0s starts, and seeded the way a fresh k0s cluster looks: kube-system with CoreDNS (and the
 * enabled add-ons), a Ready Node plus kube-proxy and konnectivity-agent pods per joined worker.
 */
public final class SimulatedCluster implements AutoCloseable {

    private final String id;
    private final String apiAddress;
    private final int apiPort;
    private final String clusterConfig;
    private final boolean metricsServer;
    private final boolean ingress;
    /** The version each controller's k0s last started with (not kept across a sandbox restart). */
    private final java.util.Map<String, String> controllerVersions = new java.util.HashMap<>();
    private final ClusterApiServers apis;
    private final java.util.function.Supplier<HostNetwork> network;
    /** kube-router's {@code overlay-type: full}, as the controllers' k0s last started with it. */
    private volatile boolean encapsulateAll;
    private ClusterApiServers.Api server;
    private NamespacedKubernetesClient client;

    SimulatedCluster(String id, String apiAddress, int apiPort, String clusterConfig, ClusterApiServers apis,
                     java.util.function.Supplier<HostNetwork> network) {
        this.id = id;
        this.apis = apis;
        this.network = network;
        this.encapsulateAll = KubeRouterConfig.encapsulatesAll(clusterConfig);
        this.apiAddress = apiAddress;
        this.apiPort = apiPort;
        this.clusterConfig = clusterConfig;
        // The simulation reads the add-ons from the ClusterConfig the installer wrote, as k0s would.
        this.metricsServer = clusterConfig.contains("metrics-server/metrics-server");
        this.ingress = clusterConfig.contains("ingress-nginx/ingress-nginx");
    }

    /** An identifier, unique within its {@link SimulatedHosts}. */
    /** The ClusterConfig the first controller was installed with. */
    String clusterConfig() {
        return clusterConfig;
    }

    /** The address the cluster's API is served on in the simulation (its first controller's). */
    String apiHost() {
        return apiAddress;
    }

    public String id() {
        return id;
    }

    /** Where the API listens: {@code http://<first controller address>:<port>}. */
    public String apiUrl() {
        return "http://" + apiAddress + ":" + apiPort;
    }

    public synchronized boolean apiStarted() {
        return server != null;
    }

    /** Starts the API (once) and creates what a new k0s control plane creates. */
    synchronized void startApi() {
        if (server != null) {
            return;
        }
        startServer();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("kube-system").endMetadata().build()).create();
        createPod("kube-system", "coredns-7d4f7b6c5d-" + suffix("a"), null, "ReplicaSet");
        if (metricsServer) {
            createPod("kube-system", "metrics-server-5d8d9b6f6-" + suffix("b"), null, "ReplicaSet");
        }
        if (ingress) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("ingress-nginx").endMetadata().build()).create();
            createPod("ingress-nginx", "ingress-nginx-controller-6b8c9d7f5-" + suffix("c"), null, "ReplicaSet");
        }
    }

    /**
     * A controller's k0s started with {@code config}: its Helm extensions are reconciled against the API (k0s reads
     * its configuration file at start; a chart added since is installed, one removed is uninstalled). A changed file
     * does nothing until k0s restarts.
     */
    synchronized void applyExtensions(String config) {
        encapsulateAll = KubeRouterConfig.encapsulatesAll(config);
        if (server == null) {
            return;
        }
        reconcileAddon(config.contains("metrics-server/metrics-server"), "kube-system", "metrics-server-5d8d9b6f6-",
                "b");
        reconcileAddon(config.contains("ingress-nginx/ingress-nginx"), "ingress-nginx",
                "ingress-nginx-controller-6b8c9d7f5-", "c");
    }

    private void reconcileAddon(boolean wanted, String namespace, String podPrefix, String suffixSeed) {
        List<io.fabric8.kubernetes.api.model.Pod> present = client.pods().inNamespace(namespace).list().getItems()
                .stream().filter(p -> p.getMetadata().getName().startsWith(podPrefix)).toList();
        if (wanted && present.isEmpty()) {
            if (client.namespaces().withName(namespace).get() == null) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
                        .endMetadata().build()).create();
            }
            createPod(namespace, podPrefix + suffix(suffixSeed), null, "ReplicaSet");
        } else if (!wanted) {
            present.forEach(p -> client.pods().inNamespace(namespace).withName(p.getMetadata().getName()).delete());
        }
    }

    private void startServer() {
        server = apis.start(apiAddress, apiPort, network, () -> encapsulateAll);
        client = server.client();
    }

    /** This cluster and, if its API runs, what the API holds (the objects the simulation and the installer use). */
    synchronized HostsSnapshot.ClusterData snapshot() {
        if (server == null) {
            return new HostsSnapshot.ClusterData(id, apiAddress, apiPort, clusterConfig, false, List.of(), List.of(),
                    List.of());
        }
        return new HostsSnapshot.ClusterData(id, apiAddress, apiPort, clusterConfig, true,
                client.namespaces().list().getItems(), client.nodes().list().getItems(),
                client.pods().inAnyNamespace().list().getItems());
    }

    /** A cluster as {@link #snapshot()} saw it; its API runs again, on the same address and port, if it ran then. */
    static SimulatedCluster restore(HostsSnapshot.ClusterData data, ClusterApiServers apis,
                                    java.util.function.Supplier<HostNetwork> network) {
        SimulatedCluster cluster = new SimulatedCluster(data.id(), data.apiAddress(), data.apiPort(),
                data.clusterConfig(), apis, network);
        if (data.apiStarted()) {
            cluster.restoreApi(data);
        }
        return cluster;
    }

    private synchronized void restoreApi(HostsSnapshot.ClusterData data) {
        startServer();
        // The mock server refuses to create an object that already carries a resourceVersion.
        for (Namespace namespace : data.namespaces()) {
            namespace.getMetadata().setResourceVersion(null);
            client.namespaces().resource(namespace).create();
        }
        for (Node node : data.nodes()) {
            node.getMetadata().setResourceVersion(null);
            client.nodes().resource(node).create();
        }
        for (Pod pod : data.pods()) {
            pod.getMetadata().setResourceVersion(null);
            client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
        }
    }

    private String suffix(String salt) {
        return Integer.toHexString((id + salt).hashCode() & 0xfffff).toLowerCase(Locale.ROOT);
    }

    /** @param ownerKind the controller that made the pod ({@code DaemonSet}, {@code ReplicaSet}) */
    private void createPod(String namespace, String name, String nodeName, String ownerKind) {
        PodBuilder pod = new PodBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withNodeName(nodeName).endSpec()
                .withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .endStatus();
        if (ownerKind != null) {
            pod.editMetadata().addNewOwnerReference().withApiVersion("apps/v1").withKind(ownerKind)
                    .withName(name.substring(0, name.lastIndexOf('-'))).withUid(name + "-owner").endOwnerReference().endMetadata();
        }
        Pod built = pod.build();
        client.pods().inNamespace(namespace).resource(built).createOr(existing -> existing.update());
    }

    /** A kubelet (re)started: the Node is registered (or updated) with the kubelet's version and readiness. */
    /**
     * Why a node of {@code role} cannot run {@code k0sVersion} in this cluster now (Kubernetes version skew policy, as
     * k0s upgrades follow it): a controller may be at most one minor version ahead of the oldest other controller
     * (upgrades never skip a minor), and a kubelet never newer than the oldest API server (controllers first).
     */
    synchronized Optional<String> versionSkew(String hostname, String role, String k0sVersion) {
        int minor = minor(k0sVersion);
        java.util.OptionalInt oldestOther = controllerVersions.entrySet().stream()
                .filter(e -> !e.getKey().equals(hostname)).mapToInt(e -> minor(e.getValue())).min();
        if (role.equals("controller")) {
            int before = oldestOther.isPresent() ? oldestOther.getAsInt()
                    : controllerVersions.containsKey(hostname) ? minor(controllerVersions.get(hostname)) : minor;
            if (minor > before + 1) {
                return Optional.of("kube-apiserver 1." + minor + " cannot follow 1." + before
                        + ": upgrades must not skip a minor version");
            }
            return Optional.empty();
        }
        java.util.OptionalInt oldestApi = controllerVersions.values().stream().mapToInt(SimulatedCluster::minor).min();
        if (oldestApi.isPresent() && minor > oldestApi.getAsInt()) {
            return Optional.of("kubelet 1." + minor + " is newer than kube-apiserver 1." + oldestApi.getAsInt()
                    + ": upgrade the controllers first");
        }
        return Optional.empty();
    }

    /** A controller's k0s runs {@code k0sVersion} now. */
    synchronized void controllerStarted(String hostname, String k0sVersion) {
        controllerVersions.put(hostname, k0sVersion);
    }

    private static int minor(String k0sVersion) {
        String[] parts = k0sVersion.split("[.+]");
        return parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
    }

    synchronized void kubeletStarted(String hostname, String k0sVersion, boolean ready) {
        requireApi();
        String kubelet = "v" + k0sVersion.replace("+k0s.", "+k0s").replaceAll("\\+k0s[0-9]*$", "+k0s");
        Node existing = client.nodes().withName(hostname).get();
        NodeBuilder node = existing == null
                ? new NodeBuilder().withNewMetadata().withName(hostname).endMetadata().withNewSpec().endSpec()
                : new NodeBuilder(existing);
        Node updated = node.withNewStatus()
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .withNewNodeInfo().withKubeletVersion(kubelet).endNodeInfo()
                .endStatus()
                .build();
        if (existing == null) {
            client.nodes().resource(updated).create();
        } else {
            client.nodes().resource(updated).update();
        }
        createPod("kube-system", "kube-proxy-" + hostname, hostname, "DaemonSet");
        createPod("kube-system", "konnectivity-agent-" + hostname, hostname, "DaemonSet");
        if (ready) {
            // The add-on pods that waited for a node are scheduled now (CoreDNS runs on a worker, not the controllers).
            server.physics().nodesChanged();
        }
    }

    /** A kubelet stopped: its Node turns NotReady. */
    synchronized void kubeletStopped(String hostname) {
        if (client == null) {
            return;
        }
        Node existing = client.nodes().withName(hostname).get();
        if (existing != null) {
            existing.getStatus().getConditions().forEach(c -> {
                if ("Ready".equals(c.getType())) {
                    c.setStatus("False");
                }
            });
            client.nodes().resource(existing).update();
        }
    }

    /** Whether the Node is currently cordoned (used to check that workers are drained before they stop). */
    synchronized boolean cordoned(String hostname) {
        if (client == null) {
            return false;
        }
        Node node = client.nodes().withName(hostname).get();
        return node != null && node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
    }

    /** A client of this cluster's API, for tests; closed with the cluster. */
    public synchronized NamespacedKubernetesClient client() {
        requireApi();
        return client;
    }

    private void requireApi() {
        if (server == null) {
            throw new IllegalStateException("the API of " + id + " is not running");
        }
    }

    @Override
    public synchronized void close() {
        client = null;
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
