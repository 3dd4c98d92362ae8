package io.k0rdent.ops.sandbox.hosts;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated clusters the hosts' k0s created, their API servers and the join tokens their controllers issued:
 * what a controller's {@code k0s install}, {@code token create|invalidate} and {@code kubeconfig admin} act on.
 */
final class ClusterRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterRegistry.class);

    private final int apiPort;
    private final Supplier<HostNetwork> network;
    private final Map<String, SimulatedCluster> clusters = new ConcurrentHashMap<>();
    private final AtomicInteger nextCluster = new AtomicInteger();
    private final JoinTokens tokens = new JoinTokens();
    private final ClusterApiServers apis = new ClusterApiServers();
    private final SecureRandom random = new SecureRandom();

    /**
     * @param apiPort port of every simulated cluster API
     * @param network the network the hosts are behind now, for the clusters' own connections
     */
    ClusterRegistry(int apiPort, Supplier<HostNetwork> network) {
        this.apiPort = apiPort;
        this.network = network;
    }

    SimulatedCluster newCluster(String apiAddress, String clusterConfig) {
        SimulatedCluster cluster = new SimulatedCluster("cluster-" + nextCluster.incrementAndGet(), apiAddress,
                apiPort, clusterConfig, apis, network);
        clusters.put(cluster.id(), cluster);
        return cluster;
    }

    SimulatedCluster get(String id) {
        return clusters.get(id);
    }

    Collection<SimulatedCluster> all() {
        return List.copyOf(clusters.values());
    }

    int size() {
        return clusters.size();
    }

    /** Number of simulated cluster APIs currently running. */
    int runningApis() {
        return (int) clusters.values().stream().filter(SimulatedCluster::apiStarted).count();
    }

    /** Stops a cluster's API and forgets it and its tokens. */
    void release(SimulatedCluster cluster) {
        clusters.remove(cluster.id());
        tokens.forget(cluster);
        cluster.close();
    }

    String issueToken(SimulatedCluster cluster, String role, Duration expiry) {
        String joinAddress = K0sConfigCheck.joinAddress(cluster.clusterConfig()).orElse(cluster.apiHost());
        return tokens.issue(cluster, role, expiry, "https://" + joinAddress + ":"
                + (role.equals("controller") ? 9443 : apiPort), Instant.now());
    }

    List<String> issuedTokens() {
        return tokens.issued();
    }

    List<String> usableTokens() {
        return tokens.usable(Instant.now());
    }

    JoinTokens.Result redeemToken(String token, String role) {
        return tokens.redeem(token, role, Instant.now());
    }

    boolean invalidateToken(SimulatedCluster cluster, String id) {
        return tokens.invalidate(cluster, id);
    }

    String adminKubeconfig(SimulatedCluster cluster, String controllerAddress) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        return "apiVersion: v1\n"
                + "kind: Config\n"
                + "clusters:\n"
                + "- name: local\n"
                + "  cluster:\n"
                + "    server: http://" + controllerAddress + ":" + apiPort + "\n"
                + "contexts:\n"
                + "- name: Default\n"
                + "  context:\n"
                + "    cluster: local\n"
                + "    user: admin\n"
                + "current-context: Default\n"
                + "users:\n"
                + "- name: admin\n"
                + "  user:\n"
                + "    token: " + HexFormat.of().formatHex(secret) + "\n";
    }

    /** Takes over a snapshot's clusters (starting the APIs that were running) and tokens; answers the live APIs. */
    int restore(HostsSnapshot saved) {
        nextCluster.set(saved.nextCluster());
        int liveApis = 0;
        for (HostsSnapshot.ClusterData data : saved.clusters()) {
            SimulatedCluster cluster;
            try {
                cluster = SimulatedCluster.restore(data, apis, network);
            } catch (RuntimeException e) {
                LOG.warn("cannot start the API of simulated cluster {} at {}:{} again; it stays down",
                        data.id(), data.apiAddress(), data.apiPort(), e);
                cluster = new SimulatedCluster(data.id(), data.apiAddress(), data.apiPort(), data.clusterConfig(),
                        apis, network);
            }
            clusters.put(cluster.id(), cluster);
            liveApis += cluster.apiStarted() ? 1 : 0;
        }
        for (HostsSnapshot.TokenData token : saved.tokens()) {
            SimulatedCluster cluster = clusters.get(token.clusterId());
            if (cluster != null) {
                tokens.restore(token.token(), new JoinTokens.Token(cluster, token.role(),
                        token.id() == null ? "" : token.id(),
                        token.expiresAt() == null ? null : Instant.parse(token.expiresAt()),
                        Boolean.TRUE.equals(token.invalidated())));
            }
        }
        return liveApis;
    }

    int nextClusterNumber() {
        return nextCluster.get();
    }

    List<HostsSnapshot.ClusterData> clusterSnapshots() {
        return clusters.values().stream().map(SimulatedCluster::snapshot).toList();
    }

    List<HostsSnapshot.TokenData> tokenSnapshots() {
        return tokens.all().entrySet().stream().map(e -> new HostsSnapshot.TokenData(e.getKey(),
                e.getValue().cluster().id(), e.getValue().role(), e.getValue().id(),
                e.getValue().expiresAt() == null ? null : e.getValue().expiresAt().toString(),
                e.getValue().invalidated())).toList();
    }

    /** Stops every cluster's API (the shared API servers stay until {@link #closeApiServers}). */
    void stopClusters() {
        clusters.values().forEach(SimulatedCluster::close);
        clusters.clear();
    }

    void closeApiServers() {
        apis.close();
    }
}
