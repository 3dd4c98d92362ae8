package io.k0rdent.ops.bootstrap.kube;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Points a kubeconfig at another API address. {@code k0s kubeconfig admin} names the controller's
 * own (often private) address; clients outside the VPC need the cluster's external address, with the
 * scheme and everything else kept.
 */
public final class KubeconfigRewriter {

    private KubeconfigRewriter() {
    }

    /**
     * @param kubeconfig the kubeconfig YAML
     * @param host       external address
     * @param port       external API port
     * @return the kubeconfig with every cluster's {@code server} at {@code host:port}
     * @throws IllegalArgumentException when the text is not a kubeconfig with at least one cluster
     */
    @SuppressWarnings("unchecked")
    public static String pointAt(String kubeconfig, String host, int port) {
        Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(kubeconfig);
        if (!(loaded instanceof Map<?, ?> root) || !(root.get("clusters") instanceof List<?> clusters) || clusters.isEmpty()) {
            // The message must not quote the text: it holds key material.
            throw new IllegalArgumentException("the controller did not print a kubeconfig with clusters");
        }
        for (Object entry : clusters) {
            if (entry instanceof Map<?, ?> named && named.get("cluster") instanceof Map<?, ?> cluster
                    && cluster.get("server") instanceof String server) {
                URI uri = URI.create(server);
                String scheme = uri.getScheme() == null ? "https" : uri.getScheme();
                ((Map<String, Object>) cluster).put("server", scheme + "://" + host + ":" + port);
            }
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options).dump(root);
    }

    /** The {@code server} of the first cluster of a kubeconfig. */
    @SuppressWarnings("unchecked")
    public static String server(String kubeconfig) {
        Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(kubeconfig);
        Map<String, Object> first = ((List<Map<String, Object>>) root.get("clusters")).get(0);
        return (String) ((Map<String, Object>) first.get("cluster")).get("server");
    }
}
