package io.k0rdent.ops.bootstrap.support;

import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.k0rdent.ops.bootstrap.config.BootstrapProperties;
import io.k0rdent.ops.bootstrap.kube.ManagementCluster;
import io.k0rdent.ops.bootstrap.kube.WorkloadClusterProbe;
import io.k0rdent.ops.bootstrap.phase.CheckpointStore;
import io.k0rdent.ops.bootstrap.phase.ClusterBootstrapper;
import io.k0rdent.ops.bootstrap.ssh.SshGateway;
import io.k0rdent.ops.contracts.definition.Addon;
import io.k0rdent.ops.contracts.definition.Addons;
import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.definition.ClusterMetadata;
import io.k0rdent.ops.contracts.definition.ClusterSpec;
import io.k0rdent.ops.contracts.definition.K0sSpec;
import io.k0rdent.ops.contracts.definition.Networking;
import io.k0rdent.ops.contracts.definition.NodePool;
import io.k0rdent.ops.contracts.definition.Nodes;
import io.k0rdent.ops.contracts.definition.SshSpec;
import io.k0rdent.ops.contracts.event.EventHeader;
import io.k0rdent.ops.contracts.event.EventIds;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.NodeRole;
import io.k0rdent.ops.contracts.event.ProvisionedNode;
import io.k0rdent.ops.contracts.event.SshEndpoint;
import io.k0rdent.ops.sandbox.hosts.SimulatedHost;
import io.k0rdent.ops.sandbox.hosts.HostsOptions;
import io.k0rdent.ops.sandbox.hosts.SimulatedHosts;
import io.k0rdent.ops.support.telemetry.EventTelemetry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;

/**
 * Everything a bootstrap test runs against: simulated SSH hosts (one MINA server), a management
 * cluster (fabric8 mock server in CRUD mode on 127.0.0.1), an SSH key in a file, and test-sized
 * timeouts. The bootstrap code under test is the production code.
 */
public final class BootstrapSandbox implements AutoCloseable {

    public static final String NAMESPACE = "k0rdent-system";
    public static final String VERSION = "1.28.3+k0s.0";

    private final Path dir;
    private final KeyPair clientKey;
    private final Path keyFile;
    private final SimulatedHosts hosts;
    private final KubernetesMockServer managementServer;
    private final NamespacedKubernetesClient management;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Map<String, Cluster> clusters = new HashMap<>();

    /** Hosts and nodes of one simulated cluster, controllers first. */
    public record Cluster(String name, List<SimulatedHost> hosts, List<ProvisionedNode> nodes) {

        public SimulatedHost host(int index) {
            return hosts.get(index);
        }
    }

    public BootstrapSandbox() {
        this(java.time.Duration.ZERO);
    }

    /** @param sshdStartDelay how long each new host takes to boot before its sshd listens (EC2's boot time) */
    public BootstrapSandbox(java.time.Duration sshdStartDelay) {
        try {
            dir = Files.createTempDirectory("bootstrap-sandbox");
            clientKey = ecKey();
            keyFile = dir.resolve("id_ecdsa");
            try (OutputStream out = Files.newOutputStream(keyFile)) {
                OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(clientKey, "bootstrap-test", null, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        hosts = SimulatedHosts.start(HostsOptions.authorizing(clientKey.getPublic())
                .withSshdStartDelay(sshdStartDelay));
        managementServer = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        try {
            managementServer.init(InetAddress.getLoopbackAddress(), 0);
        } catch (RuntimeException e) {
            hosts.close();
            throw e;
        }
        management = managementServer.createClient();
    }

    public static KeyPair ecKey() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    public SimulatedHosts hosts() {
        return hosts;
    }

    public Path keyFile() {
        return keyFile;
    }

    public Path directory() {
        return dir;
    }

    /** A client of the management cluster (for assertions). */
    public NamespacedKubernetesClient management() {
        return management;
    }

    /** The management cluster's API URL. */
    public String managementUrl() {
        return managementServer.url("/");
    }

    /** A kubeconfig file of the management cluster. */
    public Path managementKubeconfig() {
        Path file = dir.resolve("management.kubeconfig");
        String server = managementUrl().replaceAll("/$", "");
        try {
            Files.writeString(file, "apiVersion: v1\nkind: Config\nclusters:\n- name: m\n  cluster:\n    server: " + server
                    + "\ncontexts:\n- name: m\n  context:\n    cluster: m\n    user: m\n    namespace: " + NAMESPACE
                    + "\ncurrent-context: m\nusers:\n- name: m\n  user:\n    token: management-token\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Test-sized settings: short polls and timeouts, sudo on, unknown host keys refused. */
    public BootstrapProperties properties() {
        return properties(keyFile, null);
    }

    /** Test-sized settings with another key or an air-gapped binary template. */
    public static BootstrapProperties properties(Path privateKey, Path localBinaryTemplate) {
        return new BootstrapProperties(2, 8, 3,
                new BootstrapProperties.Ssh(privateKey, null, false, Duration.ofSeconds(5), Duration.ofSeconds(20), true, null, null, Duration.ofSeconds(3)),
                new BootstrapProperties.K0s(
                        "https://github.com/k0sproject/k0s/releases/download/v{version}/k0s-v{version}-{arch}",
                        localBinaryTemplate == null ? null : localBinaryTemplate.toString(),
                        "/usr/local/bin/k0s", "/etc/k0s/k0s.yaml", "/etc/k0s/join-token", 6443, false, 10),
                new BootstrapProperties.Verify(Duration.ofSeconds(3), Duration.ofMillis(50), Duration.ofSeconds(5),
                        Duration.ofSeconds(3), "registry.k8s.io/e2e-test-images/agnhost:2.40"),
                new BootstrapProperties.Kubeconfig(NAMESPACE, null),
                BootstrapProperties.TopicNames.contract());
    }

    /** A bootstrapper wired exactly as in production, against this sandbox. */
    public ClusterBootstrapper bootstrapper() {
        return bootstrapper(properties());
    }

    public ClusterBootstrapper bootstrapper(BootstrapProperties properties) {
        return bootstrapper(properties, managementCluster(), new CheckpointStore());
    }

    /** The sandbox's management cluster as the bootstrap service sees it. */
    public ManagementCluster managementCluster() {
        ManagementCluster managementCluster = new ManagementCluster(managementServer.createClient(), NAMESPACE);
        closeables.add(managementCluster);
        return managementCluster;
    }

    /** A bootstrapper with another management cluster or a shared checkpoint store. */
    public ClusterBootstrapper bootstrapper(BootstrapProperties properties, ManagementCluster managementCluster,
                                            CheckpointStore checkpoints) {
        SshGateway ssh = new SshGateway(properties);
        closeables.add(ssh);
        ClusterBootstrapper bootstrapper = new ClusterBootstrapper(ssh, new WorkloadClusterProbe(java.time.Clock.systemUTC()), managementCluster, checkpoints,
                properties, Clock.systemUTC());
        closeables.add(bootstrapper);
        return bootstrapper;
    }

    /** A bootstrapper with the test's telemetry (an in-memory span exporter, a simple meter registry). */
    public ClusterBootstrapper bootstrapper(EventTelemetry telemetry) {
        BootstrapProperties properties = properties();
        SshGateway ssh = new SshGateway(properties);
        closeables.add(ssh);
        ClusterBootstrapper bootstrapper = new ClusterBootstrapper(ssh, new WorkloadClusterProbe(java.time.Clock.systemUTC()), managementCluster(),
                new CheckpointStore(), properties, Clock.systemUTC(), telemetry);
        closeables.add(bootstrapper);
        return bootstrapper;
    }

    /** Adds hosts for a new cluster. */
    public Cluster cluster(String name, int controllers, int workers) {
        List<SimulatedHost> added = new ArrayList<>();
        List<ProvisionedNode> nodes = new ArrayList<>();
        int id = clusters.size();
        for (int i = 0; i < controllers + workers; i++) {
            boolean controller = i < controllers;
            int slot = controller ? i : i - controllers;
            SimulatedHost host = hosts.addHost((controller ? "c" : "w") + id + "-" + slot + "-" + safe(name), "ubuntu")
                    .privateAddress("10.0.1." + (10 + i));
            added.add(host);
            nodes.add(node(name, controller ? NodeRole.CONTROLLER : NodeRole.WORKER, slot, host, 10 + i));
        }
        Cluster cluster = new Cluster(name, added, nodes);
        clusters.put(name, cluster);
        return cluster;
    }

    private static String safe(String name) {
        String cleaned = name.replaceAll("[^a-z0-9-]", "x");
        return cleaned.length() > 40 ? cleaned.substring(0, 40) : cleaned;
    }

    /** The node record a provisioner would publish for {@code host}. */
    public ProvisionedNode node(String cluster, NodeRole role, int slot, SimulatedHost host, int privateOctet) {
        return new ProvisionedNode("i-" + Integer.toHexString(host.address().hashCode()), role, slot,
                role == NodeRole.CONTROLLER ? "t3.medium" : "t3.large", "us-east-1a", "10.0.1." + privateOctet,
                host.address(), new SshEndpoint(host.address(), hosts.port(), host.user(), host.hostKeyFingerprint()));
    }

    public static ClusterDefinition definition(String name, int controllers, int workers, String version) {
        return definition(name, controllers, workers, version, "k0rdent");
    }

    public static ClusterDefinition definition(String name, int controllers, int workers, String version,
                                               String keyName) {
        return new ClusterDefinition(ClusterDefinition.API_VERSION, ClusterDefinition.KIND,
                new ClusterMetadata(name, Map.of("team", "platform"), Map.of()),
                new ClusterSpec("us-east-1", new Networking("10.0.0.0/16", true),
                        new Nodes(new NodePool(controllers, "t3.medium"), new NodePool(workers, "t3.large")),
                        new K0sSpec(version), new SshSpec(keyName), new Addons(new Addon(true), new Addon(true)), false));
    }

    public static EventHeader header(String cluster, long generation, String discriminator) {
        return new EventHeader(EventIds.fromParts(cluster, Long.toString(generation), discriminator), cluster, generation,
                "9fceb02d0ae598e95dc970b74767f19372d61af8", EventIds.fromParts("definition", cluster), Instant.now(),
                Map.of("team", "platform"), null);
    }

    /** The provisioner's event for {@code cluster} at {@code version}. */
    public static InfrastructureProvisioned provisioned(Cluster cluster, String version, long generation) {
        return provisioned(cluster, version, generation, "k0rdent");
    }

    /** The same, for nodes launched with the EC2 key pair {@code keyName}. */
    public static InfrastructureProvisioned provisioned(Cluster cluster, String version, long generation,
                                                        String keyName) {
        long controllers = cluster.nodes().stream().filter(n -> n.role() == NodeRole.CONTROLLER).count();
        return new InfrastructureProvisioned(header(cluster.name(), generation, "provisioned"),
                definition(cluster.name(), (int) controllers, cluster.nodes().size() - (int) controllers, version,
                        keyName), "us-east-1", "vpc-0123456789abcdef0", cluster.nodes());
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort at the end of a test
            }
        }
        management.close();
        managementServer.destroy();
        hosts.close();
    }
}
