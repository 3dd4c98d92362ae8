package io.k0rdent.ops.bootstrap.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.bootstrap.support.BootstrapSandbox;
import io.k0rdent.ops.contracts.event.BootstrapEvent;
import io.k0rdent.ops.contracts.event.BootstrapFailed;
import io.k0rdent.ops.contracts.event.BootstrapPhase;
import io.k0rdent.ops.contracts.event.ClusterReady;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.ProvisionedNode;
import io.k0rdent.ops.contracts.event.SshEndpoint;
import io.k0rdent.ops.bootstrap.config.BootstrapProperties;
import io.k0rdent.ops.sandbox.hosts.SimulatedHost;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Authentication and host key verification against a real MINA SSH server. */
class SshGatewayIT {

    private BootstrapSandbox sandbox;

    @BeforeEach
    void start() {
        sandbox = new BootstrapSandbox();
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void aKeyTheHostDoesNotAcceptIsAClearNonRetryableFailure() throws Exception {
        BootstrapSandbox.Cluster cluster = sandbox.cluster("auth", 1, 0);
        KeyPair stranger = BootstrapSandbox.ecKey();
        Path file = sandbox.directory().resolve("stranger");
        try (OutputStream out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(stranger, "stranger", null, out);
        }

        BootstrapEvent result = sandbox.bootstrapper(BootstrapSandbox.properties(file, null))
                .bootstrap(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1));

        assertThat(result).isInstanceOfSatisfying(BootstrapFailed.class, failed -> {
            assertThat(failed.phase()).isEqualTo(BootstrapPhase.CONNECT);
            assertThat(failed.host()).isEqualTo(cluster.host(0).address());
            assertThat(failed.message()).contains("SSH authentication failed for ubuntu@" + cluster.host(0).address());
            assertThat(failed.retryable()).isFalse();
        });
        assertThat(sandbox.hosts().commands()).isEmpty();
    }

    @Test
    void aHostKeyThatDiffersFromThePinnedOneIsRefused() {
        BootstrapSandbox.Cluster cluster = sandbox.cluster("mitm", 1, 0);
        SimulatedHost impostor = sandbox.hosts().addHost("impostor", "ubuntu");

        BootstrapEvent result = sandbox.bootstrapper().bootstrap(withEndpoint(cluster, 0, impostor.hostKeyFingerprint()));

        assertThat(result).isInstanceOfSatisfying(BootstrapFailed.class, failed -> {
            assertThat(failed.phase()).isEqualTo(BootstrapPhase.CONNECT);
            assertThat(failed.message()).contains("host key mismatch", impostor.hostKeyFingerprint(),
                    cluster.host(0).hostKeyFingerprint());
            assertThat(failed.retryable()).isFalse();
        });
        assertThat(sandbox.hosts().commands()).isEmpty();
    }

    @Test
    void nodesStillBootingAreWaitedForUntilTheirSshdListens() {
        // Issue 15: SSH was attempted once, right after EC2 said running; a node still booting failed the cluster.
        try (BootstrapSandbox booting = new BootstrapSandbox(Duration.ofMillis(1500))) {
            BootstrapSandbox.Cluster cluster = booting.cluster("booting", 1, 1);

            BootstrapEvent result = booting.bootstrapper().bootstrap(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1));

            assertThat(result).isInstanceOf(ClusterReady.class);
        }
    }

    @Test
    void aNodeWhoseKeyChangedAfterLaunchIsRefused() {
        BootstrapSandbox.Cluster cluster = sandbox.cluster("rotated", 1, 0);
        // The provisioner pinned the key the node booted with; then the node's keys were regenerated.
        String pinned = cluster.host(0).hostKeyFingerprint();
        cluster.host(0).rotateHostKey();

        BootstrapEvent result = sandbox.bootstrapper().bootstrap(withEndpoint(cluster, 0, pinned));

        assertThat(result).isInstanceOfSatisfying(BootstrapFailed.class, failed -> {
            assertThat(failed.phase()).isEqualTo(BootstrapPhase.CONNECT);
            assertThat(failed.message()).contains("host key mismatch", pinned,
                    cluster.host(0).hostKeyFingerprint());
            assertThat(failed.retryable()).isFalse();
        });
        assertThat(sandbox.hosts().commands()).isEmpty();
    }

    @Test
    void anUnpinnedHostKeyIsRefusedUnlessKnownHostsListsIt() throws Exception {
        BootstrapSandbox.Cluster cluster = sandbox.cluster("unpinned", 1, 0);
        InfrastructureProvisioned unpinned = withEndpoint(cluster, 0, null);

        BootstrapEvent refused = sandbox.bootstrapper().bootstrap(unpinned);
        assertThat(refused).isInstanceOfSatisfying(BootstrapFailed.class, failed -> {
            assertThat(failed.phase()).isEqualTo(BootstrapPhase.CONNECT);
            assertThat(failed.message()).contains("not pinned and no known_hosts");
            assertThat(failed.retryable()).isFalse();
        });

        SimulatedHost host = cluster.host(0);
        Path knownHosts = sandbox.directory().resolve("known_hosts");
        Files.writeString(knownHosts, "[" + host.address() + "]:" + sandbox.hosts().port() + " "
                + PublicKeyEntry.toString(sandboxHostKey(host)) + "\n");
        BootstrapProperties base = sandbox.properties();
        BootstrapProperties withKnownHosts = new BootstrapProperties(base.parallelism(), base.nodeParallelism(),
                base.maxRecordAttempts(),
                new BootstrapProperties.Ssh(sandbox.keyFile(), knownHosts, false, Duration.ofSeconds(5), Duration.ofSeconds(20), true, null, null, Duration.ofSeconds(10)),
                base.k0s(), base.verify(), base.kubeconfig(), base.topics());

        assertThat(sandbox.bootstrapper(withKnownHosts).bootstrap(unpinned)).isInstanceOf(ClusterReady.class);
    }

    @Test
    void nodesAreReachedThroughAJumpHostWhenOneIsConfigured() {
        BootstrapSandbox.Cluster cluster = sandbox.cluster("bastioned", 1, 1);
        SimulatedHost bastion = sandbox.hosts().addHost("bastion", "jump");

        BootstrapEvent result = sandbox.bootstrapper(withJumpHost("jump@" + bastion.address() + ":" + sandbox.hosts().port(),
                bastion.hostKeyFingerprint())).bootstrap(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1));

        assertThat(result).isInstanceOf(ClusterReady.class);
        String port = ":" + sandbox.hosts().port();
        assertThat(bastion.tunnels()).contains(cluster.host(0).address() + port, cluster.host(1).address() + port);
        assertThat(bastion.commands()).isEmpty();
    }

    @Test
    void aJumpHostWithAnotherKeyIsRefused() {
        BootstrapSandbox.Cluster cluster = sandbox.cluster("bastioned", 1, 0);
        SimulatedHost bastion = sandbox.hosts().addHost("bastion", "jump");

        BootstrapEvent result = sandbox.bootstrapper(withJumpHost("jump@" + bastion.address() + ":" + sandbox.hosts().port(),
                cluster.host(0).hostKeyFingerprint())).bootstrap(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1));

        assertThat(result).isInstanceOfSatisfying(BootstrapFailed.class, failed -> {
            assertThat(failed.phase()).isEqualTo(BootstrapPhase.CONNECT);
            assertThat(failed.message()).startsWith("jump host: host key mismatch");
            assertThat(failed.retryable()).isFalse();
        });
        assertThat(bastion.tunnels()).isEmpty();
    }

    private BootstrapProperties withJumpHost(String jumpHost, String fingerprint) {
        BootstrapProperties base = sandbox.properties();
        return new BootstrapProperties(base.parallelism(), base.nodeParallelism(),
                base.maxRecordAttempts(),
                new BootstrapProperties.Ssh(sandbox.keyFile(), null, false, Duration.ofSeconds(5), Duration.ofSeconds(20), true,
                        jumpHost, fingerprint, Duration.ofSeconds(3)),
                base.k0s(), base.verify(), base.kubeconfig(), base.topics());
    }

    @Test
    void aHostThatDoesNotAnswerIsARetryableFailure() throws Exception {
        BootstrapSandbox.Cluster cluster = sandbox.cluster("gone", 1, 0);
        InfrastructureProvisioned event = BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1);
        ProvisionedNode n = event.nodes().get(0);
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        ProvisionedNode unreachable = new ProvisionedNode(n.instanceId(), n.role(), n.slot(), n.instanceType(),
                n.availabilityZone(), n.privateAddress(), n.publicAddress(),
                new SshEndpoint("127.0.0.1", closedPort, n.ssh().user(), n.ssh().hostKeyFingerprint()));

        BootstrapEvent result = sandbox.bootstrapper().bootstrap(new InfrastructureProvisioned(event.header(), event.definition(),
                event.region(), event.vpcId(), List.of(unreachable)));

        assertThat(result).isInstanceOfSatisfying(BootstrapFailed.class, failed -> {
            assertThat(failed.phase()).isEqualTo(BootstrapPhase.CONNECT);
            assertThat(failed.host()).isEqualTo("127.0.0.1");
            assertThat(failed.message()).contains("cannot connect");
            assertThat(failed.retryable()).isTrue();
        });
    }

    private static java.security.PublicKey sandboxHostKey(SimulatedHost host) {
        return host.hostPublicKey();
    }

    private InfrastructureProvisioned withEndpoint(BootstrapSandbox.Cluster cluster, int index, String fingerprint) {
        InfrastructureProvisioned event = BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1);
        List<ProvisionedNode> nodes = new ArrayList<>(event.nodes());
        ProvisionedNode n = nodes.get(index);
        nodes.set(index, new ProvisionedNode(n.instanceId(), n.role(), n.slot(), n.instanceType(), n.availabilityZone(),
                n.privateAddress(), n.publicAddress(), new SshEndpoint(n.ssh().host(), n.ssh().port(), n.ssh().user(), fingerprint)));
        return new InfrastructureProvisioned(event.header(), event.definition(), event.region(), event.vpcId(), nodes);
    }
}
