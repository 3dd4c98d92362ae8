package io.k0rdent.ops.sandbox.hosts;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;

/**
 * The simulated world of a {@link SimulatedHosts}, as plain data for a JSON file: the SSH port, every host with its
 * address, host key, files and simulated k0s, every cluster with what its API held, and the join tokens. Commands
 * already run, tunnels and injected faults are test instruments, not state, and are left out.
 *
 * @param version     format version of this file
 * @param sshPort     the port every host listened on; a restart asks for it again
 * @param nextAddress the counter behind new loopback addresses, so a restart never hands out a used one
 * @param nextCluster the counter behind cluster ids
 */
record HostsSnapshot(int version, int sshPort, int nextAddress, int nextCluster, List<HostData> hosts,
                     List<ClusterData> clusters, List<TokenData> tokens) {

    static final int VERSION = 1;

    HostsSnapshot {
        hosts = List.copyOf(hosts);
        clusters = List.copyOf(clusters);
        tokens = List.copyOf(tokens);
    }

    /**
     * One host.
     *
     * @param privateKey the host key's PKCS#8 encoding (base64), so clients that pinned it still trust the host
     * @param publicKey  the host key's X.509 encoding (base64)
     * @param files      path to base64 content
     * @param clusterId  the cluster it belongs to, or {@code null}
     * @param startedConfig the configuration a controller's k0s last started with (its API certificate's names), or
     *                      {@code null}; absent from snapshots written before it was kept
     */
    record HostData(String address, String hostname, String user, String privateKey, String publicKey,
                    Map<String, String> files, String machine, String osRelease, boolean kubeletReady,
                    String serviceRole, boolean enableWorker, boolean running, boolean leftEtcd, String clusterId,
                    List<String> cordonedAtStop, String startedConfig) {
    }

    /**
     * One cluster; {@code namespaces}, {@code nodes} and {@code pods} are what its API held when the snapshot was
     * taken, and are only meaningful when {@code apiStarted}.
     */
    record ClusterData(String id, String apiAddress, int apiPort, String clusterConfig, boolean apiStarted,
                       List<Namespace> namespaces, List<Node> nodes, List<Pod> pods) {
    }

    /** An issued join token; {@code id}, {@code expiresAt} and {@code invalidated} are absent in older files. */
    record TokenData(String token, String clusterId, String role, String id, String expiresAt,
                     Boolean invalidated) {
    }
}
