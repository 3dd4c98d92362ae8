package io.k0rdent.ops.sandbox.hosts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * What a controller's k0s does with the addresses in its {@code ClusterConfig}: kube-apiserver binds to
 * {@code spec.api.address} and etcd listens for peers on {@code spec.storage.etcd.peerAddress} (k0s docs,
 * "Configuration options": {@code spec.api.address}, {@code spec.storage.etcd.peerAddress}; k0s defaults both to the
 * host's first address when absent). An address that is not one of the host's own cannot be bound, so that
 * component never comes up and the API on that controller never becomes ready, while {@code k0s start} itself
 * succeeds (the service starts, its components fail). This is what copying one controller's configuration to every
 * controller does.
 */
final class K0sConfigCheck {

    private static final YAMLMapper YAML = new YAMLMapper();

    private K0sConfigCheck() {
    }

    /**
     * Why the control plane cannot start on a host whose own addresses are {@code local}, or empty when it can.
     * A configuration that is not YAML is reported too: k0s refuses it.
     */
    static Optional<String> problem(byte[] config, Set<String> local) {
        JsonNode root;
        try {
            root = YAML.readTree(new String(config, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.of("failed to decode the cluster config: " + e.getMessage());
        }
        if (root == null) {
            return Optional.empty();
        }
        JsonNode spec = root.path("spec");
        String api = text(spec.path("api").path("address"));
        if (api != null && !local.contains(api)) {
            return Optional.of("kube-apiserver: listen tcp " + api + ":6443: bind: cannot assign requested address");
        }
        String peer = text(spec.path("storage").path("etcd").path("peerAddress"));
        if (peer != null && !local.contains(peer)) {
            return Optional.of("etcd: listen tcp " + peer + ":2380: bind: cannot assign requested address");
        }
        return Optional.empty();
    }

    /**
     * Where a joining node dials: {@code spec.api.externalAddress} when set, else {@code spec.api.address} (k0s docs,
     * "Configuration options": join tokens carry the external address when there is one).
     */
    static Optional<String> joinAddress(String config) {
        JsonNode api = read(config).path("spec").path("api");
        String external = text(api.path("externalAddress"));
        return Optional.ofNullable(external != null ? external : text(api.path("address")));
    }

    /** {@code spec.storage.etcd.peerAddress}, where the first controller's etcd listens for peers. */
    static Optional<String> peerAddress(String config) {
        return Optional.ofNullable(text(read(config).path("spec").path("storage").path("etcd").path("peerAddress")));
    }

    private static JsonNode read(String config) {
        try {
            JsonNode root = YAML.readTree(config);
            return root == null ? YAML.createObjectNode() : root;
        } catch (IOException e) {
            return YAML.createObjectNode();
        }
    }

    private static String text(JsonNode node) {
        return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }
}
