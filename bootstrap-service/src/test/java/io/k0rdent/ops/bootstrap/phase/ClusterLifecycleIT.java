package io.k0rdent.ops.bootstrap.phase;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.k0rdent.ops.bootstrap.support.BootstrapSandbox;
import io.k0rdent.ops.contracts.definition.Addon;
import io.k0rdent.ops.contracts.definition.Addons;
import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.definition.ClusterSpec;
import io.k0rdent.ops.contracts.event.ClusterReady;
import io.k0rdent.ops.contracts.event.InfrastructureDestroyed;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.NodesDrained;
import io.k0rdent.ops.contracts.event.NodesRetirementRequested;
import io.k0rdent.ops.contracts.event.ReadyNode;
import io.k0rdent.ops.sandbox.hosts.SimulatedHost;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, "done when": a three-controller cluster goes through create, scale-in, upgrade, an add-on change and
 * delete, every node reached only with its pinned host key (the sandbox refuses unknown keys) and every controller
 * running its own configuration.
 */
class ClusterLifecycleIT {

    private static final String NEXT = "1.28.4+k0s.0";
    private static final YAMLMapper YAML = new YAMLMapper();

    private BootstrapSandbox sandbox;
    private ClusterBootstrapper bootstrapper;

    @BeforeEach
    void start() {
        sandbox = new BootstrapSandbox();
        bootstrapper = sandbox.bootstrapper();
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private static InfrastructureProvisioned withoutIngress(InfrastructureProvisioned event) {
        ClusterDefinition d = event.definition();
        ClusterSpec spec = d.spec();
        ClusterDefinition changed = new ClusterDefinition(d.apiVersion(), d.kind(), d.metadata(),
                new ClusterSpec(spec.region(), spec.networking(), spec.nodes(), spec.k0s(), spec.ssh(),
                        new Addons(new Addon(false), spec.addons().metricsServer()), spec.deletionProtection()));
        return new InfrastructureProvisioned(event.header(), changed, event.region(), event.vpcId(), event.nodes(),
                event.apiAddress());
    }

    private static JsonNode config(SimulatedHost controller) throws Exception {
        byte[] file = controller.file("/etc/k0s/k0s.yaml").orElseThrow();
        return YAML.readTree(new String(file, StandardCharsets.UTF_8));
    }

    @Test
    void createScaleInUpgradeAddonChangeAndDelete() throws Exception {
        BootstrapSandbox.Cluster cluster = sandbox.cluster("life", 3, 3);
        assertThat(sandbox.properties().ssh().acceptUnknownHostKeys()).as("host keys pinned").isFalse();

        assertThat(bootstrapper.bootstrap(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1)))
                .isInstanceOf(ClusterReady.class);
        for (int i = 0; i < 3; i++) {
            JsonNode spec = config(cluster.host(i)).path("spec");
            String own = cluster.nodes().get(i).privateAddress();
            assertThat(spec.path("api").path("address").asText()).as("controller %d's own address", i).isEqualTo(own);
            assertThat(spec.path("storage").path("etcd").path("peerAddress").asText()).isEqualTo(own);
        }

        // Scale-in: the third worker is drained and leaves; the cluster goes on with two.
        NodesRetirementRequested retire = new NodesRetirementRequested(BootstrapSandbox.header("life", 2, "retire"),
                List.of(cluster.nodes().get(5)), NodesRetirementRequested.RetirementReason.SCALE_IN);
        assertThat(bootstrapper.retire(retire)).isInstanceOf(NodesDrained.class);
        BootstrapSandbox.Cluster smaller = new BootstrapSandbox.Cluster("life", cluster.hosts().subList(0, 5),
                cluster.nodes().subList(0, 5));
        assertThat(bootstrapper.bootstrap(BootstrapSandbox.provisioned(smaller, BootstrapSandbox.VERSION, 2)))
                .isInstanceOfSatisfying(ClusterReady.class, ready -> assertThat(ready.nodes()).hasSize(2));

        // Upgrade: controllers one by one, then the workers, drained first.
        assertThat(bootstrapper.bootstrap(BootstrapSandbox.provisioned(smaller, NEXT, 3)))
                .isInstanceOfSatisfying(ClusterReady.class, ready -> assertThat(ready.nodes())
                        .extracting(ReadyNode::kubeletVersion).containsOnly("v1.28.4+k0s"));

        // An add-on switched off on the running cluster takes effect.
        assertThat(bootstrapper.bootstrap(withoutIngress(BootstrapSandbox.provisioned(smaller, NEXT, 4))))
                .isInstanceOf(ClusterReady.class);
        assertThat(cluster.host(0).cluster().orElseThrow().client().pods().inNamespace("ingress-nginx").list()
                .getItems()).isEmpty();
        assertThat(sandbox.management().secrets().inNamespace(BootstrapSandbox.NAMESPACE).withName("life-kubeconfig").get())
                .isNotNull();

        // Delete: once the infrastructure is gone, so is the kubeconfig.
        assertThat(bootstrapper.destroyed(new InfrastructureDestroyed(BootstrapSandbox.header("life", 5, "destroyed"),
                "us-east-1", List.of()))).isEmpty();
        assertThat(sandbox.management().secrets().inNamespace(BootstrapSandbox.NAMESPACE).withName("life-kubeconfig").get())
                .isNull();
    }
}
