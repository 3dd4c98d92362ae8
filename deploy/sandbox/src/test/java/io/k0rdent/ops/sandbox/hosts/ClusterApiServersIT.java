package io.k0rdent.ops.sandbox.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;

/**
 * The simulated cluster APIs share one Vert.x instance: each must still be a cluster of its own (its own objects,
 * its own socket), reachable by an outside client as the bootstrap service reaches it, and stopping one must leave
 * the others serving.
 */
class ClusterApiServersIT {

    @Test
    void sharedEventLoopsServeSeparateClustersAndOneStopsAlone() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        try (SimulatedHosts hosts = SimulatedHosts.start(
                SimulatedHosts.Options.authorizing(generator.generateKeyPair().getPublic()))) {
            SimulatedHost first = hosts.addHost("first", "ubuntu");
            SimulatedHost second = hosts.addHost("second", "ubuntu");
            SimulatedCluster one = hosts.newCluster(first.address(), "");
            SimulatedCluster two = hosts.newCluster(second.address(), "");
            one.startApi();
            two.startApi();

            one.kubeletStarted("node-of-one", "1.28.3+k0s.0", true);
            assertThat(two.client().nodes().list().getItems()).isEmpty();

            // From outside, with a client of its own, as the bootstrap service would.
            try (KubernetesClient outside = new KubernetesClientBuilder()
                    .withConfig(new ConfigBuilder().withMasterUrl(one.apiUrl()).build()).build()) {
                assertThat(outside.nodes().list().getItems()).extracting(n -> n.getMetadata().getName())
                        .containsExactly("node-of-one");
                Node node = outside.nodes().withName("node-of-one").get();
                assertThat(node.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v1.28.3+k0s");
            }

            hosts.release(one);
            assertThatThrownBy(() -> connect(first.address(), 6443)).isInstanceOf(IOException.class);
            assertThat(two.client().namespaces().withName("kube-system").get()).isNotNull();
            assertThat(hosts.runningApis()).isEqualTo(1);
        }
    }

    private static void connect(String address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2_000);
        }
    }
}
