package io.k0rdent.ops.sandbox.hosts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The names and addresses a controller's kube-apiserver serving certificate is issued for, as k0s issues it at start
 * from its {@code ClusterConfig} (k0s {@code pkg/component/controller/certificates.go}: the fixed
 * {@code kubernetes...}, {@code 127.0.0.1} and {@code localhost} names, {@code APISpec.Sans()} and the first address of
 * the service network; {@code pkg/apis/k0s/v1beta1/api.go} {@code Sans()}: every address of the host,
 * {@code spec.api.address}, {@code spec.api.sans} and {@code spec.api.externalAddress}). A client that dials the API
 * by any other name fails TLS verification.
 */
final class ApiCertificateNames {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final List<String> ALWAYS = List.of("kubernetes", "kubernetes.default", "kubernetes.default.svc",
            "kubernetes.default.svc.cluster", "kubernetes.svc.cluster.local", "127.0.0.1", "localhost");
    /** k0s's default {@code spec.network.serviceCIDR}. */
    private static final String DEFAULT_SERVICE_CIDR = "10.96.0.0/12";

    private ApiCertificateNames() {
    }

    /**
     * @param clusterConfig the configuration k0s started with
     * @param hostAddresses the host's own addresses (k0s adds every address of its interfaces)
     */
    static Set<String> of(String clusterConfig, Set<String> hostAddresses) {
        Set<String> names = new LinkedHashSet<>(ALWAYS);
        names.addAll(hostAddresses);
        JsonNode spec = read(clusterConfig).path("spec");
        JsonNode api = spec.path("api");
        addText(names, api.path("address"));
        api.path("sans").forEach(san -> addText(names, san));
        addText(names, api.path("externalAddress"));
        JsonNode serviceCidr = spec.path("network").path("serviceCIDR");
        try {
            names.add(firstAddress(serviceCidr.isTextual() ? serviceCidr.asText() : DEFAULT_SERVICE_CIDR));
        } catch (RuntimeException malformed) {
            // Refusing a malformed CIDR is k0s's validation's business (K0sConfigCheck); the other names stand.
        }
        return names;
    }

    /** The kubernetes service's cluster IP: the first address of the service network. */
    private static String firstAddress(String cidr) {
        String[] octets = cidr.split("/")[0].split("\\.");
        long address = 0;
        for (String octet : octets) {
            address = (address << 8) | Integer.parseInt(octet);
        }
        int prefix = Integer.parseInt(cidr.split("/")[1]);
        long network = address & (0xffffffffL << (32 - prefix)) & 0xffffffffL;
        long first = network + 1;
        return (first >> 24 & 255) + "." + (first >> 16 & 255) + "." + (first >> 8 & 255) + "." + (first & 255);
    }

    private static void addText(Set<String> names, JsonNode node) {
        if (node.isTextual() && !node.asText().isBlank()) {
            names.add(node.asText());
        }
    }

    private static JsonNode read(String config) {
        try {
            JsonNode root = config == null ? null : YAML.readTree(config);
            return root == null ? YAML.createObjectNode() : root;
        } catch (IOException e) {
            return YAML.createObjectNode();
        }
    }
}
