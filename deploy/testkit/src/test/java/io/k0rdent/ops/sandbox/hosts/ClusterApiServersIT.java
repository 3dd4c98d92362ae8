package io.k0rdent.ops.sandbox.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
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
                HostsOptions.authorizing(generator.generateKeyPair().getPublic()))) {
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
            // Nothing of ours answers there any more. The address itself may be taken at once by another sandbox
            // on this machine (every sandbox counts its loopback addresses from 127.0.1.1), so the test asks for
            // cluster one's node rather than for a refused connection.
            assertThat(nodesServedAt(first.address(), 6443)).doesNotContain("node-of-one");
            assertThat(two.client().namespaces().withName("kube-system").get()).isNotNull();
            assertThat(hosts.runningApis()).isEqualTo(1);
        }
    }

    /** The body of {@code GET /api/v1/nodes} at that address, or empty when nothing answers there. */
    private static String nodesServedAt(String address, int port) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://" + address + ":" + port + "/api/v1/nodes"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException refused) {
            return "";
        }
    }
}
