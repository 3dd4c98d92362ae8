package io.k0rdent.ops.sandbox.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The simulated k0s binds the API and etcd where the configuration says, and only a host's own address works. */
class K0sConfigCheckTest {

    private static final Set<String> LOCAL = Set.of("10.0.1.11", "127.5.0.1");

    private static String config(String apiAddress, String peerAddress) {
        return "apiVersion: k0s.k0sproject.io/v1beta1\nkind: ClusterConfig\nspec:\n  api:\n    address: " + apiAddress
                + "\n    externalAddress: lb.example\n" + (peerAddress == null ? ""
                : "  storage:\n    type: etcd\n    etcd:\n      peerAddress: " + peerAddress + "\n");
    }

    @Test
    void theHostsOwnAddressesCanBeBound() {
        assertThat(K0sConfigCheck.problem(config("10.0.1.11", "10.0.1.11").getBytes(StandardCharsets.UTF_8), LOCAL))
                .isEmpty();
        assertThat(K0sConfigCheck.problem("spec: {}\n".getBytes(StandardCharsets.UTF_8), LOCAL)).isEmpty();
    }

    @Test
    void anotherControllersAddressCannot() {
        assertThat(K0sConfigCheck.problem(config("10.0.1.10", null).getBytes(StandardCharsets.UTF_8), LOCAL))
                .hasValueSatisfying(p -> assertThat(p).contains("kube-apiserver", "10.0.1.10", "cannot assign"));
        assertThat(K0sConfigCheck.problem(config("10.0.1.11", "10.0.1.10").getBytes(StandardCharsets.UTF_8), LOCAL))
                .hasValueSatisfying(p -> assertThat(p).contains("etcd", "10.0.1.10:2380"));
        assertThat(K0sConfigCheck.problem("spec: [unclosed".getBytes(StandardCharsets.UTF_8), LOCAL)).isPresent();
    }

    private static java.util.Optional<String> validate(String yaml) {
        return K0sConfigCheck.validate(yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void configValidateAcceptsWhatK0sAcceptsAndNamesWhatItRefuses() {
        assertThat(validate(config("10.0.1.11", "10.0.1.11"))).isEmpty();
        assertThat(validate("apiVersion: k0s.k0sproject.io/v1beta1\nkind: ClusterConfig\nspec:\n  api:\n"
                + "    sans: [10.0.1.11, lb.example]\n  network:\n    provider: kuberouter\n")).isEmpty();
        assertThat(validate("apiVersion: v1\nkind: ClusterConfig\n")).get().asString().contains("apiVersion");
        assertThat(validate("apiVersion: k0s.k0sproject.io/v1beta1\nkind: Config\n")).get().asString()
                .contains("kind");
        assertThat(validate(config("lb.example", null))).get().asString()
                .contains("spec.api.address", "invalid IP address");
        assertThat(validate("apiVersion: k0s.k0sproject.io/v1beta1\nkind: ClusterConfig\nspec:\n  storage:\n"
                + "    type: mysql\n")).get().asString().contains("spec.storage.type");
        assertThat(validate("apiVersion: k0s.k0sproject.io/v1beta1\nkind: ClusterConfig\nspec:\n  network:\n"
                + "    provider: flannel\n")).get().asString().contains("spec.network.provider");
        assertThat(validate("spec: [unclosed")).get().asString().contains("failed to decode");
    }
}
