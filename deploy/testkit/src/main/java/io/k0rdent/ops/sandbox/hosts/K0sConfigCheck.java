package io.k0rdent.ops.sandbox.hosts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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
     * What {@code k0s config validate} reports for a configuration file, or empty when k0s accepts it (k0s docs, CLI
     * reference "k0s config validate"; the fields and values from "Configuration options"): the file must be YAML of
     * {@code apiVersion: k0s.k0sproject.io/v1beta1}, {@code kind: ClusterConfig}; {@code spec.api.address} an IP
     * address; {@code spec.api.sans} a list; {@code spec.storage.type} {@code etcd} or {@code kine};
     * {@code spec.network.provider} {@code kuberouter}, {@code calico} or {@code custom}.
     */
    static Optional<String> validate(byte[] config) {
        JsonNode root;
        try {
            root = YAML.readTree(new String(config, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.of("failed to decode the config: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            return Optional.of("the config is empty or not a mapping");
        }
        if (!"k0s.k0sproject.io/v1beta1".equals(text(root.path("apiVersion")))) {
            return Optional.of("apiVersion: Unsupported value: \"" + root.path("apiVersion").asText()
                    + "\": supported values: \"k0s.k0sproject.io/v1beta1\"");
        }
        if (!"ClusterConfig".equals(text(root.path("kind")))) {
            return Optional.of("kind: Unsupported value: \"" + root.path("kind").asText()
                    + "\": supported values: \"ClusterConfig\"");
        }
        JsonNode spec = root.path("spec");
        String address = text(spec.path("api").path("address"));
        if (address != null && !IP.matcher(address).matches()) {
            return Optional.of("spec.api.address: Invalid value: \"" + address + "\": invalid IP address");
        }
        JsonNode sans = spec.path("api").path("sans");
        if (!sans.isMissingNode() && !sans.isNull() && !sans.isArray()) {
            return Optional.of("spec.api.sans: Invalid value: must be a list of addresses and names");
        }
        String storage = text(spec.path("storage").path("type"));
        if (storage != null && !Set.of("etcd", "kine").contains(storage)) {
            return Optional.of("spec.storage.type: Unsupported value: \"" + storage
                    + "\": supported values: \"etcd\", \"kine\"");
        }
        String provider = text(spec.path("network").path("provider"));
        if (provider != null && !Set.of("kuberouter", "calico", "custom").contains(provider)) {
            return Optional.of("spec.network.provider: Unsupported value: \"" + provider
                    + "\": supported values: \"calico\", \"custom\", \"kuberouter\"");
        }
        return Optional.empty();
    }

    private static final java.util.regex.Pattern IP = java.util.regex.Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])|[0-9a-fA-F:]+:[0-9a-fA-F:.]*");

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

    /** {@code k0s config validate --config FILE} ({@code -c FILE}, {@code --config=FILE}). */
    static CommandResult validateCommand(List<String> flags, Map<String, byte[]> files) {
        String path = null;
        for (int i = 0; i < flags.size(); i++) {
            String flag = flags.get(i);
            if ((flag.equals("--config") || flag.equals("-c")) && i + 1 < flags.size()) {
                path = flags.get(++i);
            } else if (flag.startsWith("--config=")) {
                path = flag.substring("--config=".length());
            } else {
                return CommandResult.error(1, "Error: unknown flag: " + flag + "\n");
            }
        }
        if (path == null) {
            return CommandResult.error(1, "Error: no config given (--config)\n");
        }
        byte[] config = files.get(path);
        if (config == null) {
            return CommandResult.error(1, "Error: open " + path + ": no such file or directory\n");
        }
        return validate(config).map(problem -> CommandResult.error(1, "Error: " + problem + "\n"))
                .orElse(CommandResult.ok(""));
    }
}
