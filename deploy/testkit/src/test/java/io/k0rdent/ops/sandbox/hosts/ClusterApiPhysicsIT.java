package io.k0rdent.ops.sandbox.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A simulated cluster's API behaves like a real one where the product depends on it: evictions honour
 * PodDisruptionBudgets, evicted add-on pods come back on another node, and probe pods succeed or fail as the pod
 * network between their nodes decides.
 */
class ClusterApiPhysicsIT {

    private static final String AGNHOST = "registry.k8s.io/e2e-test-images/agnhost:2.40";

    private SimulatedHosts hosts;
    private SimulatedCluster cluster;
    private NamespacedKubernetesClient api;
    private final AtomicBoolean podNetworkUp = new AtomicBoolean(true);

    @BeforeEach
    void start() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        hosts = SimulatedHosts.start(HostsOptions.authorizing(generator.generateKeyPair().getPublic()));
        hosts.connectThrough(new HostNetwork() {
            @Override
            public Optional<String> podTrafficBlocked(String from, String to, boolean encapsulateAll) {
                return podNetworkUp.get() || from.equals(to) ? Optional.empty()
                        : Optional.of("IP-in-IP from " + from + " to " + to + " dropped");
            }
        });
        SimulatedHost controller = hosts.addHost("controller", "ubuntu");
        cluster = hosts.newCluster(controller.address(), "");
        cluster.startApi();
        cluster.kubeletStarted("w1", "1.28.3+k0s.0", true);
        cluster.kubeletStarted("w2", "1.28.3+k0s.0", true);
        api = cluster.client();
    }

    @AfterEach
    void stop() {
        hosts.close();
    }

    private Pod web(String name, String node) {
        return api.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(name)
                .withNamespace("default").addToLabels("app", "web").endMetadata().withNewSpec().withNodeName(node)
                .endSpec().withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True")
                .endCondition().endStatus().build()).create();
    }

    private boolean evict(String namespace, String name) {
        return api.pods().inNamespace(namespace).withName(name).evict(new EvictionBuilder().withNewMetadata()
                .withName(name).withNamespace(namespace).endMetadata().build());
    }

    @Test
    void anEvictionThatWouldBreakItsDisruptionBudgetIsRefusedUntilAnotherPodIsHealthy() {
        web("web-1", "w1");
        api.resource(new PodDisruptionBudgetBuilder().withNewMetadata().withName("web").withNamespace("default")
                .endMetadata().withNewSpec().withMinAvailable(new IntOrString(1)).withNewSelector()
                .addToMatchLabels("app", "web").endSelector().endSpec().build()).create();

        assertThat(evict("default", "web-1")).as("429: the only healthy pod").isFalse();
        assertThat(api.pods().inNamespace("default").withName("web-1").get()).isNotNull();

        web("web-2", "w2");
        assertThat(evict("default", "web-1")).isTrue();
        assertThat(api.pods().inNamespace("default").withName("web-1").get()).isNull();
    }

    @Test
    void anEvictedAddOnPodComesBackOnAnotherSchedulableNode() {
        Pod coredns = api.pods().inNamespace("kube-system").list().getItems().stream()
                .filter(p -> p.getMetadata().getName().startsWith("coredns-")).findFirst().orElseThrow();
        String node = coredns.getSpec().getNodeName();
        assertThat(node).as("scheduled once a node was Ready").isIn("w1", "w2");

        assertThat(evict("kube-system", coredns.getMetadata().getName())).isTrue();

        List<Pod> now = api.pods().inNamespace("kube-system").list().getItems().stream()
                .filter(p -> p.getMetadata().getName().startsWith("coredns-")).toList();
        assertThat(now).hasSize(1);
        assertThat(now.get(0).getSpec().getNodeName()).isNotEqualTo(node);
        assertThat(now.get(0).getStatus().getPhase()).isEqualTo("Running");
    }

    private Pod probe(String name, String node, String... args) {
        return api.pods().inNamespace("kube-system").resource(new PodBuilder().withNewMetadata().withName(name)
                .endMetadata().withNewSpec().withNodeName(node).withRestartPolicy("Never").addNewContainer()
                .withName("probe").withImage(AGNHOST).withArgs(args).endContainer().endSpec().build()).create();
    }

    @Test
    void probePodsConnectAcrossNodesOnlyWhenThePodNetworkCarriesTheirTraffic() {
        Pod server = probe("server", "w1", "netexec", "--http-port=8080");
        assertThat(server.getStatus().getPhase()).isEqualTo("Running");
        String target = server.getStatus().getPodIP() + ":8080";

        assertThat(probe("ok", "w2", "connect", "--timeout=5s", target).getStatus().getPhase()).isEqualTo("Succeeded");
        assertThat(probe("refused", "w2", "connect", server.getStatus().getPodIP() + ":81").getStatus()
                .getContainerStatuses().get(0).getState().getTerminated().getMessage()).startsWith("REFUSED");
        assertThat(probe("dns", "w2", "connect", "kubernetes.default:443").getStatus().getPhase())
                .isEqualTo("Succeeded");
        assertThat(probe("nxdomain", "w2", "connect", "nowhere.default:443").getStatus().getContainerStatuses()
                .get(0).getState().getTerminated().getMessage()).startsWith("DNS");

        podNetworkUp.set(false);
        Pod dropped = probe("dropped", "w2", "connect", "--timeout=5s", target);
        assertThat(dropped.getStatus().getPhase()).isEqualTo("Failed");
        assertThat(dropped.getStatus().getContainerStatuses().get(0).getState().getTerminated().getMessage())
                .startsWith("TIMEOUT").contains("IP-in-IP from w2 to w1 dropped");
    }
}
