package io.k0rdent.ops.sandbox.hosts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;

/**
 * How the kube-router that k0s runs carries pod traffic, read from the ClusterConfig as k0s hands it on: k0s passes
 * {@code spec.network.kuberouter.extraArgs} to kube-router as flags, overriding its own (k0s docs, "Configuration
 * options", {@code spec.network.kuberouter}); kube-router's {@code --overlay-type} is {@code subnet} unless set
 * (kube-router user guide, command-line options): IP-in-IP only between nodes of different subnets.
 */
final class KubeRouterConfig {

    private static final YAMLMapper YAML = new YAMLMapper();

    private KubeRouterConfig() {
    }

    /** Whether kube-router encapsulates pod traffic between every two nodes ({@code overlay-type: full}). */
    static boolean encapsulatesAll(String clusterConfig) {
        if (clusterConfig == null) {
            return false;
        }
        try {
            JsonNode root = YAML.readTree(clusterConfig);
            if (root == null) {
                return false;
            }
            JsonNode args = root.path("spec").path("network").path("kuberouter").path("extraArgs");
            return "full".equals(args.path("overlay-type").asText(null));
        } catch (IOException e) {
            return false;
        }
    }
}
