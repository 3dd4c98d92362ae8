package io.k0rdent.ops.bootstrap.k0s;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Builds the k0s {@code ClusterConfig} of a cluster as a YAML object model and prints it with
 * SnakeYAML, so that no value can change the document's structure whatever it contains.
 *
 * <p>Add-ons are k0s Helm extensions with an explicit {@code order}: ingress first, then
 * metrics-server (metrics-server's API service is only useful once traffic can reach the cluster,
 * and the fixed order makes upgrades predictable).
 */
public final class ClusterConfigRenderer {

    static final String DEFAULT_POD_CIDR = "10.244.0.0/16";
    static final String DEFAULT_SERVICE_CIDR = "10.96.0.0/12";
    /** Used instead of the defaults when the VPC already uses those addresses. */
    static final String FALLBACK_POD_CIDR = "172.20.0.0/16";
    static final String FALLBACK_SERVICE_CIDR = "172.21.0.0/16";

    /** Helm chart versions pinned so that every cluster of one k0rdent-ops release gets the same add-ons. */
    static final String INGRESS_CHART_VERSION = "4.11.3";
    static final String METRICS_SERVER_CHART_VERSION = "3.12.2";

    /**
     * What the config is generated from.
     *
     * @param definition        the cluster definition
     * @param apiAddress        this controller's own private address (what its API binds to); every controller gets
     *                          its own configuration, as k0sctl renders it
     * @param externalAddress   the address clients use (the cluster's load balancer), or null
     * @param controllerAddresses every controller address (private and public), for the certificate SANs
     * @param apiPort           the API port
     * @param peerAddress       this controller's address for etcd peers ({@code spec.storage.etcd.peerAddress}), or
     *                          null to let k0s pick the host's first address
     */
    public record Input(ClusterDefinition definition, String apiAddress, String externalAddress,
                        List<String> controllerAddresses, int apiPort, String peerAddress) {

        public Input(ClusterDefinition definition, String apiAddress, String externalAddress,
                     List<String> controllerAddresses, int apiPort) {
            this(definition, apiAddress, externalAddress, controllerAddresses, apiPort, null);
        }
    }

    /** The ClusterConfig as YAML. */
    public String render(Input input) {
        ClusterDefinition definition = input.definition();
        Map<String, Object> api = new LinkedHashMap<>();
        api.put("address", SafeValues.address(input.apiAddress()));
        if (input.externalAddress() != null) {
            api.put("externalAddress", SafeValues.address(input.externalAddress()));
        }
        api.put("port", SafeValues.port(input.apiPort()));
        Set<String> sans = new LinkedHashSet<>();
        if (input.externalAddress() != null) {
            sans.add(input.externalAddress());
        }
        input.controllerAddresses().forEach(a -> sans.add(SafeValues.address(a)));
        api.put("sans", new ArrayList<>(sans));

        boolean overlaps = overlaps(definition.spec().networking().vpcCidr(), DEFAULT_POD_CIDR)
                || overlaps(definition.spec().networking().vpcCidr(), DEFAULT_SERVICE_CIDR);
        Map<String, Object> network = new LinkedHashMap<>();
        network.put("provider", "kuberouter");
        network.put("podCIDR", overlaps ? FALLBACK_POD_CIDR : DEFAULT_POD_CIDR);
        network.put("serviceCIDR", overlaps ? FALLBACK_SERVICE_CIDR : DEFAULT_SERVICE_CIDR);
        // kube-router routes pod addresses unencapsulated between nodes of one subnet (its default overlay-type
        // "subnet"); EC2's source/destination check drops those packets, and nodes share subnets as soon as a pool
        // is larger than the zones. "full" wraps all pod traffic in IP-in-IP between node addresses, which the nodes
        // group admits (k0s docs "Configuration options": kuberouter.extraArgs; kube-router user guide: --overlay-type).
        network.put("kuberouter", Map.of("extraArgs", Map.of("overlay-type", "full")));

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("api", api);
        if (input.peerAddress() != null) {
            Map<String, Object> storage = new LinkedHashMap<>();
            storage.put("type", "etcd");
            storage.put("etcd", Map.of("peerAddress", SafeValues.address(input.peerAddress())));
            spec.put("storage", storage);
        }
        network.put("clusterDomain", "cluster.local");
        spec.put("network", network);
        Map<String, Object> helm = helm(definition);
        if (helm != null) {
            spec.put("extensions", Map.of("helm", helm));
        }

        Map<String, Object> root = new LinkedHashMap<>();
        root.put("apiVersion", "k0s.k0sproject.io/v1beta1");
        root.put("kind", "ClusterConfig");
        root.put("metadata", Map.of("name", SafeValues.clusterName(definition.name())));
        root.put("spec", spec);

        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        return new Yaml(options).dump(root);
    }

    private static Map<String, Object> helm(ClusterDefinition definition) {
        List<Map<String, Object>> repositories = new ArrayList<>();
        List<Map<String, Object>> charts = new ArrayList<>();
        int order = 0;
        if (definition.spec().addons().ingress().enabled()) {
            repositories.add(repository("ingress-nginx", "https://kubernetes.github.io/ingress-nginx"));
            charts.add(chart("ingress-nginx", "ingress-nginx/ingress-nginx", INGRESS_CHART_VERSION, "ingress-nginx", ++order));
        }
        if (definition.spec().addons().metricsServer().enabled()) {
            repositories.add(repository("metrics-server", "https://kubernetes-sigs.github.io/metrics-server/"));
            charts.add(chart("metrics-server", "metrics-server/metrics-server", METRICS_SERVER_CHART_VERSION, "kube-system", ++order));
        }
        if (charts.isEmpty()) {
            return null;
        }
        Map<String, Object> helm = new LinkedHashMap<>();
        // One chart at a time, so "order" is also the order in which they become available.
        helm.put("concurrencyLevel", 1);
        helm.put("repositories", repositories);
        helm.put("charts", charts);
        return helm;
    }

    private static Map<String, Object> repository(String name, String url) {
        Map<String, Object> repo = new LinkedHashMap<>();
        repo.put("name", name);
        repo.put("url", url);
        return repo;
    }

    private static Map<String, Object> chart(String name, String chartName, String version, String namespace, int order) {
        Map<String, Object> chart = new LinkedHashMap<>();
        chart.put("name", name);
        chart.put("chartname", chartName);
        chart.put("version", version);
        chart.put("namespace", namespace);
        chart.put("order", order);
        return chart;
    }

    /** Whether two IPv4 CIDR blocks share an address. */
    static boolean overlaps(String a, String b) {
        long[] x = range(a);
        long[] y = range(b);
        return x[0] <= y[1] && y[0] <= x[1];
    }

    private static long[] range(String cidr) {
        String[] parts = cidr.split("/");
        String[] octets = parts[0].split("\\.");
        long address = 0;
        for (String octet : octets) {
            address = (address << 8) | Integer.parseInt(octet);
        }
        int prefix = Integer.parseInt(parts[1]);
        long size = 1L << (32 - prefix);
        long start = address & ~(size - 1) & 0xffffffffL;
        return new long[] {start, start + size - 1};
    }
}
