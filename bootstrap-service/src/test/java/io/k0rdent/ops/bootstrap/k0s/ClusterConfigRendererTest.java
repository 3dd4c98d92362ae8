package io.k0rdent.ops.bootstrap.k0s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k0rdent.ops.bootstrap.support.BootstrapSandbox;
import io.k0rdent.ops.contracts.definition.Addon;
import io.k0rdent.ops.contracts.definition.Addons;
import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.definition.ClusterSpec;
import io.k0rdent.ops.contracts.definition.Networking;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class ClusterConfigRendererTest {

    private final ClusterConfigRenderer renderer = new ClusterConfigRenderer();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(String yaml) {
        Map<String, Object> root = new Yaml().load(yaml);
        assertThat(root).containsEntry("apiVersion", "k0s.k0sproject.io/v1beta1").containsEntry("kind", "ClusterConfig");
        return (Map<String, Object>) root.get("spec");
    }

    @Test
    @SuppressWarnings("unchecked")
    void apiAddressSansNetworkAndAddonsInOrder() {
        String yaml = renderer.render(new ClusterConfigRenderer.Input(BootstrapSandbox.definition("dev", 3, 2, "1.28.3+k0s.0"),
                "10.0.1.10", "203.0.113.10", List.of("10.0.1.10", "203.0.113.10", "10.0.1.11"), 6443));

        Map<String, Object> spec = spec(yaml);
        Map<String, Object> api = (Map<String, Object>) spec.get("api");
        assertThat(api).containsEntry("address", "10.0.1.10").containsEntry("externalAddress", "203.0.113.10")
                .containsEntry("port", 6443);
        assertThat((List<String>) api.get("sans")).containsExactly("203.0.113.10", "10.0.1.10", "10.0.1.11");
        Map<String, Object> network = (Map<String, Object>) spec.get("network");
        assertThat(network).containsEntry("podCIDR", "10.244.0.0/16").containsEntry("serviceCIDR", "10.96.0.0/12");
        // Nodes of one subnet exchange pod traffic encapsulated too: unencapsulated, EC2's source/destination
        // check drops it (provisioner DESIGN.md, "Security groups"; FIDELITY.md, "Pod network").
        assertThat((Map<String, Object>) network.get("kuberouter"))
                .isEqualTo(Map.of("extraArgs", Map.of("overlay-type", "full")));
        Map<String, Object> helm = (Map<String, Object>) ((Map<String, Object>) spec.get("extensions")).get("helm");
        List<Map<String, Object>> charts = (List<Map<String, Object>>) helm.get("charts");
        assertThat(charts).extracting(c -> c.get("name")).containsExactly("ingress-nginx", "metrics-server");
        assertThat(charts).extracting(c -> c.get("order")).containsExactly(1, 2);
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachControllerBindsItsOwnAddressesAndClientsUseTheLoadBalancer() {
        String nlb = "k0-dev-api-0123456789abcdef.elb.us-east-1.amazonaws.com";
        List<String> controllers = List.of("10.0.1.10", "10.0.2.11", "10.0.3.12");
        for (String own : controllers) {
            Map<String, Object> spec = spec(renderer.render(new ClusterConfigRenderer.Input(
                    BootstrapSandbox.definition("dev", 3, 2, "1.28.3+k0s.0"), own, nlb, controllers, 6443, own)));

            Map<String, Object> api = (Map<String, Object>) spec.get("api");
            assertThat(api).containsEntry("address", own).containsEntry("externalAddress", nlb);
            assertThat((List<String>) api.get("sans")).startsWith(nlb).containsAll(controllers);
            assertThat(spec.get("storage")).isEqualTo(Map.of("type", "etcd", "etcd", Map.of("peerAddress", own)));
        }
    }

    @Test
    void noAddonsNoExtensionsAndNoOverlapWithTheVpc() {
        ClusterDefinition base = BootstrapSandbox.definition("dev", 1, 1, "1.28.3+k0s.0");
        ClusterSpec s = base.spec();
        ClusterDefinition definition = new ClusterDefinition(base.apiVersion(), base.kind(), base.metadata(),
                new ClusterSpec(s.region(), new Networking("10.96.0.0/16", false), s.nodes(), s.k0s(), s.ssh(),
                        new Addons(new Addon(false), new Addon(false)), false));

        Map<String, Object> spec = spec(renderer.render(new ClusterConfigRenderer.Input(definition, "10.96.1.10", null,
                List.of("10.96.1.10"), 6443)));

        assertThat(spec).doesNotContainKey("extensions");
        assertThat(spec.get("network").toString()).contains("172.20.0.0/16", "172.21.0.0/16");
    }

    @Test
    void anAddressCannotChangeTheDocument() {
        assertThatThrownBy(() -> renderer.render(new ClusterConfigRenderer.Input(BootstrapSandbox.definition("dev", 1, 1, "1.28.3+k0s.0"),
                "10.0.1.10\nspec: {}", null, List.of(), 6443))).isInstanceOf(SafeValues.UnsafeValueException.class);
    }
}
