package io.k0rdent.ops.sandbox.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable simulated hosts ({@link HostsOptions#withStateDir}): a cluster built over SSH by one
 * {@link SimulatedHosts} is there again, same addresses, port, host keys, k0s and cluster API, in the next one.
 */
class SimulatedHostsStateIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String K0S_URL =
            "https://github.com/k0sproject/k0s/releases/download/v1.28.3+k0s.0/k0s-v1.28.3+k0s.0-amd64";

    @TempDir
    Path dir;

    private KeyPair key;
    private SshClient client;

    @BeforeEach
    void start() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        key = generator.generateKeyPair();
        client = SshClient.setUpDefaultClient();
        client.start();
    }

    @AfterEach
    void stop() throws Exception {
        client.stop();
    }

    private HostsOptions durable() {
        return HostsOptions.authorizing(key.getPublic()).withStateDir(dir.resolve("hosts"));
    }

    private ClientSession login(SimulatedHosts hosts, String address, AtomicReference<String> presentedKey)
            throws Exception {
        client.setServerKeyVerifier((session, remote, serverKey) -> {
            presentedKey.set(KeyUtils.getFingerPrint(BuiltinDigests.sha256, serverKey));
            return true;
        });
        ClientSession session = client.connect("ubuntu", address, hosts.port()).verify(TIMEOUT).getSession();
        session.addPublicKeyIdentity(key);
        session.auth().verify(TIMEOUT);
        return session;
    }

    /** Runs a command line that must succeed; returns its standard output. */
    private static String run(ClientSession session, String line, String stdin) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ChannelExec channel = session.createExecChannel(line)) {
            channel.setOut(out);
            channel.setErr(err);
            channel.open().verify(TIMEOUT);
            try (OutputStream in = channel.getInvertedIn()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), TIMEOUT.toMillis());
            assertThat(channel.getExitStatus()).as(line + ": " + err.toString(StandardCharsets.UTF_8)).isZero();
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private static void installK0s(ClientSession session) throws Exception {
        run(session, "sudo -n curl -sSfL -o /usr/local/bin/k0s " + K0S_URL + " && sudo -n chmod 0755 /usr/local/bin/k0s",
                null);
    }

    /** A controller and a worker, installed, joined and started the way the bootstrap service does it. */
    private static void buildCluster(SimulatedHosts hosts, SimulatedHost controller, SimulatedHost worker,
                                     ClientSessions sessions) throws Exception {
        try (ClientSession c = sessions.open(controller); ClientSession w = sessions.open(worker)) {
            installK0s(c);
            run(c, "sudo -n install -D -m 0600 /dev/stdin /etc/k0s/k0s.yaml",
                    "kind: ClusterConfig\nspec: {extensions: {helm: {charts: [{chartname: metrics-server/metrics-server}]}}}\n");
            run(c, "sudo -n k0s install controller --config /etc/k0s/k0s.yaml && sudo -n k0s start", null);
            String token = run(c, "sudo -n k0s token create --role=worker --expiry=1h", null).strip();
            installK0s(w);
            run(w, "sudo -n install -D -m 0600 /dev/stdin /etc/k0s/worker-token", token);
            run(w, "sudo -n k0s install worker --token-file /etc/k0s/worker-token && sudo -n k0s start", null);
        }
    }

    @FunctionalInterface
    private interface ClientSessions {
        ClientSession open(SimulatedHost host) throws Exception;
    }

    @Test
    void hostsK0sAndClusterApisComeBackWhereTheyWere() throws Exception {
        String controllerAddress;
        String workerAddress;
        String controllerKey;
        String kubeconfig;
        int port;
        try (SimulatedHosts hosts = SimulatedHosts.start(durable())) {
            assertThat(hosts.restored()).isEqualTo(new SimulatedHosts.Restored(0, 0, 0, true));
            SimulatedHost controller = hosts.addHost("i-controller", "ubuntu");
            SimulatedHost worker = hosts.addHost("i-worker", "ubuntu");
            buildCluster(hosts, controller, worker, h -> login(hosts, h.address(), new AtomicReference<>()));
            controllerAddress = controller.address();
            workerAddress = worker.address();
            controllerKey = controller.hostKeyFingerprint();
            port = hosts.port();
            try (ClientSession c = login(hosts, controllerAddress, new AtomicReference<>())) {
                kubeconfig = run(c, "sudo -n k0s kubeconfig admin", null);
            }
        }

        try (SimulatedHosts hosts = SimulatedHosts.start(durable())) {
            assertThat(hosts.restored()).isEqualTo(new SimulatedHosts.Restored(2, 1, 1, true));
            assertThat(hosts.port()).isEqualTo(port);
            AtomicReference<String> presented = new AtomicReference<>();
            try (ClientSession c = login(hosts, controllerAddress, presented);
                 ClientSession w = login(hosts, workerAddress, new AtomicReference<>())) {
                assertThat(presented.get()).isEqualTo(controllerKey);
                assertThat(run(c, "hostname", null)).isEqualTo("i-controller\n");
                assertThat(run(c, "k0s version", null)).isEqualTo("v1.28.3+k0s.0\n");
                assertThat(run(c, "sudo -n k0s status", null)).contains("Role: controller");
                assertThat(run(c, "sudo -n k0s kubectl get --raw=/readyz", null)).isEqualTo("ok");
                assertThat(run(w, "sudo -n cat /etc/k0s/worker-token", null)).startsWith("H4sI");
                assertThat(run(w, "sudo -n k0s status", null)).contains("Role: worker");

                // The kubeconfig handed out before the restart still reaches the cluster's API, which kept its
                // nodes and pods.
                try (KubernetesClient api = new KubernetesClientBuilder()
                        .withConfig(Config.fromKubeconfig(kubeconfig)).build()) {
                    assertThat(api.nodes().list().getItems()).singleElement().satisfies(node -> {
                        assertThat(node.getMetadata().getName()).isEqualTo("i-worker");
                        assertThat(node.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v1.28.3+k0s");
                        assertThat(ready(node)).isTrue();
                    });
                    assertThat(api.pods().inNamespace("kube-system").list().getItems())
                            .extracting(p -> p.getMetadata().getName())
                            .anyMatch(n -> n.startsWith("coredns-"))
                            .anyMatch(n -> n.startsWith("metrics-server-"))
                            .contains("kube-proxy-i-worker", "konnectivity-agent-i-worker");
                }

                // The restored controller goes on: a new worker joins with a token it issues now.
                SimulatedHost third = hosts.addHost("i-worker-2", "ubuntu");
                assertThat(third.address()).isNotIn(controllerAddress, workerAddress);
                String token = run(c, "sudo -n k0s token create --role=worker --expiry=1h", null).strip();
                try (ClientSession t = login(hosts, third.address(), new AtomicReference<>())) {
                    installK0s(t);
                    run(t, "sudo -n install -D -m 0600 /dev/stdin /etc/k0s/worker-token", token);
                    run(t, "sudo -n k0s install worker --token-file /etc/k0s/worker-token && sudo -n k0s start", null);
                }
                SimulatedCluster cluster = hosts.host(controllerAddress).orElseThrow().cluster().orElseThrow();
                assertThat(third.cluster()).contains(cluster);
                assertThat(cluster.client().nodes().list().getItems()).extracting(n -> n.getMetadata().getName())
                        .containsExactlyInAnyOrder("i-worker", "i-worker-2");
            }
        }
    }

    @Test
    void aTakenPortIsReplacedAndGoneHostsReleaseTheirCluster() throws Exception {
        String controllerAddress;
        int port;
        try (SimulatedHosts hosts = SimulatedHosts.start(durable())) {
            SimulatedHost controller = hosts.addHost("i-controller", "ubuntu");
            SimulatedHost worker = hosts.addHost("i-worker", "ubuntu");
            buildCluster(hosts, controller, worker, h -> login(hosts, h.address(), new AtomicReference<>()));
            controllerAddress = controller.address();
            port = hosts.port();
        }
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress("127.0.0.1", port));
            try (SimulatedHosts hosts = SimulatedHosts.start(durable())) {
                assertThat(hosts.restored().samePort()).isFalse();
                assertThat(hosts.port()).isNotEqualTo(port);
                try (ClientSession c = login(hosts, controllerAddress, new AtomicReference<>())) {
                    assertThat(run(c, "k0s version", null)).isEqualTo("v1.28.3+k0s.0\n");
                }
                SimulatedCluster cluster = hosts.host(controllerAddress).orElseThrow().cluster().orElseThrow();
                assertThat(cluster.apiStarted()).isTrue();

                // Their instances were terminated: the hosts go, and so does the cluster's API.
                assertThat(hosts.retainOnly(Set.of())).isEqualTo(2);
                assertThat(hosts.hosts()).isEmpty();
                assertThat(cluster.apiStarted()).isFalse();
                assertThat(hosts.runningApis()).isZero();
            }
        }
        try (SimulatedHosts hosts = SimulatedHosts.start(durable())) {
            assertThat(hosts.restored()).isEqualTo(new SimulatedHosts.Restored(0, 0, 0, true));
        }
    }

    private static boolean ready(Node node) {
        return node.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
